/**
 * The RunResult document: what `loadgate run` writes and `loadgate compare` reads.
 * Versioned; bounded in size (histograms are HDR-encoded, series are per second, never per request).
 * Latencies are milliseconds (floats) everywhere in this document; histograms record microseconds.
 */

export const RESULT_SCHEMA_VERSION = 1 as const;

export type TestKind = 'load' | 'stress' | 'spike' | 'volume' | 'soak' | 'recovery';

/** Metric values of one trial: the samples the statistics work on. */
export interface TrialMetrics {
  /** Completed responses counted in the trial (any status). */
  requests: number;
  /** Responses per second over the trial's wall time. */
  throughput: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** Share (0..1) of responses that were not the expected status, plus socket errors and timeouts. */
  errorRate: number;
  errors: number;
  timeouts: number;
  /** Responses whose status differed from the expected one. */
  unexpectedStatus: number;
  statusCodes: Record<string, number>;
  /** p95 of the service's own `Server-Timing: db;dur=` time, ms, when the service sends it. */
  dbP95?: number;
  /** Achieved ÷ target rate when the scenario has a target rate (1 = kept up). */
  rateAchieved?: number;
  /**
   * Requests whose connection was closed (FIN) or reset (RST) before their whole response arrived
   * ("connection closed before response"); part of `errors`. Absent in results before it existed.
   */
  closedBeforeResponse?: number;
  /**
   * Latency of the answered requests alone. The percentiles above count each timed-out request at
   * the time it waited (about the timeout), so a hanging service never looks fast; this keeps what
   * the answers took. Present when some request timed out (otherwise the same as above).
   */
  answered?: AnsweredLatency;
  /**
   * Only when LOADGATE_CHECK_ATTRIBUTION=1 (tests): every request carried an id header that the
   * server echoed, and each answer, failure and cut-off was checked against the request it was
   * credited to.
   */
  attribution?: AttributionCheckSummary;
}

export interface AnsweredLatency {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export interface AttributionCheckSummary {
  /** Answers, failures and cut-offs checked. */
  checked: number;
  /** Credited to another request than the one sent (by id or endpoint). 0 when attribution holds. */
  mismatched: number;
  /** Requests sent but never answered, failed nor cut off: lost by the accounting. 0 when it holds. */
  unresolved: number;
}

/** Why a trial's figures cannot be trusted (TrialResult.suspect). */
export type SuspectCause =
  /** More time in flight than the connections had: responses credited to older requests. */
  | 'latency-exceeds-littles-law'
  /** Far less time in flight than the connections had: requests went uncounted or the generator idled. */
  | 'latency-below-littles-law'
  /** Requests were sent but none completed within the trial (a hang shorter than the timeout). */
  | 'no-completed-requests';

/**
 * The Little's-law check of a closed-loop trial (no target rate): with N connections each holding
 * one request at a time, mean time in flight must equal N ÷ throughput (less think time).
 */
export interface TrialSuspicion {
  cause: SuspectCause;
  /** One sentence for people. */
  message: string;
  /** Connections over the trial (time-weighted when phases overlap, as in a spike). */
  connections: number;
  /** Completed requests (answered, failed, timed out) per second. */
  throughput: number;
  /** connections ÷ throughput − think time: the mean time in flight Little's law requires, ms. */
  expectedMeanMs: number;
  /** The measured mean time in flight, ms (requests cut off at the end included). */
  measuredMeanMs: number;
  /** measured ÷ expected. */
  ratio: number;
}

/** Per-endpoint figures of one trial (an endpoint is a named request of the scenario). */
export interface EndpointMetrics {
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses with an unexpected status plus this endpoint's requests that got no response. */
  errors: number;
  dbP95?: number;
  /** This endpoint's requests that timed out (part of `errors`), when any did. */
  timeouts?: number;
  /** This endpoint's requests whose connection closed or reset before the response, when any. */
  closedBeforeResponse?: number;
}

/** One point a second while a trial runs. */
export interface SecondPoint {
  /** Seconds since the trial started. */
  t: number;
  requests: number;
  p95: number;
  errors: number;
}

/** One sample of the service's resources, taken about once a second. */
export interface ResourceSample {
  /** Seconds since the trial started. */
  t: number;
  /** CPU of the service's whole process tree, percent of one core (200 = two cores busy). */
  cpuPercent: number;
  rssBytes: number;
  pgConnections?: number;
  redisUsedBytes?: number;
}

export interface ResourceSummary {
  samples: number;
  cpuPercentPeak: number;
  cpuPercentMean: number;
  rssBytesPeak: number;
  rssBytesMean: number;
  pgConnectionsPeak?: number;
  redisUsedBytesPeak?: number;
}

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
}

/** An HDR histogram (microseconds) in hdr-histogram-js's compressed base64 form. */
export type EncodedHistogram = string;

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
}

// ---------------------------------------------------------------- test kinds (src/kinds)

/** Latency and error figures of one stretch of load (a stress step, a spike phase). */
export interface PhaseMetrics {
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errorRate: number;
  timeouts: number;
  /** Set when this stretch's measurement cannot be trusted (see TrialSuspicion). */
  suspect?: TrialSuspicion;
}

export interface StressStep extends PhaseMetrics {
  /** Peak service RSS and mean CPU (percent of one core) during the step, when monitored. */
  rssPeakBytes: number;
  cpuPercentMean: number;
  pgConnectionsPeak?: number;
  generatorCpuPercent: number;
  /** p95 and error rate within the scenario's SLA. */
  withinSla: boolean;
}

export interface StressResult {
  kind: 'stress';
  steps: StressStep[];
  /** The step with the highest throughput within the SLA (null: not even the first step). */
  knee: { connections: number; throughput: number; p95: number } | null;
  /** The first step that broke the SLA (null: none up to maxConnections); the run stops there. */
  breakingPoint: { connections: number; reason: string } | null;
  peakRssBytes: number;
  pgConnectionsPeak?: number;
}

export interface SpikeResult {
  kind: 'spike';
  base: PhaseMetrics;
  spike: PhaseMetrics;
  after: PhaseMetrics;
  /** Per-second points of the whole run (base, spike, after on one clock). */
  series: SecondPoint[];
  spikeStartSecond: number;
  spikeEndSecond: number;
  /** A second with p95 at or below this counts as recovered (base p95 × tolerance). */
  recoveryThresholdMs: number;
  /** Seconds from the end of the burst until p95 is back for `recoveryHoldSeconds`; null: not within the run. */
  recoverySeconds: number | null;
}

export interface VolumeResult {
  kind: 'volume';
  seeded: {
    method: 'api' | 'command';
    admins: number;
    grants: number;
    /** Wall time of the whole seeding, and of its two parts when seeded through the API. */
    seconds: number;
    adminSeconds?: number;
    grantSeconds?: number;
    failedRequests: number;
  };
  /** The bulk action on `users` admins; null when bulkUsers is 0. */
  bulk: { users: number; action: string; durationMs: number; status: number; ok: boolean } | null;
}

export interface TrendSummary {
  /** Units per minute. */
  slope: number;
  slopeLower: number;
  slopeUpper: number;
  r2: number;
  points: number;
  /** Minutes since the start of the run where the fitted stretch begins and ends. */
  fromMinute: number;
  toMinute: number;
}

export interface SoakWindow {
  /** Seconds since the soak started (window start). */
  t: number;
  seconds: number;
  throughput: number;
  p95: number;
  errorRate: number;
  rssMb: number | null;
}

export interface SoakResult {
  kind: 'soak';
  seconds: number;
  connections: number;
  rate?: number;
  /** Where the rate came from. */
  rateSource: 'config' | 'knee' | 'none';
  windowSeconds: number;
  windows: SoakWindow[];
  /** RSS (MB) over minutes, last two thirds of the run; null when too few samples. */
  rss: TrendSummary | null;
  /** Per-window p95 (ms) over minutes, last two thirds; null when too few windows. */
  p95: TrendSummary | null;
  /**
   * The slopes a finding needs: max(SLA per minute, minimum growth ÷ fitted minutes); null when
   * there is no trend or no SLA.
   */
  leakThresholdMbPerMin: number | null;
  p95ThresholdMsPerMin: number | null;
  leak: boolean;
  degradation: boolean;
}

export interface RecoveryResult {
  kind: 'recovery';
  /** Requests expecting a 4xx (the invalid ones) and what they got. */
  invalid: { requests: number; fourxx: number; fivexx: number; other: number };
  valid: { requests: number; succeeded: number; fivexx: number };
  /** Share of valid requests answered with their expected status (0..1; 1 when none were sent). */
  validSuccessRate: number;
  /** Health probe after the trials. */
  healthAfter: { ok: boolean; status: number | null; ms: number | null };
}

export type KindResult = StressResult | SpikeResult | VolumeResult | SoakResult | RecoveryResult;

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

export interface EnvironmentFingerprint {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  nodeVersion: string;
  /** Short hash of cpuModel, cores, memory (rounded) and os: equal fingerprints = same machine type. */
  hash: string;
  /** The kernel release (os.release()); absent in results before it was recorded. */
  kernel?: string;
  /** The runner image, `<ImageOS> <ImageVersion>` (GitHub-hosted runners set both), when known. */
  runnerImage?: string;
  /**
   * Short hash of the exact runner: cpuModel, cores, kernel, Node version and runner image (more
   * than `hash`, which is the machine type and stays comparable across them).
   */
  fingerprint?: string;
}

/** One reading of the machine probe (run/probe.ts): wall milliseconds, lower = faster machine. */
export interface ProbeScore {
  /** A fixed integer workload run on every core at once: the slowest core's time. */
  cpuMs: number;
  /** A fixed walk of dependent reads through a 16 MiB table (memory latency), one core. */
  memoryMs: number;
}

/**
 * The machine probe of a run: a short fixed CPU and memory workload before the first scenario and
 * after the last, so runs on different machines (or a machine busy with other work) can be told
 * apart. `score` is what runs are compared by: the geometric mean of the readings.
 */
export interface MachineProbe {
  /** Version of the workload: scores of different versions are not comparable. */
  version: number;
  before: ProbeScore;
  /** Absent when the run ended before its last scenario finished. */
  after?: ProbeScore;
  score: ProbeScore;
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
  base: AbBaseSide;
  head: AbSide;
  /** Per scenario (trial kinds), which side ran first in each block. */
  order: Record<string, AbBlockOrder[]>;
}

export type AbBlockOrder = 'base-first' | 'head-first';

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

// ---------------------------------------------------------------- shards (result/merge.ts)

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
