/**
 * Trial k of every shard → trial k of the whole run. Counts and rates add up; every percentile
 * is read again from the sum of the shards' histograms (adding HDR counts is exact: the same as
 * recording every request into one histogram), never averaged. What one machine saw and cannot
 * be added (its own CPU, the resources it sampled) is not summed. Pure.
 */
import {
  addEncoded,
  latencyPercentiles,
  percentileMs,
  toMicros,
  type Histogram,
} from './histogram.js';
import { byName, own } from './own.js';
import type {
  AnsweredLatency,
  AttributionCheckSummary,
  EndpointMetrics,
  SecondPoint,
  TrialMetrics,
  TrialResult,
  TrialShardDetail,
} from './types.js';

/** A trial with the detail a shard result carries. */
type DetailedTrial = TrialResult & { shard: TrialShardDetail };

/** One shard's trial. */
export interface ShardTrial {
  /** The shard's 1-based index. */
  shard: number;
  trial: DetailedTrial;
}

export function mergeTrial(
  parts: readonly ShardTrial[],
  count: number,
  targetRate: number | undefined,
): TrialResult {
  const first = parts[0];
  if (first === undefined) throw new Error('mergeTrial: no shard trials');
  const trials = parts.map((p) => p.trial);
  const suspect = parts.find((p) => p.trial.suspect !== undefined);
  return {
    index: first.trial.index,
    startedAt: earliest(trials.map((t) => t.startedAt)),
    durationSeconds: Math.max(...trials.map((t) => t.durationSeconds)),
    metrics: mergeMetrics(trials, targetRate),
    endpoints: mergeEndpoints(trials),
    series: mergeSeries(trials),
    // Another machine's samples of the shared target: the first shard's view, never summed.
    resources: first.trial.resources,
    // The busiest generator limits the whole: its CPU is the merged trial's.
    generatorCpuPercent: Math.max(...trials.map((t) => t.generatorCpuPercent)),
    ...(suspect?.trial.suspect
      ? {
          suspect: {
            ...suspect.trial.suspect,
            message: `shard ${suspect.shard}/${count}: ${suspect.trial.suspect.message}`,
          },
        }
      : {}),
  };
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function mergeMetrics(
  trials: readonly DetailedTrial[],
  targetRate: number | undefined,
): TrialMetrics {
  const m = trials.map((t) => t.metrics);
  const latency = addEncoded(trials.map((t) => t.shard.histogram));
  const db = addEncoded(trials.map((t) => t.shard.dbHistogram));
  const requests = sum(m.map((x) => x.requests));
  const throughput = sum(m.map((x) => x.throughput));
  const errors = sum(m.map((x) => x.errors));
  const timeouts = sum(m.map((x) => x.timeouts));
  const unexpectedStatus = sum(m.map((x) => x.unexpectedStatus));
  // As the recorder counts: attempts are answers plus requests without one.
  const attempts = requests + errors;
  const closed = m.filter((x) => x.closedBeforeResponse !== undefined);
  const attributed = m.flatMap((x) => (x.attribution ? [x.attribution] : []));
  return {
    requests,
    throughput,
    ...latencyPercentiles(latency),
    max: Math.max(...m.map((x) => x.max)),
    mean: latency.totalCount === 0 ? 0 : latency.mean / 1000,
    errorRate: attempts === 0 ? 0 : (unexpectedStatus + errors) / attempts,
    errors,
    timeouts,
    unexpectedStatus,
    statusCodes: addCounts(m.map((x) => x.statusCodes)),
    ...(db.totalCount > 0 ? { dbP95: percentileMs(db, 95) } : {}),
    ...(targetRate === undefined ? {} : { rateAchieved: throughput / targetRate }),
    ...(closed.length > 0
      ? { closedBeforeResponse: sum(closed.map((x) => x.closedBeforeResponse ?? 0)) }
      : {}),
    ...(timeouts > 0
      ? {
          answered: {
            ...answeredLatency(
              addEncoded(trials.map((t) => t.shard.answeredHistogram ?? t.shard.histogram)),
            ),
            max: Math.max(...m.map(answeredMax)),
          },
        }
      : {}),
    ...(attributed.length > 0 ? { attribution: addAttribution(attributed) } : {}),
  };
}

function mergeEndpoints(trials: readonly DetailedTrial[]): Record<string, EndpointMetrics> {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.endpoints)))];
  const out = byName<EndpointMetrics>();
  for (const name of names) {
    const e = trials.flatMap((t) => {
      const endpoint = own(t.endpoints, name);
      return endpoint ? [endpoint] : [];
    });
    const histogram = addEncoded(trials.map((t) => own(t.shard.endpointHistograms, name)));
    const db = addEncoded(trials.map((t) => own(t.shard.endpointDbHistograms, name)));
    const timeouts = sum(e.map((x) => x.timeouts ?? 0));
    const closed = sum(e.map((x) => x.closedBeforeResponse ?? 0));
    out[name] = {
      requests: sum(e.map((x) => x.requests)),
      throughput: sum(e.map((x) => x.throughput)),
      p50: percentileMs(histogram, 50),
      p95: percentileMs(histogram, 95),
      p99: percentileMs(histogram, 99),
      max: Math.max(0, ...e.map((x) => x.max)),
      errors: sum(e.map((x) => x.errors)),
      ...(db.totalCount > 0 ? { dbP95: percentileMs(db, 95) } : {}),
      ...(timeouts > 0 ? { timeouts } : {}),
      ...(closed > 0 ? { closedBeforeResponse: closed } : {}),
    };
  }
  return out;
}

/** Second t of every shard → second t of the whole: counts added, p95 from the summed seconds. */
function mergeSeries(trials: readonly DetailedTrial[]): SecondPoint[] {
  const byT = new Map<number, { requests: number; errors: number; encoded: string[] }>();
  for (const trial of trials) {
    for (const [i, point] of trial.series.entries()) {
      const at = byT.get(point.t) ?? { requests: 0, errors: 0, encoded: [] };
      at.requests += point.requests;
      at.errors += point.errors;
      const encoded = trial.shard.seconds[i];
      if (encoded !== undefined) at.encoded.push(encoded);
      byT.set(point.t, at);
    }
  }
  return [...byT.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, at]) => ({
      t,
      requests: at.requests,
      p95: percentileMs(addEncoded(at.encoded), 95),
      errors: at.errors,
    }));
}

/**
 * Maxima are taken from the shards' figures, not the summed histogram: an encoded histogram
 * keeps its top bucket, not the exact largest value the recorder saw.
 */
function answeredLatency(histogram: Histogram): Omit<AnsweredLatency, 'max'> {
  return {
    requests: histogram.totalCount,
    p50: percentileMs(histogram, 50),
    p95: percentileMs(histogram, 95),
    p99: percentileMs(histogram, 99),
    mean: histogram.totalCount === 0 ? 0 : histogram.mean / 1000,
  };
}

/** A shard's slowest answer, ms; without timeouts its slowest request, in the recorder's µs. */
function answeredMax(m: TrialMetrics): number {
  if (m.answered) return m.answered.max;
  return m.requests === 0 ? 0 : toMicros(m.max) / 1000;
}

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const out = byName<number>();
  for (const record of records) {
    for (const [key, n] of Object.entries(record)) out[key] = (out[key] ?? 0) + n;
  }
  return out;
}

function addAttribution(all: readonly AttributionCheckSummary[]): AttributionCheckSummary {
  return {
    checked: sum(all.map((a) => a.checked)),
    mismatched: sum(all.map((a) => a.mismatched)),
    unresolved: sum(all.map((a) => a.unresolved)),
  };
}

export function earliest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}
