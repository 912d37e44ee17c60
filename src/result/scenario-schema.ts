/**
 * One scenario of a RunResult: its settings, SLA, trials and merged histograms. Part of
 * result/schema.ts; the types follow from the schemas, and result/types.ts re-exports them.
 */
import { z } from 'zod';
import { nonNeg, num } from './document.js';
import { kindResult } from './kind-schema.js';
import {
  encodedHistogram,
  endpointMetrics,
  resourceSample,
  resourceSummary,
  secondPoint,
  trialMetrics,
  trialSuspicion,
} from './measurement-schema.js';
import { scenarioShare, trialShardDetail } from './shard-schema.js';

export const testKind = z.enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery']);
export type TestKind = z.infer<typeof testKind>;

export const trialResult = z.object({
  index: num,
  startedAt: z.string(),
  durationSeconds: nonNeg,
  metrics: trialMetrics,
  endpoints: z.record(z.string(), endpointMetrics),
  series: z.array(secondPoint),
  resources: z.object({ samples: z.array(resourceSample), summary: resourceSummary }),
  /** CPU used by loadgate's own process during the trial, percent of one core. */
  generatorCpuPercent: nonNeg,
  /** Set when the trial's measurement cannot be trusted (see TrialSuspicion). */
  suspect: trialSuspicion.optional(),
  /** Shard results only (`run --shard`): what an exact merge needs. */
  shard: trialShardDetail.optional(),
  /**
   * A/B runs in rounds only: the round (0-based) whose services measured this trial; both
   * services were restarted between rounds, and the paired test runs over the rounds' means.
   */
  round: z.number().int().nonnegative().optional(),
});
export type TrialResult = z.infer<typeof trialResult>;

/** SLA thresholds; every field optional: a missing one is not checked. */
export const slaThresholds = z.object({
  p95Ms: nonNeg.optional(),
  p99Ms: nonNeg.optional(),
  /** Minimum throughput, requests per second. */
  minThroughput: nonNeg.optional(),
  /** Maximum error rate, 0..1. */
  maxErrorRate: nonNeg.optional(),
  /** Database time p95, ms (from Server-Timing). */
  dbP95Ms: nonNeg.optional(),
  /** Maximum duration of one request, ms (used for bulk actions: 5 s per 100 users). */
  maxRequestMs: nonNeg.optional(),
  maxRssMb: nonNeg.optional(),
  /** Sustained CPU, percent of the machine (100 = all cores). */
  maxCpuPercent: nonNeg.optional(),
  maxPgConnections: nonNeg.optional(),
  maxRedisMb: nonNeg.optional(),
  /** volume: the bulk action's duration, ms (default: 5 s per 100 users, the seed's figure scaled). */
  maxBulkMs: nonNeg.optional(),
  /** spike: seconds to recover after the burst. */
  maxRecoverySeconds: nonNeg.optional(),
  /** soak: RSS slope, MB/min; a leak needs the slope's 95 % lower bound > 0 as well. */
  maxLeakMbPerMin: nonNeg.optional(),
  /** soak: p95 slope, ms/min; a degradation needs the slope's 95 % lower bound > 0 as well. */
  maxP95SlopeMsPerMin: nonNeg.optional(),
  /** recovery: 5xx responses allowed (any request). */
  maxServerErrors: nonNeg.optional(),
  /** recovery: share of valid requests that must succeed. */
  minValidSuccessRate: nonNeg.optional(),
  /** recovery: 1 = the health probe after the run must answer 2xx. */
  healthAfter: nonNeg.optional(),
  /** stress: the knee's throughput must reach this, req/s. */
  minKneeThroughput: nonNeg.optional(),
});
export type SlaThresholds = z.infer<typeof slaThresholds>;

/** A scenario as measured by one service (the head's solo run has no `solo` of its own). */
const scenarioMeasured = z.object({
  name: z.string().min(1),
  kind: testKind,
  description: z.string().optional(),
  settings: z.object({
    connections: nonNeg,
    /** Target requests per second for the whole scenario, when it is rate driven. */
    rate: nonNeg.optional(),
    warmupSeconds: nonNeg,
    trialSeconds: nonNeg,
    trials: nonNeg,
  }),
  /** The SLA thresholds in force for this scenario (after defaults and overrides). */
  sla: slaThresholds,
  trials: z.array(trialResult),
  /** All trials merged (warm-up excluded), in microseconds. */
  histogram: encodedHistogram,
  endpointHistograms: z.record(z.string(), encodedHistogram),
  dbHistogram: encodedHistogram.optional(),
  /** Resources over all trials. */
  resources: resourceSummary,
  /** Set when the load generator itself was the bottleneck (its CPU near one full core). */
  generatorSaturated: z.boolean(),
  /** Set when a scenario could not complete (service died, setup failed); no metrics then. */
  failure: z.string().optional(),
  /** What a non-load kind measured beyond (or instead of) trials; absent for load. */
  kindResult: kindResult.optional(),
  /** Shard results only: this shard's share of the scenario (`settings` keep the whole). */
  shard: scenarioShare.optional(),
});

/**
 * A/B runs: each side at the same fixed arrival rate below saturation (open loop), one trial per
 * round, so waiting shows as it would in production: latency = work + wait, little queueing.
 */
export const steadyPhase = z.object({
  /** Requests per second each side received: half of what the base served in its first warm-up. */
  rate: nonNeg,
  trials: z.array(trialResult),
});
export type SteadyPhase = z.infer<typeof steadyPhase>;

export const scenarioResult = scenarioMeasured.extend({
  /**
   * Duet A/B runs, head side: the head measured alone after the pairs. SLA checks judge this,
   * because in the pairs each side had only half of the CPU the services share.
   */
  solo: scenarioMeasured.optional(),
  /** A/B runs: the phase at a steady rate (steadyPhase). */
  steady: steadyPhase.optional(),
});
export type ScenarioResult = z.infer<typeof scenarioResult>;
