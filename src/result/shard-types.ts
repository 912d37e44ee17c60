/**
 * What a shard result carries for an exact merge, and what a merged result keeps of its shards
 * (result/merge.ts). Part of result/types.ts, which re-exports it.
 */
import type { EnvironmentFingerprint } from './machine-types.js';
import type { EncodedHistogram, ResourceSummary } from './measurement-types.js';

/** Which shard of a sharded run a result is, and the clock its trials kept. */
export interface ShardInfo {
  /** 1-based. */
  index: number;
  count: number;
  /** The common start time every shard waited for (`start-at`); absent: this shard's own start. */
  startAt?: string;
  /** Where this shard's schedule began: start-at, or when it was ready without one. */
  scheduleStart: string;
}

/** What one shard drove of a scenario. */
export interface ScenarioShare {
  connections: number;
  rate?: number;
  /** Warm-up actually run, seconds: shortened when the shard was late for its first trial. */
  warmupSeconds: number;
}

/**
 * A shard's trial in the detail an exact merge needs: the histograms behind every figure, and
 * how well the trial kept its slot in the common schedule.
 */
export interface TrialShardDetail {
  /** When the schedule said the trial starts. */
  plannedAt: string;
  /** How much later this shard started it, ms (0: on time). */
  lateMs: number;
  /** Answered requests and timed-out ones at their wait (what the trial's percentiles describe). */
  histogram: EncodedHistogram;
  /** Answered requests alone; present when some request timed out (else equal to histogram). */
  answeredHistogram?: EncodedHistogram;
  endpointHistograms: Record<string, EncodedHistogram>;
  dbHistogram?: EncodedHistogram;
  endpointDbHistograms?: Record<string, EncodedHistogram>;
  /** One per point of the trial's `series`, in its order. */
  seconds: EncodedHistogram[];
}

/** Where a merged result came from; what cannot be summed across machines stays per shard. */
export interface MergedFrom {
  count: number;
  /** The common start time of the shards; absent when they started on their own. */
  startAt?: string;
  shards: MergedShard[];
}

export interface MergedShard {
  index: number;
  environment: EnvironmentFingerprint;
  startedAt: string;
  scenarios: Record<string, MergedShardScenario>;
}

export interface MergedShardScenario {
  connections: number;
  rate?: number;
  /** Median over its trials of this shard's own CPU, percent of one core. */
  generatorCpuPercent: number;
  /** The latest this shard started one of the scenario's trials, ms after its slot. */
  maxLateMs: number;
  /** The resources this shard sampled (another machine's view: not summed). */
  resources: ResourceSummary;
}
