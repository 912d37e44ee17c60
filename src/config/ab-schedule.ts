import type { AbSchedule } from '../result/types.js';
import { ConfigError } from './errors.js';

const SCHEDULES: readonly AbSchedule[] = ['duet', 'interleaved'];

/**
 * `--schedule` (CLI) and `ab-schedule` (action), one parser for both: undefined when not given
 * or `auto` (the default applies: duet where the services can be pinned to one CPU, else
 * interleaved; run/ab-run.ts). Case does not matter, as for the action's other choices.
 */
export function parseAbSchedule(raw: string | undefined, field: string): AbSchedule | undefined {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'auto') return undefined;
  if ((SCHEDULES as readonly string[]).includes(value)) return value as AbSchedule;
  throw new ConfigError(`${field}: expected "auto", "duet" or "interleaved", got "${raw}"`);
}
