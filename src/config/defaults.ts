import type { SlaThresholds, TestKind } from '../result/types.js';
import { modeDefaults } from './mode.js';

/**
 * The SLA every scenario gets when no preset runs: an error rate of at most 1 %, nothing else.
 * Latency, throughput and resource limits depend on the API and the machine, so they are checked
 * only where the file sets them; a preset that runs brings its own (`Preset.sla`).
 */
export const GENERIC_SLA: Readonly<SlaThresholds> = { maxErrorRate: 0.01 };

/** The profiles a load scenario runs in when it names none (non-load kinds: their own and full). */
export const LOAD_PROFILES: readonly string[] = ['pr', 'load'];

/** The trial timing of each mode (config/mode.ts decides them). */
export const DEFAULT_TIMING = modeDefaults('single').timing;
export const DEFAULT_AB_TIMING = modeDefaults('ab').timing;

/** Most rounds of an A/B run (each restarts both services and warms every scenario up again). */
export const MAX_AB_ROUNDS = 50;

export const DEFAULT_TOKEN = 'test_superuser_token';

/**
 * Per-kind SLA defaults, applied after GENERIC_SLA (or the running preset's) and before the file's. Load gets none, so the
 * PR profile resolves exactly as before. Volume's maxBulkMs is the preset's, scaled to bulkUsers
 * (plan.ts).
 * - spike: back to the base p95 (× tolerance) within 5 s of the burst's end;
 * - soak: a leak is an RSS slope above 1 MB/min (60 MB an hour: a 512 MB service falls over in
 *   a working day) whose 95 % lower bound is above 0; degradation likewise at 5 ms/min of p95;
 * - recovery: no 5xx at all, 99 % of valid requests succeed, /health answers after.
 */
export const KIND_SLA_DEFAULTS: Readonly<Record<TestKind, Readonly<SlaThresholds>>> = {
  load: {},
  stress: {},
  spike: { maxRecoverySeconds: 5 },
  volume: {},
  soak: { maxLeakMbPerMin: 1, maxP95SlopeMsPerMin: 5 },
  recovery: { maxServerErrors: 0, minValidSuccessRate: 0.99, healthAfter: 1 },
};
