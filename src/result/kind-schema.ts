/**
 * What the non-load test kinds measure (src/kinds): a scenario's `kindResult`. Part of
 * result/schema.ts; the types follow from the schemas, and result/types.ts re-exports them.
 */
import { z } from 'zod';
import { nonNeg, num } from './document.js';
import { requestFigures, secondPoint, trialSuspicion } from './measurement-schema.js';

/** Latency and error figures of one stretch of load (a stress step, a spike phase). */
export const phaseMetrics = z.object({
  connections: nonNeg,
  seconds: nonNeg,
  ...requestFigures,
  errorRate: nonNeg,
  timeouts: nonNeg,
  /** Set when this stretch's measurement cannot be trusted (see TrialSuspicion). */
  suspect: trialSuspicion.optional(),
});
export type PhaseMetrics = z.infer<typeof phaseMetrics>;

export const stressStep = phaseMetrics.extend({
  /** Peak service RSS and mean CPU (percent of one core) during the step, when monitored. */
  rssPeakBytes: nonNeg,
  cpuPercentMean: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
  generatorCpuPercent: nonNeg,
  /** p95 and error rate within the scenario's SLA. */
  withinSla: z.boolean(),
});
export type StressStep = z.infer<typeof stressStep>;

export const stressResult = z.object({
  kind: z.literal('stress'),
  steps: z.array(stressStep),
  /** The step with the highest throughput within the SLA (null: not even the first step). */
  knee: z.object({ connections: nonNeg, throughput: nonNeg, p95: nonNeg }).nullable(),
  /** The first step that broke the SLA (null: none up to maxConnections); the run stops there. */
  breakingPoint: z.object({ connections: nonNeg, reason: z.string() }).nullable(),
  peakRssBytes: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
});
export type StressResult = z.infer<typeof stressResult>;

export const spikeResult = z.object({
  kind: z.literal('spike'),
  base: phaseMetrics,
  spike: phaseMetrics,
  after: phaseMetrics,
  /** Per-second points of the whole run (base, spike, after on one clock). */
  series: z.array(secondPoint),
  spikeStartSecond: nonNeg,
  spikeEndSecond: nonNeg,
  /** A second with p95 at or below this counts as recovered (base p95 × tolerance). */
  recoveryThresholdMs: nonNeg,
  /** Seconds from the end of the burst until p95 is back for `recoveryHoldSeconds`; null: not within the run. */
  recoverySeconds: nonNeg.nullable(),
});
export type SpikeResult = z.infer<typeof spikeResult>;

export const volumeResult = z.object({
  kind: z.literal('volume'),
  seeded: z.object({
    method: z.enum(['api', 'command']),
    admins: nonNeg,
    grants: nonNeg,
    /** Wall time of the whole seeding, and of its two parts when seeded through the API. */
    seconds: nonNeg,
    adminSeconds: nonNeg.optional(),
    grantSeconds: nonNeg.optional(),
    failedRequests: nonNeg,
  }),
  /** The bulk action on `users` admins; null when bulkUsers is 0. */
  bulk: z
    .object({
      users: nonNeg,
      action: z.string(),
      durationMs: nonNeg,
      status: num,
      ok: z.boolean(),
    })
    .nullable(),
});
export type VolumeResult = z.infer<typeof volumeResult>;

export const trendSummary = z.object({
  /** Units per minute. */
  slope: num,
  slopeLower: num,
  slopeUpper: num,
  r2: nonNeg,
  points: nonNeg,
  /** Minutes since the start of the run where the fitted stretch begins and ends. */
  fromMinute: nonNeg,
  toMinute: nonNeg,
});
export type TrendSummary = z.infer<typeof trendSummary>;

export const soakWindow = z.object({
  /** Seconds since the soak started (window start). */
  t: nonNeg,
  seconds: nonNeg,
  throughput: nonNeg,
  p95: nonNeg,
  errorRate: nonNeg,
  rssMb: nonNeg.nullable(),
});
export type SoakWindow = z.infer<typeof soakWindow>;

export const soakResult = z.object({
  kind: z.literal('soak'),
  seconds: nonNeg,
  connections: nonNeg,
  rate: nonNeg.optional(),
  /** Where the rate came from. */
  rateSource: z.enum(['config', 'knee', 'none']),
  windowSeconds: nonNeg,
  windows: z.array(soakWindow),
  /** RSS (MB) over minutes, last two thirds of the run; null when too few samples. */
  rss: trendSummary.nullable(),
  /** Per-window p95 (ms) over minutes, last two thirds; null when too few windows. */
  p95: trendSummary.nullable(),
  /**
   * The slopes a finding needs: max(SLA per minute, minimum growth ÷ fitted minutes); null when
   * there is no trend or no SLA.
   */
  leakThresholdMbPerMin: nonNeg.nullable(),
  p95ThresholdMsPerMin: nonNeg.nullable(),
  leak: z.boolean(),
  degradation: z.boolean(),
});
export type SoakResult = z.infer<typeof soakResult>;

export const recoveryResult = z.object({
  kind: z.literal('recovery'),
  /** Requests expecting a 4xx (the invalid ones) and what they got. */
  invalid: z.object({ requests: nonNeg, fourxx: nonNeg, fivexx: nonNeg, other: nonNeg }),
  valid: z.object({ requests: nonNeg, succeeded: nonNeg, fivexx: nonNeg }),
  /** Share of valid requests answered with their expected status (0..1; 1 when none were sent). */
  validSuccessRate: nonNeg,
  /** Health probe after the trials. */
  healthAfter: z.object({ ok: z.boolean(), status: num.nullable(), ms: nonNeg.nullable() }),
});
export type RecoveryResult = z.infer<typeof recoveryResult>;

export const kindResult = z.discriminatedUnion('kind', [
  stressResult,
  spikeResult,
  volumeResult,
  soakResult,
  recoveryResult,
]);
export type KindResult = z.infer<typeof kindResult>;
