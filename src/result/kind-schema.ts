/** The zod schema of a non-load kind's `kindResult` (result/kind-types.ts): part of result/schema.ts. */
import { z } from 'zod';
import { num, nonNeg, trialSuspicion, secondPoint } from './schema-parts.js';

export const phaseMetrics = z.object({
  connections: nonNeg,
  seconds: nonNeg,
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  max: nonNeg,
  errorRate: nonNeg,
  timeouts: nonNeg,
  suspect: trialSuspicion.optional(),
});

export const stressResult = z.object({
  kind: z.literal('stress'),
  steps: z.array(
    phaseMetrics.extend({
      rssPeakBytes: nonNeg,
      cpuPercentMean: nonNeg,
      pgConnectionsPeak: nonNeg.optional(),
      generatorCpuPercent: nonNeg,
      withinSla: z.boolean(),
    }),
  ),
  knee: z.object({ connections: nonNeg, throughput: nonNeg, p95: nonNeg }).nullable(),
  breakingPoint: z.object({ connections: nonNeg, reason: z.string() }).nullable(),
  peakRssBytes: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
});

export const spikeResult = z.object({
  kind: z.literal('spike'),
  base: phaseMetrics,
  spike: phaseMetrics,
  after: phaseMetrics,
  series: z.array(secondPoint),
  spikeStartSecond: nonNeg,
  spikeEndSecond: nonNeg,
  recoveryThresholdMs: nonNeg,
  recoverySeconds: nonNeg.nullable(),
});

export const volumeResult = z.object({
  kind: z.literal('volume'),
  seeded: z.object({
    method: z.enum(['api', 'command']),
    admins: nonNeg,
    grants: nonNeg,
    seconds: nonNeg,
    adminSeconds: nonNeg.optional(),
    grantSeconds: nonNeg.optional(),
    failedRequests: nonNeg,
  }),
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

export const trendSummary = z.object({
  slope: num,
  slopeLower: num,
  slopeUpper: num,
  r2: nonNeg,
  points: nonNeg,
  fromMinute: nonNeg,
  toMinute: nonNeg,
});

export const soakResult = z.object({
  kind: z.literal('soak'),
  seconds: nonNeg,
  connections: nonNeg,
  rate: nonNeg.optional(),
  rateSource: z.enum(['config', 'knee', 'none']),
  windowSeconds: nonNeg,
  windows: z.array(
    z.object({
      t: nonNeg,
      seconds: nonNeg,
      throughput: nonNeg,
      p95: nonNeg,
      errorRate: nonNeg,
      rssMb: nonNeg.nullable(),
    }),
  ),
  rss: trendSummary.nullable(),
  p95: trendSummary.nullable(),
  leakThresholdMbPerMin: nonNeg.nullable(),
  p95ThresholdMsPerMin: nonNeg.nullable(),
  leak: z.boolean(),
  degradation: z.boolean(),
});

export const recoveryResult = z.object({
  kind: z.literal('recovery'),
  invalid: z.object({ requests: nonNeg, fourxx: nonNeg, fivexx: nonNeg, other: nonNeg }),
  valid: z.object({ requests: nonNeg, succeeded: nonNeg, fivexx: nonNeg }),
  validSuccessRate: nonNeg,
  healthAfter: z.object({ ok: z.boolean(), status: num.nullable(), ms: nonNeg.nullable() }),
});

export const kindResult = z.discriminatedUnion('kind', [
  stressResult,
  spikeResult,
  volumeResult,
  soakResult,
  recoveryResult,
]);
