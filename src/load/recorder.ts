import type { EndpointMetrics, SecondPoint, TrialMetrics } from '../result/types.js';
import { newHistogram, percentileMs, toMicros, type Histogram } from './histogram.js';

/**
 * Records one trial: every response's latency into µs histograms (all, per endpoint, per second)
 * and the database time from `Server-Timing: db;dur=`. Memory is bounded by the number of
 * endpoints, not of requests: nothing is kept per request.
 */

interface EndpointState {
  histogram: Histogram;
  db: Histogram;
  requests: number;
  errors: number;
}

export interface TrialRecording {
  metrics: TrialMetrics;
  endpoints: Record<string, EndpointMetrics>;
  series: SecondPoint[];
  histogram: Histogram;
  endpointHistograms: Record<string, Histogram>;
  dbHistogram: Histogram;
}

export class TrialRecorder {
  private readonly all = newHistogram();
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
  private slowest = 0;

  constructor(
    endpointNames: readonly string[],
    private readonly startedAtMs: number,
  ) {
    for (const name of endpointNames) {
      this.endpoints.set(name, {
        histogram: newHistogram(),
        db: newHistogram(),
        requests: 0,
        errors: 0,
      });
    }
  }

  /** One completed response. `nowMs` is the monotonic clock (performance.now()). */
  response(
    endpoint: string,
    status: number,
    expected: number,
    latencyMs: number,
    dbMs: number | undefined,
    nowMs: number,
  ): void {
    this.advance(nowMs);
    const micros = toMicros(latencyMs);
    this.all.recordValue(micros);
    this.second.recordValue(micros);
    if (latencyMs > this.slowest) this.slowest = latencyMs;
    this.responses++;
    this.secondRequests++;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    const state = this.endpoints.get(endpoint);
    if (state) {
      state.histogram.recordValue(micros);
      state.requests++;
    }
    if (dbMs !== undefined) {
      const dbMicros = toMicros(dbMs);
      this.db.recordValue(dbMicros);
      state?.db.recordValue(dbMicros);
    }
    if (status !== expected) {
      this.unexpected++;
      this.secondErrors++;
      if (state) state.errors++;
    }
  }

  /** A socket error or a timeout (no response). */
  failure(isTimeout: boolean, nowMs: number): void {
    this.advance(nowMs);
    if (isTimeout) this.timeouts++;
    else this.socketErrors++;
    this.secondErrors++;
  }

  private advance(nowMs: number): void {
    const second = Math.floor((nowMs - this.startedAtMs) / 1000);
    while (second > this.currentSecond) this.flushSecond();
  }

  private flushSecond(): void {
    this.series.push({
      t: this.currentSecond,
      requests: this.secondRequests,
      p95: percentileMs(this.second, 95),
      errors: this.secondErrors,
    });
    this.second.reset();
    this.secondRequests = 0;
    this.secondErrors = 0;
    this.currentSecond++;
  }

  finish(durationSeconds: number, targetRate?: number): TrialRecording {
    // The last, partial second is kept only if it covers at least half a second.
    if (durationSeconds - this.currentSecond >= 0.5) this.flushSecond();
    const throughput = durationSeconds > 0 ? this.responses / durationSeconds : 0;
    const attempts = this.responses + this.socketErrors + this.timeouts;
    const failed = this.unexpected + this.socketErrors + this.timeouts;
    const metrics: TrialMetrics = {
      requests: this.responses,
      throughput,
      p50: percentileMs(this.all, 50),
      p90: percentileMs(this.all, 90),
      p95: percentileMs(this.all, 95),
      p99: percentileMs(this.all, 99),
      p999: percentileMs(this.all, 99.9),
      max: this.slowest,
      mean: this.all.totalCount === 0 ? 0 : this.all.mean / 1000,
      errorRate: attempts === 0 ? 0 : failed / attempts,
      errors: this.socketErrors + this.timeouts,
      timeouts: this.timeouts,
      unexpectedStatus: this.unexpected,
      statusCodes: { ...this.statusCodes },
      ...(this.db.totalCount > 0 ? { dbP95: percentileMs(this.db, 95) } : {}),
      ...(targetRate === undefined ? {} : { rateAchieved: throughput / targetRate }),
    };
    const endpoints: Record<string, EndpointMetrics> = {};
    const endpointHistograms: Record<string, Histogram> = {};
    for (const [name, state] of this.endpoints) {
      endpointHistograms[name] = state.histogram;
      endpoints[name] = {
        requests: state.requests,
        throughput: durationSeconds > 0 ? state.requests / durationSeconds : 0,
        p50: percentileMs(state.histogram, 50),
        p95: percentileMs(state.histogram, 95),
        p99: percentileMs(state.histogram, 99),
        max: state.histogram.totalCount === 0 ? 0 : state.histogram.maxValue / 1000,
        errors: state.errors,
        ...(state.db.totalCount > 0 ? { dbP95: percentileMs(state.db, 95) } : {}),
      };
    }
    return {
      metrics,
      endpoints,
      series: this.series,
      histogram: this.all,
      endpointHistograms,
      dbHistogram: this.db,
    };
  }
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
