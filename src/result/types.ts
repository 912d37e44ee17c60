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
}

/** Per-endpoint figures of one trial (an endpoint is a named request of the scenario). */
export interface EndpointMetrics {
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  dbP95?: number;
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
