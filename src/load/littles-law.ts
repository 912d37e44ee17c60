import type { TrialSuspicion } from '../result/types.js';

/**
 * Little's-law sanity check of a closed-loop trial (no target rate). N connections each hold one
 * request at a time (pipelining 1), so over the trial's wall time T:
 *
 *   Σ time in flight + Σ opening connections + Σ think time + generator gaps = N · T
 *
 * i.e. mean time in flight = (N · T − Σ opening) ÷ completed − think time. (A request is timed
 * from when its connection is open, as wrk does; the time new connections took to open is
 * measured and subtracted, like think time.) This is an identity over sums, not a
 * statistical estimate: requests still in flight when the trial stops are added with the time they
 * had, so it holds for a handful of requests as well as for millions (no minimum count needed).
 * A measurement that breaks it is not measuring what it claims.
 *
 * Why these bounds:
 * - above 1 is impossible: more time in flight than the connections had means answers were
 *   credited to requests sent earlier (autocannon's lost-request bug made it many times 1). The
 *   10 % margin absorbs clock reads only: any persistent misattribution adds whole request cycles
 *   and lands far above it.
 * - below 1 the legitimate gap is the generator's own work between an answer and the next send
 *   (parsing is inside the measured time; recording and rendering the next request are not):
 *   a few percent with the generator flat out, more when it shares a busy CPU
 *   (__tests__/integration/load/littles-law-driver.test.ts; docs/measurements.md). Known think
 *   time and the measured opening of new connections are subtracted (a new connection for every
 *   request widened the gap far beyond that before it was). Below half, requests went uncounted
 *   or connections sat idle (the generator stalled), and the figures do not describe the service.
 */
export const LITTLES_LAW_MAX_RATIO = 1.1;
export const LITTLES_LAW_MIN_RATIO = 0.5;

export interface LittlesLawInput {
  /** Connections over the trial; time-weighted when phases of different size overlap. */
  connections: number;
  durationSeconds: number;
  /** Requests that completed: answered, failed or timed out. */
  completed: number;
  /** Σ time in flight of the completed requests, ms. */
  busyMs: number;
  /** Requests still in flight when the trial stopped, and Σ their time in flight so far, ms. */
  cutOff: number;
  cutOffMs: number;
  /** Σ time new connections took to open while requests waited on them, ms. */
  openingMs?: number;
  /** Mean idle time a client waits on purpose between requests, ms (loadgate has none today). */
  thinkTimeMs?: number;
}

/** Measured ÷ expected mean time in flight; undefined when nothing completed or no time passed. */
export function littlesLawRatio(input: LittlesLawInput): number | undefined {
  const { connections, durationSeconds, completed } = input;
  if (!(connections > 0) || !(durationSeconds > 0) || completed === 0) return undefined;
  const expectedMeanMs = expectedMeanInFlightMs(input);
  const measuredMeanMs = (input.busyMs + input.cutOffMs) / completed;
  return expectedMeanMs > 0 ? measuredMeanMs / expectedMeanMs : Number.MAX_VALUE;
}

/** What the connections' time allows each completed request: (N · T − Σ opening) ÷ n − think. */
function expectedMeanInFlightMs(input: LittlesLawInput): number {
  const connectionMs = input.connections * input.durationSeconds * 1000;
  return (connectionMs - (input.openingMs ?? 0)) / input.completed - (input.thinkTimeMs ?? 0);
}

/** undefined when the trial is consistent with Little's law (or there is nothing to check). */
export function littlesLawCheck(input: LittlesLawInput): TrialSuspicion | undefined {
  const { connections, durationSeconds, completed } = input;
  if (!(connections > 0) || !(durationSeconds > 0)) return undefined;
  const durationMs = durationSeconds * 1000;
  const throughput = completed / durationSeconds;
  if (completed === 0) {
    if (input.cutOff === 0) return undefined;
    return {
      cause: 'no-completed-requests',
      message: `${input.cutOff} request(s) were in flight but none completed in ${durationSeconds.toFixed(1)} s: the latency figures are empty, not fast`,
      connections,
      throughput: 0,
      expectedMeanMs: durationMs,
      measuredMeanMs: input.cutOffMs / input.cutOff,
      ratio: 0,
    };
  }
  const expectedMeanMs = expectedMeanInFlightMs(input);
  const measuredMeanMs = (input.busyMs + input.cutOffMs) / completed;
  const ratio = littlesLawRatio(input) ?? 0;
  const figures = `mean ${fmt(measuredMeanMs)} ms in flight, but ${fmt(connections)} connections at ${fmt(throughput)} req/s allow ${fmt(expectedMeanMs)} ms`;
  if (ratio > LITTLES_LAW_MAX_RATIO) {
    return {
      cause: 'latency-exceeds-littles-law',
      message: `${figures}: answers were credited to earlier requests`,
      connections,
      throughput,
      expectedMeanMs,
      measuredMeanMs,
      ratio,
    };
  }
  if (ratio < LITTLES_LAW_MIN_RATIO) {
    return {
      cause: 'latency-below-littles-law',
      message: `${figures}: requests went uncounted or the load generator stalled`,
      connections,
      throughput,
      expectedMeanMs,
      measuredMeanMs,
      ratio,
    };
  }
  return undefined;
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
