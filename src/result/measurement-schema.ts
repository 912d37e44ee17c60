/**
 * What one trial (or one stretch of load) measured: the figures of the RunResult's trials,
 * endpoints, per-second series and resources. Part of result/schema.ts; the types follow from
 * the schemas, and result/types.ts re-exports them.
 */
import { z } from 'zod';
import { nonNeg, num } from './document.js';

/** An HDR histogram (microseconds) in hdr-histogram-js's compressed base64 form. */
export const encodedHistogram = z.string();
export type EncodedHistogram = z.infer<typeof encodedHistogram>;

/**
 * What every stretch of requests reports (an endpoint's share of a trial, a phase of a spike):
 * how many completed, at what rate, their latency percentiles and the slowest, ms.
 */
export const requestFigures = {
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  max: nonNeg,
};

export const answeredLatency = z.object({
  requests: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  mean: nonNeg,
  max: nonNeg,
});
export type AnsweredLatency = z.infer<typeof answeredLatency>;

export const attributionCheckSummary = z.object({
  /** Answers, failures and cut-offs checked. */
  checked: nonNeg,
  /** Credited to another request than the one sent (by id or endpoint). 0 when attribution holds. */
  mismatched: nonNeg,
  /** Requests sent but never answered, failed nor cut off: lost by the accounting. 0 when it holds. */
  unresolved: nonNeg,
});
export type AttributionCheckSummary = z.infer<typeof attributionCheckSummary>;

/** Metric values of one trial: the samples the statistics work on. */
export const trialMetrics = z.object({
  /** Completed responses counted in the trial (any status). */
  requests: nonNeg,
  /** Responses per second over the trial's wall time. */
  throughput: nonNeg,
  /** Latency percentiles in milliseconds. */
  p50: nonNeg,
  p90: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  p999: nonNeg,
  max: nonNeg,
  mean: nonNeg,
  /** Share (0..1) of responses that were not the expected status, plus socket errors and timeouts. */
  errorRate: nonNeg.refine((v) => v <= 1, 'expected a share between 0 and 1'),
  errors: nonNeg,
  timeouts: nonNeg,
  /** Responses whose status differed from the expected one. */
  unexpectedStatus: nonNeg,
  statusCodes: z.record(z.string(), nonNeg),
  /** p95 of the service's own `Server-Timing: db;dur=` time, ms, when the service sends it. */
  dbP95: nonNeg.optional(),
  /** Achieved ÷ target rate when the scenario has a target rate (1 = kept up). */
  rateAchieved: nonNeg.optional(),
  /**
   * The cost of a request: CPU time of the service's whole process tree during the trial (user +
   * system, children included, from /proc), µs per completed request. What a CPU-bound change
   * moves directly, and not divided by how two services shared one CPU. Absent when loadgate did
   * not start the service (no process to read) or nothing completed.
   */
  cpuPerRequest: nonNeg.optional(),
  /**
   * Requests whose connection was closed (FIN) or reset (RST) before their whole response arrived
   * ("connection closed before response"); part of `errors`. Absent in results before it existed.
   */
  closedBeforeResponse: nonNeg.optional(),
  /**
   * Latency of the answered requests alone. The percentiles above count each timed-out request at
   * the time it waited (about the timeout), so a hanging service never looks fast; this keeps what
   * the answers took. Present when some request timed out (otherwise the same as above).
   */
  answered: answeredLatency.optional(),
  /**
   * Only when LOADGATE_CHECK_ATTRIBUTION=1 (tests): every request carried an id header that the
   * server echoed, and each answer, failure and cut-off was checked against the request it was
   * credited to.
   */
  attribution: attributionCheckSummary.optional(),
});
export type TrialMetrics = z.infer<typeof trialMetrics>;

/**
 * The metrics the regression tests run on. Higher is worse for all but throughput. The steady
 * ones are the A/B run's phase at a fixed arrival rate below saturation (ScenarioResult.steady):
 * latency as a user feels it, work plus waiting with little queueing.
 */
export const gatedMetric = z.enum([
  'p50',
  'p95',
  'p99',
  'throughput',
  'errorRate',
  'dbP95',
  'cpuPerRequest',
  'steadyP50',
  'steadyP95',
]);
export type GatedMetric = z.infer<typeof gatedMetric>;
export const GATED_METRICS: readonly GatedMetric[] = gatedMetric.options;

/** Why a trial's figures cannot be trusted (TrialResult.suspect). */
export const suspectCause = z.enum([
  // More time in flight than the connections had: responses credited to older requests.
  'latency-exceeds-littles-law',
  // Far less time in flight than the connections had: requests went uncounted or the generator idled.
  'latency-below-littles-law',
  // Requests were sent but none completed within the trial (a hang shorter than the timeout).
  'no-completed-requests',
]);
export type SuspectCause = z.infer<typeof suspectCause>;

/**
 * The Little's-law check of a closed-loop trial (no target rate): with N connections each holding
 * one request at a time, mean time in flight must equal N ÷ throughput (less think time).
 */
export const trialSuspicion = z.object({
  cause: suspectCause,
  /** One sentence for people. */
  message: z.string(),
  /** Connections over the trial (time-weighted when phases overlap, as in a spike). */
  connections: nonNeg,
  /** Completed requests (answered, failed, timed out) per second. */
  throughput: nonNeg,
  /** connections ÷ throughput − think time: the mean time in flight Little's law requires, ms. */
  expectedMeanMs: num,
  /** The measured mean time in flight, ms (requests cut off at the end included). */
  measuredMeanMs: nonNeg,
  /** measured ÷ expected. */
  ratio: nonNeg,
});
export type TrialSuspicion = z.infer<typeof trialSuspicion>;

/** Per-endpoint figures of one trial (an endpoint is a named request of the scenario). */
export const endpointMetrics = z.object({
  ...requestFigures,
  /** Responses with an unexpected status plus this endpoint's requests that got no response. */
  errors: nonNeg,
  dbP95: nonNeg.optional(),
  /** This endpoint's requests that timed out (part of `errors`), when any did. */
  timeouts: nonNeg.optional(),
  /** This endpoint's requests whose connection closed or reset before the response, when any. */
  closedBeforeResponse: nonNeg.optional(),
});
export type EndpointMetrics = z.infer<typeof endpointMetrics>;

/** One point a second while a trial runs. */
export const secondPoint = z.object({
  /** Seconds since the trial started. */
  t: num,
  requests: nonNeg,
  p95: nonNeg,
  errors: nonNeg,
});
export type SecondPoint = z.infer<typeof secondPoint>;

/** One sample of the service's resources, taken about once a second. */
export const resourceSample = z.object({
  /** Seconds since the trial started. */
  t: num,
  /** CPU of the service's whole process tree, percent of one core (200 = two cores busy). */
  cpuPercent: nonNeg,
  rssBytes: nonNeg,
  pgConnections: nonNeg.optional(),
  redisUsedBytes: nonNeg.optional(),
});
export type ResourceSample = z.infer<typeof resourceSample>;

export const resourceSummary = z.object({
  samples: nonNeg,
  cpuPercentPeak: nonNeg,
  cpuPercentMean: nonNeg,
  rssBytesPeak: nonNeg,
  rssBytesMean: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
  redisUsedBytesPeak: nonNeg.optional(),
});
export type ResourceSummary = z.infer<typeof resourceSummary>;
