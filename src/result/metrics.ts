/**
 * What each gated metric is: how to read it and where a scenario keeps its samples. The judge,
 * the history and the reports all read this one table.
 */
import type { GatedMetric } from './measurement-schema.js';
import type { ScenarioResult, TrialResult } from './scenario-schema.js';

export interface MetricInfo {
  /** As a reader sees it in a table or a sentence. */
  label: string;
  /** The unit of its values: milliseconds, requests per second, a share 0..1, µs of CPU. */
  unit: 'ms' | 'req/s' | 'share' | 'µs';
  /** False for throughput: lower is worse. */
  higherIsWorse: boolean;
  /** Changes are relative (a ratio), or in percentage points for a share. */
  scale: 'ratio' | 'pp';
  /** Where its per-trial samples are: the trials (pairs), or the phase at a steady rate. */
  source: 'trials' | 'steady';
  /**
   * Whether an A/B run with a budget waits for this metric to be decided (judge/sequential.ts).
   * The tails, the database time and latency at a steady rate are as gated as the rest (any look
   * can call a regression on them, and the verdict judges them at the end), but their rounds
   * vary 3–30× more than the median's, so waiting for them to be bounded would spend every
   * budget on them (docs/measurements.md, "Latency at a steady rate").
   */
  decides: boolean;
  /** The field of a trial's metrics that holds the value. */
  field: 'p50' | 'p95' | 'p99' | 'throughput' | 'errorRate' | 'dbP95' | 'cpuPerRequest';
}

export const METRICS: Readonly<Record<GatedMetric, MetricInfo>> = {
  p50: {
    label: 'p50',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'trials',
    decides: true,
    field: 'p50',
  },
  p95: {
    label: 'p95',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'trials',
    decides: true,
    field: 'p95',
  },
  p99: {
    label: 'p99',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'trials',
    decides: false,
    field: 'p99',
  },
  throughput: {
    label: 'throughput',
    unit: 'req/s',
    higherIsWorse: false,
    scale: 'ratio',
    source: 'trials',
    decides: true,
    field: 'throughput',
  },
  errorRate: {
    label: 'error rate',
    unit: 'share',
    higherIsWorse: true,
    scale: 'pp',
    source: 'trials',
    decides: true,
    field: 'errorRate',
  },
  dbP95: {
    label: 'db p95',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'trials',
    decides: false,
    field: 'dbP95',
  },
  cpuPerRequest: {
    label: 'CPU per request',
    unit: 'µs',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'trials',
    decides: true,
    field: 'cpuPerRequest',
  },
  steadyP50: {
    label: 'p50 at a steady rate',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'steady',
    decides: false,
    field: 'p50',
  },
  steadyP95: {
    label: 'p95 at a steady rate',
    unit: 'ms',
    higherIsWorse: true,
    scale: 'ratio',
    source: 'steady',
    decides: false,
    field: 'p95',
  },
};

/** The trials that hold a metric's samples: the scenario's own, or its steady phase's. */
export function trialsOf(s: ScenarioResult, metric: GatedMetric): readonly TrialResult[] {
  return METRICS[metric].source === 'steady' ? (s.steady?.trials ?? []) : s.trials;
}

/** A trial's value of a metric; undefined when the trial did not measure it. */
export function metricValue(t: TrialResult, metric: GatedMetric): number | undefined {
  const v = t.metrics[METRICS[metric].field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
