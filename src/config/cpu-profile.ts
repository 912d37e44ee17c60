/**
 * The CPU profile switch, parsed once for both front ends (action input `cpu-profile`, CLI flag
 * `--cpu-profile`). Not `profile`: that input already names which scenarios run (pr, nightly).
 */
import type { CpuProfileMode } from '../result/profile-schema.js';
import { ConfigError } from './errors.js';

export const CPU_PROFILE_MODES = ['auto', 'always', 'off'] as const satisfies CpuProfileMode[];

/** `auto` (default: only when a scenario regressed), `always` or `off`. */
export function parseCpuProfileMode(raw: string | undefined, field: string): CpuProfileMode {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return 'auto';
  if ((CPU_PROFILE_MODES as readonly string[]).includes(value)) return value as CpuProfileMode;
  throw new ConfigError(
    `${field}: expected "auto" (profile when a scenario regressed), "always" or "off", got "${raw}"`,
  );
}
