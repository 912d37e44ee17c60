import type { SlaThresholds } from '../result/types.js';

/** The seed's SLA numbers (DESIGN.md, "SLA defaults"), applied to every scenario unless overridden. */
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

export const DEFAULT_TOKEN = 'test_superuser_token';
export const DEFAULT_ADMIN_BASE_PATH = '/api/v1/admin-management';
