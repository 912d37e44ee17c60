/**
 * The zod schemas of the RunResult's smaller parts (trial figures, resources, machine, shards):
 * pieces of result/schema.ts, which assembles the document and checks it against the types.
 */
import { z } from 'zod';

export const num = z.number().refine(Number.isFinite, 'expected a finite number');
export const nonNeg = num.refine((v) => v >= 0, 'expected a number ≥ 0');

export const trialMetrics = z.object({
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p90: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  p999: nonNeg,
  max: nonNeg,
  mean: nonNeg,
  errorRate: nonNeg.refine((v) => v <= 1, 'expected a share between 0 and 1'),
  errors: nonNeg,
  timeouts: nonNeg,
  unexpectedStatus: nonNeg,
  statusCodes: z.record(z.string(), nonNeg),
  dbP95: nonNeg.optional(),
  rateAchieved: nonNeg.optional(),
  closedBeforeResponse: nonNeg.optional(),
  answered: z
    .object({ requests: nonNeg, p50: nonNeg, p95: nonNeg, p99: nonNeg, mean: nonNeg, max: nonNeg })
    .optional(),
  attribution: z.object({ checked: nonNeg, mismatched: nonNeg, unresolved: nonNeg }).optional(),
});

export const trialSuspicion = z.object({
  cause: z.enum([
    'latency-exceeds-littles-law',
    'latency-below-littles-law',
    'no-completed-requests',
  ]),
  message: z.string(),
  connections: nonNeg,
  throughput: nonNeg,
  expectedMeanMs: num,
  measuredMeanMs: nonNeg,
  ratio: nonNeg,
});

export const endpointMetrics = z.object({
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  max: nonNeg,
  errors: nonNeg,
  dbP95: nonNeg.optional(),
  timeouts: nonNeg.optional(),
  closedBeforeResponse: nonNeg.optional(),
});

export const secondPoint = z.object({ t: num, requests: nonNeg, p95: nonNeg, errors: nonNeg });

export const resourceSample = z.object({
  t: num,
  cpuPercent: nonNeg,
  rssBytes: nonNeg,
  pgConnections: nonNeg.optional(),
  redisUsedBytes: nonNeg.optional(),
});

export const resourceSummary = z.object({
  samples: nonNeg,
  cpuPercentPeak: nonNeg,
  cpuPercentMean: nonNeg,
  rssBytesPeak: nonNeg,
  rssBytesMean: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
  redisUsedBytesPeak: nonNeg.optional(),
});

// Shard results (run --shard) and merged ones: see result/merge.ts.
export const encodedHistograms = z.record(z.string(), z.string());

export const trialShardDetail = z.object({
  plannedAt: z.string(),
  lateMs: nonNeg,
  histogram: z.string(),
  answeredHistogram: z.string().optional(),
  endpointHistograms: encodedHistograms,
  dbHistogram: z.string().optional(),
  endpointDbHistograms: encodedHistograms.optional(),
  seconds: z.array(z.string()),
});

export const scenarioShare = z.object({
  connections: nonNeg,
  rate: nonNeg.optional(),
  warmupSeconds: nonNeg,
});

export const shardInfo = z.object({
  index: num.refine((v) => Number.isInteger(v) && v >= 1, 'expected a whole number ≥ 1'),
  count: num.refine((v) => Number.isInteger(v) && v >= 1, 'expected a whole number ≥ 1'),
  startAt: z.string().optional(),
  scheduleStart: z.string(),
});

export const environmentFingerprint = z.object({
  cpuModel: z.string(),
  cores: num.refine((v) => v >= 1, 'expected at least 1 core'),
  memoryBytes: nonNeg,
  os: z.string(),
  nodeVersion: z.string(),
  hash: z.string(),
  kernel: z.string().optional(),
  runnerImage: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const probeScore = z.object({ cpuMs: nonNeg, memoryMs: nonNeg });
export const machineProbe = z.object({
  version: num,
  before: probeScore,
  after: probeScore.optional(),
  score: probeScore,
});

export const mergedFrom = z.object({
  count: nonNeg,
  startAt: z.string().optional(),
  shards: z.array(
    z.object({
      index: nonNeg,
      environment: environmentFingerprint,
      startedAt: z.string(),
      scenarios: z.record(
        z.string(),
        z.object({
          connections: nonNeg,
          rate: nonNeg.optional(),
          generatorCpuPercent: nonNeg,
          maxLateMs: nonNeg,
          resources: resourceSummary,
        }),
      ),
    }),
  ),
});
