import type {
  AttributionCheckSummary,
  EndpointMetrics,
  SecondPoint,
  TrialMetrics,
  TrialSuspicion,
} from '../result/types.js';
import type { FailureCause } from './autocannon-client-fix.js';
import {
  latencyPercentiles,
  newHistogram,
  percentileMs,
  toMicros,
  type Histogram,
} from './histogram.js';
import { byName } from '../result/own.js';
import { littlesLawCheck, littlesLawRatio, type LittlesLawInput } from './littles-law.js';

/**
 * Records one trial: every response's latency into µs histograms (all, per endpoint, per second)
 * and the database time from `Server-Timing: db;dur=`. Memory is bounded by the number of
 * endpoints, not of requests: nothing is kept per request.
 *
 * A request that timed out is counted in the latency figures at the time it waited (about the
 * timeout), not left out: a client that gave up after 10 s waited 10 s, and leaving it out would
 * let a service that starts hanging show a lower p95, an "improvement". Requests whose connection
 * closed or reset before the response are errors but not latencies: the service gave no answer to
 * time, and the time until the close is a property of the failure, not of the service's speed.
 * Either way the time they held their connection counts in the Little's-law check.
 */

interface EndpointState {
  histogram: Histogram;
  /** Timed-out requests' waits; made on the first timeout (rare). */
  timedOut: Histogram | undefined;
  db: Histogram;
  requests: number;
  errors: number;
  timeouts: number;
  closed: number;
}

/**
 * One completed response: `nowMs` is the monotonic clock (performance.now()), `dbMs` the
 * response's `Server-Timing: db;dur=`. A tuple so that recorders built on TrialRecorder take and
 * pass it on whole.
 */
export type ResponseRecord = [
  endpoint: string,
  status: number,
  expected: number,
  latencyMs: number,
  dbMs: number | undefined,
  nowMs: number,
];

/**
 * A request of `endpoint` that got no (complete) response: timed out, or its connection closed,
 * reset or failed. `elapsedMs` is how long it was in flight.
 */
export type FailedRequestRecord = [
  endpoint: string,
  cause: FailureCause,
  elapsedMs: number,
  nowMs: number,
];

export interface TrialRecording {
  metrics: TrialMetrics;
  endpoints: Record<string, EndpointMetrics>;
  series: SecondPoint[];
  /** Answered requests and timed-out ones at their wait (what the percentiles describe). */
  histogram: Histogram;
  endpointHistograms: Record<string, Histogram>;
  dbHistogram: Histogram;
  /** The answered requests alone (the same as histogram when none timed out). */
  answeredHistogram: Histogram;
  endpointDbHistograms: Record<string, Histogram>;
  /** Set when the trial fails the Little's-law check: copy it onto the TrialResult. */
  suspect?: TrialSuspicion;
  /** Measured ÷ Little's-law mean time in flight of a closed loop (≈ 1 when sound). */
  littlesLawRatio?: number;
}

/** How one phase of load used this recorder (the driver reports it when the phase ends). */
export interface PhaseShape {
  connections: number;
  durationMs: number;
  /** A target rate: connections idle on purpose, so Little's law says nothing. */
  openLoop: boolean;
}

export interface FinishOptions {
  /** Connections of a closed loop, overriding what the driver reported. */
  connections?: number;
  /** Mean think time per request, ms, for the Little's-law check (loadgate has none today). */
  thinkTimeMs?: number;
}

export class TrialRecorder {
  private readonly all = newHistogram();
  private readonly timedOut = newHistogram();
  private readonly db = newHistogram();
  private readonly second = newHistogram();
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly statusCodes: Record<string, number> = {};
  private readonly series: SecondPoint[] = [];
  private currentSecond = 0;
  private secondRequests = 0;
  private secondErrors = 0;
  private responses = 0;
  private unexpected = 0;
  private socketErrors = 0;
  private timeouts = 0;
  private closedBeforeResponse = 0;
  private slowest = 0;
  /** Little's law: Σ time in flight of completed requests, and of those cut off at the end. */
  private busyMs = 0;
  private cutOff = 0;
  private cutOffMs = 0;
  /** Σ time new connections took to open while requests waited on them (not in flight). */
  private openingMs = 0;
  /** Σ connections × phase wall time of the closed-loop phases, ms. */
  private connectionMs = 0;
  private openLoop = false;
  private attribution: AttributionCheckSummary | undefined;

  constructor(
    endpointNames: readonly string[],
    private readonly startedAtMs: number,
  ) {
    // With one endpoint its histograms are the trial's: one record per response instead of two.
    const single = endpointNames.length === 1;
    for (const name of endpointNames) {
      this.endpoints.set(name, {
        histogram: single ? this.all : newHistogram(),
        timedOut: single ? this.timedOut : undefined,
        db: single ? this.db : newHistogram(),
        requests: 0,
        errors: 0,
        timeouts: 0,
        closed: 0,
      });
    }
  }

  /** One completed response (ResponseRecord). */
  response(...[endpoint, status, expected, latencyMs, dbMs, nowMs]: ResponseRecord): void {
    this.advance(nowMs);
    const micros = toMicros(latencyMs);
    this.all.recordValue(micros);
    this.second.recordValue(micros);
    this.busyMs += latencyMs;
    if (latencyMs > this.slowest) this.slowest = latencyMs;
    this.responses++;
    this.secondRequests++;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    const state = this.endpoints.get(endpoint);
    if (state) {
      if (state.histogram !== this.all) state.histogram.recordValue(micros);
      state.requests++;
    }
    if (dbMs !== undefined) {
      const dbMicros = toMicros(dbMs);
      this.db.recordValue(dbMicros);
      if (state && state.db !== this.db) state.db.recordValue(dbMicros);
    }
    if (status !== expected) {
      this.unexpected++;
      this.secondErrors++;
      if (state) state.errors++;
    }
  }

  /** A request that got no (complete) response (FailedRequestRecord). */
  requestFailed(...[endpoint, cause, elapsedMs, nowMs]: FailedRequestRecord): void {
    this.failure(cause === 'timeout', nowMs);
    this.busyMs += elapsedMs;
    const state = this.endpoints.get(endpoint);
    if (state) state.errors++;
    if (cause === 'timeout') {
      const micros = toMicros(elapsedMs);
      this.timedOut.recordValue(micros);
      this.second.recordValue(micros);
      if (elapsedMs > this.slowest) this.slowest = elapsedMs;
      if (state) {
        state.timeouts++;
        if (state.timedOut !== this.timedOut)
          (state.timedOut ??= newHistogram()).recordValue(micros);
      }
    } else if (cause === 'closed' || cause === 'reset') {
      this.closedBeforeResponse++;
      if (state) state.closed++;
    }
  }

  /**
   * Trial-wide count of a request without a response (the hook subclasses extend; the driver
   * calls requestFailed, which calls this).
   */
  failure(isTimeout: boolean, nowMs: number): void {
    this.advance(nowMs);
    if (isTimeout) this.timeouts++;
    else this.socketErrors++;
    this.secondErrors++;
  }

  /** A request still in flight when the phase stopped: neither answered nor failed. */
  requestCutOff(elapsedMs: number): void {
    this.cutOff++;
    this.cutOffMs += elapsedMs;
  }

  /** A new connection opened after `openingMs` with requests waiting on it. */
  connectionOpened(openingMs: number): void {
    this.openingMs += openingMs;
  }

  /** The driver reports each phase of load that fed this recorder when it ends. */
  phaseEnded(shape: PhaseShape): void {
    if (shape.openLoop) this.openLoop = true;
    else this.connectionMs += shape.connections * shape.durationMs;
  }

  /** Adds a phase's attribution check (LOADGATE_CHECK_ATTRIBUTION=1). */
  noteAttribution(summary: AttributionCheckSummary): void {
    const a = this.attribution ?? { checked: 0, mismatched: 0, unresolved: 0 };
    this.attribution = {
      checked: a.checked + summary.checked,
      mismatched: a.mismatched + summary.mismatched,
      unresolved: a.unresolved + summary.unresolved,
    };
  }

  private advance(nowMs: number): void {
    const second = Math.floor((nowMs - this.startedAtMs) / 1000);
    while (second > this.currentSecond) this.flushSecond();
  }

  private flushSecond(): void {
    const point = {
      t: this.currentSecond,
      requests: this.secondRequests,
      p95: percentileMs(this.second, 95),
      errors: this.secondErrors,
    };
    this.series.push(point);
    this.secondFlushed(point, this.second);
    this.second.reset();
    this.secondRequests = 0;
    this.secondErrors = 0;
    this.currentSecond++;
  }

  /**
   * Each second's point and latency histogram, just before the histogram is reset for the next
   * second: a recorder that keeps more per second (a shard's) overrides this.
   */
  protected secondFlushed(_point: SecondPoint, _histogram: Histogram): void {}

  finish(
    durationSeconds: number,
    targetRate?: number,
    options: FinishOptions = {},
  ): TrialRecording {
    // The last, partial second is kept only if it covers at least half a second.
    if (durationSeconds - this.currentSecond >= 0.5) this.flushSecond();
    const throughput = durationSeconds > 0 ? this.responses / durationSeconds : 0;
    const attempts = this.responses + this.socketErrors + this.timeouts;
    const failed = this.unexpected + this.socketErrors + this.timeouts;
    const latency = withTimeouts(this.all, this.timedOut);
    const metrics: TrialMetrics = {
      requests: this.responses,
      throughput,
      ...latencyPercentiles(latency, this.slowest),
      max: this.slowest,
      mean: latency.totalCount === 0 ? 0 : latency.mean / 1000,
      errorRate: attempts === 0 ? 0 : failed / attempts,
      errors: this.socketErrors + this.timeouts,
      timeouts: this.timeouts,
      unexpectedStatus: this.unexpected,
      statusCodes: { ...this.statusCodes },
      ...(this.db.totalCount > 0 ? { dbP95: percentileMs(this.db, 95) } : {}),
      ...(targetRate === undefined ? {} : { rateAchieved: throughput / targetRate }),
      closedBeforeResponse: this.closedBeforeResponse,
      ...(this.timedOut.totalCount > 0 ? { answered: answeredLatency(this.all) } : {}),
      ...(this.attribution === undefined ? {} : { attribution: { ...this.attribution } }),
    };
    const endpoints = byName<EndpointMetrics>();
    const endpointHistograms = byName<Histogram>();
    const endpointDbHistograms = byName<Histogram>();
    for (const [name, state] of this.endpoints) {
      const histogram = withTimeouts(state.histogram, state.timedOut);
      endpointHistograms[name] = histogram;
      endpointDbHistograms[name] = state.db;
      endpoints[name] = {
        requests: state.requests,
        throughput: durationSeconds > 0 ? state.requests / durationSeconds : 0,
        p50: percentileMs(histogram, 50),
        p95: percentileMs(histogram, 95),
        p99: percentileMs(histogram, 99),
        max: histogram.totalCount === 0 ? 0 : histogram.maxValue / 1000,
        errors: state.errors,
        ...(state.db.totalCount > 0 ? { dbP95: percentileMs(state.db, 95) } : {}),
        ...(state.timeouts > 0 ? { timeouts: state.timeouts } : {}),
        ...(state.closed > 0 ? { closedBeforeResponse: state.closed } : {}),
      };
    }
    const little = this.littlesLawInput(durationSeconds, targetRate, options);
    const suspect = little && littlesLawCheck(little);
    const ratio = little && littlesLawRatio(little);
    return {
      metrics,
      endpoints,
      series: this.series,
      histogram: latency,
      endpointHistograms,
      dbHistogram: this.db,
      answeredHistogram: this.all,
      endpointDbHistograms,
      ...(suspect === undefined ? {} : { suspect }),
      ...(ratio === undefined ? {} : { littlesLawRatio: ratio }),
    };
  }

  /** What the Little's-law check needs; undefined for an open loop or an unreported one. */
  private littlesLawInput(
    durationSeconds: number,
    targetRate: number | undefined,
    options: FinishOptions,
  ): LittlesLawInput | undefined {
    if (targetRate !== undefined || this.openLoop || !(durationSeconds > 0)) return undefined;
    const connections = options.connections ?? this.connectionMs / (durationSeconds * 1000);
    if (!(connections > 0)) return undefined;
    return {
      connections,
      durationSeconds,
      completed: this.responses + this.socketErrors + this.timeouts,
      busyMs: this.busyMs,
      cutOff: this.cutOff,
      cutOffMs: this.cutOffMs,
      openingMs: this.openingMs,
      ...(options.thinkTimeMs === undefined ? {} : { thinkTimeMs: options.thinkTimeMs }),
    };
  }
}

/** The answered requests' histogram plus the timed-out waits (a copy only when there are any). */
function withTimeouts(answered: Histogram, timedOut: Histogram | undefined): Histogram {
  if (timedOut === undefined || timedOut.totalCount === 0) return answered;
  const merged = newHistogram();
  merged.add(answered);
  merged.add(timedOut);
  return merged;
}

function answeredLatency(histogram: Histogram): NonNullable<TrialMetrics['answered']> {
  return {
    requests: histogram.totalCount,
    p50: percentileMs(histogram, 50),
    p95: percentileMs(histogram, 95),
    p99: percentileMs(histogram, 99),
    mean: histogram.totalCount === 0 ? 0 : histogram.mean / 1000,
    max: histogram.totalCount === 0 ? 0 : histogram.maxValue / 1000,
  };
}

/** `db;dur=12.5, app;dur=3` → 12.5 (the sum of every `db` entry); undefined when absent. */
export function parseServerTimingDb(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  // Hot path (every response): the common single `db;dur=N` entry without splitting.
  if (typeof header === 'string' && header.startsWith('db;dur=') && !header.includes(',')) {
    const ms = Number(header.slice(7));
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  const text = Array.isArray(header) ? header.join(',') : header;
  let total: number | undefined;
  for (const entry of text.split(',')) {
    const parts = entry.trim().split(';');
    if (parts[0]?.trim().toLowerCase() !== 'db') continue;
    for (const param of parts.slice(1)) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'dur' && value !== undefined) {
        const ms = Number(value.trim().replace(/^"|"$/g, ''));
        if (Number.isFinite(ms) && ms >= 0) total = (total ?? 0) + ms;
      }
    }
  }
  return total;
}
