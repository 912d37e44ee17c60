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

export const GATED_METRICS: readonly GatedMetric[] = ['p95', 'p99', 'throughput', 'errorRate', 'dbP95'];
