/**
 * What one trial (or one stretch of load) measured: the figures of the RunResult's trials,
 * endpoints, per-second series and resources. Part of result/types.ts, which re-exports it.
 */

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

/** An HDR histogram (microseconds) in hdr-histogram-js's compressed base64 form. */
export type EncodedHistogram = string;
