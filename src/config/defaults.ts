import type { SlaThresholds, TestKind } from '../result/types.js';

/** The seed's SLA numbers (docs/architecture.md, "The admin preset"), applied to every scenario unless overridden. */
export const DEFAULT_SLA: Readonly<SlaThresholds> = {
  p95Ms: 500,
  maxErrorRate: 0.01,
  dbP95Ms: 100,
  maxRssMb: 512,
  maxCpuPercent: 80,
  maxPgConnections: 20,
  maxRedisMb: 100,
};

/**
 * The PR profile's timing. Samples are trials, and the exact one-sided Mann-Whitney test with
 * n trials a side can reach p = 1 / C(2n, n) at best: 8 a side gives 7.8e-5, low enough to stay
 * significant after Holm over ~30 tests (5 a side, 0.004, would not). 7 preset scenarios of
 * 2 s warm-up + 8 × 2 s trials take about 2.5 minutes with setup.
 */
export const DEFAULT_TIMING = {
  connections: 10,
  warmupSeconds: 2,
  trialSeconds: 2,
  trials: 8,
  timeoutSeconds: 10,
} as const;

/** The profiles a load scenario runs in when it names none (non-load kinds: their own and full). */
export const LOAD_PROFILES: readonly string[] = ['pr', 'load'];

/**
 * The PR profile's timing when base and head run side by side (A/B). Samples are pairs of
 * trials; a pair's log ratio cancels the machine's drift, so short trials suffice and the pairs
 * are what buys power. See the README ("A/B side by side") for how these were chosen.
 */
export const DEFAULT_AB_TIMING = {
  connections: 10,
  warmupSeconds: 1,
  trialSeconds: 1,
  trials: 14,
  timeoutSeconds: 10,
} as const;

/** Most rounds of an A/B run (each restarts both services and warms every scenario up again). */
export const MAX_AB_ROUNDS = 50;

export const DEFAULT_TOKEN = 'test_superuser_token';

/**
 * Per-kind SLA defaults, applied after DEFAULT_SLA and before the file's. Load gets none, so the
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
