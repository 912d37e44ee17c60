/**
 * What a shard result carries for an exact merge, and what a merged result keeps of its shards
 * (result/merge.ts). Part of result/schema.ts; the types follow from the schemas, and
 * result/types.ts re-exports them.
 */
import { z } from 'zod';
import { nonNeg, num } from './document.js';
import { environmentFingerprint } from './machine-schema.js';
import { encodedHistogram, resourceSummary } from './measurement-schema.js';

const wholeFromOne = num.refine(
  (v) => Number.isInteger(v) && v >= 1,
  'expected a whole number ≥ 1',
);

/** Which shard of a sharded run a result is, and the clock its trials kept. */
export const shardInfo = z.object({
  /** 1-based. */
  index: wholeFromOne,
  count: wholeFromOne,
  /** The common start time every shard waited for (`start-at`); absent: this shard's own start. */
  startAt: z.string().optional(),
  /** Where this shard's schedule began: start-at, or when it was ready without one. */
  scheduleStart: z.string(),
});
export type ShardInfo = z.infer<typeof shardInfo>;

/** What one shard drove of a scenario. */
export const scenarioShare = z.object({
  connections: nonNeg,
  rate: nonNeg.optional(),
  /** Warm-up actually run, seconds: shortened when the shard was late for its first trial. */
  warmupSeconds: nonNeg,
});
export type ScenarioShare = z.infer<typeof scenarioShare>;

const encodedHistograms = z.record(z.string(), encodedHistogram);

/**
 * A shard's trial in the detail an exact merge needs: the histograms behind every figure, and
 * how well the trial kept its slot in the common schedule.
 */
export const trialShardDetail = z.object({
  /** When the schedule said the trial starts. */
  plannedAt: z.string(),
  /** How much later this shard started it, ms (0: on time). */
  lateMs: nonNeg,
  /** Answered requests and timed-out ones at their wait (what the trial's percentiles describe). */
  histogram: encodedHistogram,
  /** Answered requests alone; present when some request timed out (else equal to histogram). */
  answeredHistogram: encodedHistogram.optional(),
  endpointHistograms: encodedHistograms,
  dbHistogram: encodedHistogram.optional(),
  endpointDbHistograms: encodedHistograms.optional(),
  /** One per point of the trial's `series`, in its order. */
  seconds: z.array(encodedHistogram),
});
export type TrialShardDetail = z.infer<typeof trialShardDetail>;

export const mergedShardScenario = z.object({
  connections: nonNeg,
  rate: nonNeg.optional(),
  /** Median over its trials of this shard's own CPU, percent of one core. */
  generatorCpuPercent: nonNeg,
  /** The latest this shard started one of the scenario's trials, ms after its slot. */
  maxLateMs: nonNeg,
  /** The resources this shard sampled (another machine's view: not summed). */
  resources: resourceSummary,
});
export type MergedShardScenario = z.infer<typeof mergedShardScenario>;

export const mergedShard = z.object({
  index: nonNeg,
  environment: environmentFingerprint,
  startedAt: z.string(),
  scenarios: z.record(z.string(), mergedShardScenario),
});
export type MergedShard = z.infer<typeof mergedShard>;

/** Where a merged result came from; what cannot be summed across machines stays per shard. */
export const mergedFrom = z.object({
  count: nonNeg,
  /** The common start time of the shards; absent when they started on their own. */
  startAt: z.string().optional(),
  shards: z.array(mergedShard),
});
export type MergedFrom = z.infer<typeof mergedFrom>;
