import type { AbSchedule } from '../result/types.js';
import { ConfigError } from './errors.js';

const SCHEDULES: readonly AbSchedule[] = ['duet', 'interleaved'];

/**
 * `--schedule` / `ab-schedule`: undefined when not given or `auto` (the default applies: duet
 * where the services can be pinned to one CPU, else interleaved; run/ab-run.ts).
 */
export function parseAbSchedule(raw: string | undefined, field: string): AbSchedule | undefined {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'auto') return undefined;
  const value = raw.trim();
  if ((SCHEDULES as readonly string[]).includes(value)) return value as AbSchedule;
  throw new ConfigError(`${field}: expected auto, duet or interleaved, got "${raw}"`);
}
