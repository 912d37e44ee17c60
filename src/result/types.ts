/**
 * The RunResult document: what `loadgate run` writes and `loadgate compare` reads.
 * Versioned; bounded in size (histograms are HDR-encoded, series are per second, never per request).
 * Latencies are milliseconds (floats) everywhere in this document; histograms record microseconds.
 */

import type { KindResult } from './kind-types.js';
import type {
  EncodedHistogram,
  EndpointMetrics,
  ResourceSample,
  ResourceSummary,
  SecondPoint,
  TrialMetrics,
  TrialSuspicion,
} from './measurement-types.js';
import type { EnvironmentFingerprint, MachineProbe } from './machine-types.js';
import type { MergedFrom, ScenarioShare, ShardInfo, TrialShardDetail } from './shard-types.js';

export type * from './kind-types.js';
export type * from './machine-types.js';
export type * from './measurement-types.js';
export type * from './shard-types.js';

export const RESULT_SCHEMA_VERSION = 1 as const;

export type TestKind = 'load' | 'stress' | 'spike' | 'volume' | 'soak' | 'recovery';

export interface TrialResult {
  index: number;
  startedAt: string;
  durationSeconds: number;
  metrics: TrialMetrics;
  endpoints: Record<string, EndpointMetrics>;
  series: SecondPoint[];
  resources: { samples: ResourceSample[]; summary: ResourceSummary };
  /** CPU used by loadgate's own process during the trial, percent of one core. */
  generatorCpuPercent: number;
  /** Set when the trial's measurement cannot be trusted (see TrialSuspicion). */
  suspect?: TrialSuspicion;
  /** Shard results only (`run --shard`): what an exact merge needs. */
  shard?: TrialShardDetail;
  /**
   * A/B runs in rounds only: the round (0-based) whose services measured this trial; both
   * services were restarted between rounds, and the paired test runs over the rounds' means.
   */
  round?: number;
}

export interface ScenarioResult {
  name: string;
  kind: TestKind;
  description?: string;
  settings: {
    connections: number;
    /** Target requests per second for the whole scenario, when it is rate driven. */
    rate?: number;
    warmupSeconds: number;
    trialSeconds: number;
    trials: number;
  };
  /** The SLA thresholds in force for this scenario (after defaults and overrides). */
  sla: SlaThresholds;
  trials: TrialResult[];
  /** All trials merged (warm-up excluded), in microseconds. */
  histogram: EncodedHistogram;
  endpointHistograms: Record<string, EncodedHistogram>;
  dbHistogram?: EncodedHistogram;
  /** Resources over all trials. */
  resources: ResourceSummary;
  /** Set when the load generator itself was the bottleneck (its CPU near one full core). */
  generatorSaturated: boolean;
  /** Set when a scenario could not complete (service died, setup failed); no metrics then. */
  failure?: string;
  /** What a non-load kind measured beyond (or instead of) trials; absent for load. */
  kindResult?: KindResult;
  /** Shard results only: this shard's share of the scenario (`settings` keep the whole). */
  shard?: ScenarioShare;
  /**
   * Duet A/B runs, head side: the head measured alone after the pairs. SLA checks judge this,
   * because in the pairs each side had only half of the CPU the services share.
   */
  solo?: Omit<ScenarioResult, 'solo'>;
}

/** SLA thresholds; every field optional: a missing one is not checked. */
export interface SlaThresholds {
  p95Ms?: number;
  p99Ms?: number;
  /** Minimum throughput, requests per second. */
  minThroughput?: number;
  /** Maximum error rate, 0..1. */
  maxErrorRate?: number;
  /** Database time p95, ms (from Server-Timing). */
  dbP95Ms?: number;
  /** Maximum duration of one request, ms (used for bulk actions: 5 s per 100 users). */
  maxRequestMs?: number;
  maxRssMb?: number;
  /** Sustained CPU, percent of the machine (100 = all cores). */
  maxCpuPercent?: number;
  maxPgConnections?: number;
  maxRedisMb?: number;
  /** volume: the bulk action's duration, ms (default: 5 s per 100 users, the seed's figure scaled). */
  maxBulkMs?: number;
  /** spike: seconds to recover after the burst. */
  maxRecoverySeconds?: number;
  /** soak: RSS slope, MB/min; a leak needs the slope's 95 % lower bound > 0 as well. */
  maxLeakMbPerMin?: number;
  /** soak: p95 slope, ms/min; a degradation needs the slope's 95 % lower bound > 0 as well. */
  maxP95SlopeMsPerMin?: number;
  /** recovery: 5xx responses allowed (any request). */
  maxServerErrors?: number;
  /** recovery: share of valid requests that must succeed. */
  minValidSuccessRate?: number;
  /** recovery: 1 = the health probe after the run must answer 2xx. */
  healthAfter?: number;
  /** stress: the knee's throughput must reach this, req/s. */
  minKneeThroughput?: number;
}

export interface RunResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'loadgate'; version: string };
  startedAt: string;
  finishedAt: string;
  git?: { sha?: string; ref?: string };
  environment: EnvironmentFingerprint;
  config: { hash: string; profile: string; source: string };
  target: { baseUrl: string };
  scenarios: ScenarioResult[];
  /** Noise floor per scenario and metric (relative, e.g. 0.03 = 3 %), set by `loadgate calibrate`. */
  noiseFloor?: Record<string, Partial<Record<GatedMetric, number>>>;
  /** Present when base and head ran side by side (interleaved A/B): see result/ab.ts. */
  ab?: AbSection;
  /**
   * Problems met while measuring that leave figures missing (Postgres or Redis unreachable or
   * silent: "not measured"); absent when there were none. The judge repeats them as warnings.
   */
  warnings?: string[];
  /** Present on one shard's result (`run --shard i/N`): merge all N before judging. */
  shard?: ShardInfo;
  /** Present on a result merged from shard results (`loadgate merge`, the action's merge job). */
  merged?: MergedFrom;
  /** Present on a result written before the run ended, and kept when it ended early. */
  partial?: PartialRun;
  /** The machine probe (run/probe.ts); absent in results before it existed or when it failed. */
  probe?: MachineProbe;
}

/**
 * A partial result: written after each scenario while the run goes on, and what is left when it
 * ends early (the service crashed, the job was cancelled, SIGTERM). Holds the scenarios that
 * finished; never judged as a whole run, never stored as a baseline.
 */
export interface PartialRun {
  /** Scenarios finished (those in `scenarios`), of how many planned. */
  completed: number;
  planned: number;
  /** Why the run ended early, when it is known. */
  reason?: string;
}

/** The metrics the regression tests run on. Higher is worse for all but throughput. */
export type GatedMetric = 'p95' | 'p99' | 'throughput' | 'errorRate' | 'dbP95';

export const GATED_METRICS: readonly GatedMetric[] = [
  'p95',
  'p99',
  'throughput',
  'errorRate',
  'dbP95',
];

// ---------------------------------------------------------------- interleaved A/B (result/ab.ts)

/**
 * The paired section of an interleaved A/B run (`baseline: base-commit`, `loadgate ab`): the
 * base and the head of a change ran side by side on one machine; per scenario, block i holds
 * trial i of each side, in an order drawn from `seed`. The result's own `scenarios` are the
 * head's; the base's are here. A result with this section is judged paired, never as a stored
 * baseline's single run, and a baseline saved from it carries the head's side only.
 */
export interface AbSection {
  /** Seed of the block order, recorded so the order can be reproduced and audited. */
  seed: number;
  /**
   * How the pairs were measured: `duet`, both sides loaded at once with their services on the
   * same CPU (`serviceCpus`), or `interleaved`, one side after the other. Absent in results
   * from before duet existed: interleaved.
   */
  schedule?: AbSchedule;
  /** The CPUs both services were pinned to (taskset list), when they were. */
  serviceCpus?: string;
  /**
   * `fixed`: both services started without address randomisation (`setarch -R`), so the same
   * code got the same memory layout; `random`: each its own. Absent in results from before: random.
   */
  layout?: AbLayout;
  /**
   * How many times both services were started: the pairs of each scenario were split into this
   * many rounds, with both services restarted between them (trials carry their `round`), and
   * the paired test runs over the rounds' means. Absent in results from before rounds: 1.
   */
  rounds?: number;
  base: AbBaseSide;
  head: AbSide;
  /** Per scenario (trial kinds), which side ran first in each block. */
  order: Record<string, AbBlockOrder[]>;
}

/** Which side ran first in a block (in a duet, whose load started first, a tick earlier). */
export type AbBlockOrder = 'base-first' | 'head-first';

export type AbSchedule = 'duet' | 'interleaved';

export type AbLayout = 'fixed' | 'random';

export interface AbSide {
  /** The commit measured, where known. */
  git?: { sha?: string; ref?: string };
  baseUrl: string;
  /** How this side was chosen, for the report ("first parent of the merge commit …"). */
  origin?: string;
}

export interface AbBaseSide extends AbSide {
  scenarios: ScenarioResult[];
}
