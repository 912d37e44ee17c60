/**
 * Absolute SLA checks on the current run only.
 *
 * Values checked:
 * - latency (p95, p99, db p95), throughput and error rate: the median across trials of the
 *   per-trial value (robust to one odd trial; the basis says "median of N trials");
 * - maxRequestMs: the slowest single request of any trial (a bound on every request);
 * - RSS, Postgres connections, Redis memory: the peak over all trials;
 * - CPU: the mean over all trials ("sustained"), converted from percent of one core to percent
 *   of the machine with `environment.cores`.
 */
import { median } from 'simple-statistics';
import type { ScenarioResult, SlaThresholds } from '../result/types.js';
import { slaSeverity } from './severity.js';
import type { SlaCheck, SlaCheckName } from './types.js';

const MB = 1024 * 1024;

interface CheckSpec {
  label: string;
  bound: 'max' | 'min';
  unit: SlaCheck['unit'];
  measure: (s: ScenarioResult, cores: number) => { value: number | null; basis: string };
}

function medianOf(
  s: ScenarioResult,
  pick: (t: ScenarioResult['trials'][number]) => number | undefined,
) {
  const values = s.trials
    .map(pick)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  // dbP95 must be present in every trial, or it is not measured.
  if (values.length === 0 || values.length < s.trials.length) {
    return { value: null, basis: 'not measured' };
  }
  return {
    value: median(values),
    basis: `median of ${values.length} trial${values.length === 1 ? '' : 's'}`,
  };
}

/** In the order they are reported. */
const SPECS: Record<SlaCheckName, CheckSpec> = {
  p95Ms: {
    label: 'p95 latency',
    bound: 'max',
    unit: 'ms',
    measure: (s) => medianOf(s, (t) => t.metrics.p95),
  },
  p99Ms: {
    label: 'p99 latency',
    bound: 'max',
    unit: 'ms',
    measure: (s) => medianOf(s, (t) => t.metrics.p99),
  },
  dbP95Ms: {
    label: 'db p95',
    bound: 'max',
    unit: 'ms',
    measure: (s) => medianOf(s, (t) => t.metrics.dbP95),
  },
  maxRequestMs: {
    label: 'slowest request',
    bound: 'max',
    unit: 'ms',
    measure: (s) =>
      s.trials.length === 0
        ? { value: null, basis: 'not measured' }
        : { value: Math.max(...s.trials.map((t) => t.metrics.max)), basis: 'max over trials' },
  },
  minThroughput: {
    label: 'throughput',
    bound: 'min',
    unit: 'req/s',
    measure: (s) => medianOf(s, (t) => t.metrics.throughput),
  },
  maxErrorRate: {
    label: 'error rate',
    bound: 'max',
    unit: 'ratio',
    measure: (s) => medianOf(s, (t) => t.metrics.errorRate),
  },
  maxRssMb: {
    label: 'service RSS',
    bound: 'max',
    unit: 'MB',
    measure: (s) =>
      s.resources.samples > 0
        ? { value: s.resources.rssBytesPeak / MB, basis: 'peak' }
        : { value: null, basis: 'not measured' },
  },
  maxCpuPercent: {
    label: 'sustained CPU',
    bound: 'max',
    unit: '%',
    measure: (s, cores) =>
      s.resources.samples > 0
        ? {
            value: s.resources.cpuPercentMean / Math.max(1, cores),
            basis: `mean, % of ${cores} core${cores === 1 ? '' : 's'}`,
          }
        : { value: null, basis: 'not measured' },
  },
  maxPgConnections: {
    label: 'Postgres connections',
    bound: 'max',
    unit: 'connections',
    measure: (s) =>
      s.resources.pgConnectionsPeak === undefined
        ? { value: null, basis: 'not measured' }
        : { value: s.resources.pgConnectionsPeak, basis: 'peak' },
  },
  maxRedisMb: {
    label: 'Redis memory',
    bound: 'max',
    unit: 'MB',
    measure: (s) =>
      s.resources.redisUsedBytesPeak === undefined
        ? { value: null, basis: 'not measured' }
        : { value: s.resources.redisUsedBytesPeak / MB, basis: 'peak' },
  },
};

export const SLA_CHECK_ORDER = Object.keys(SPECS) as SlaCheckName[];

export function slaLabel(name: SlaCheckName): string {
  return SPECS[name].label;
}

export function checkSla(scenario: ScenarioResult, cores: number): SlaCheck[] {
  const sla: SlaThresholds = scenario.sla;
  const checks: SlaCheck[] = [];
  for (const name of SLA_CHECK_ORDER) {
    const threshold = sla[name];
    if (threshold === undefined || !Number.isFinite(threshold)) continue;
    const spec = SPECS[name];
    const { value, basis } = spec.measure(scenario, cores);
    if (value === null) {
      checks.push({
        check: name,
        label: spec.label,
        bound: spec.bound,
        unit: spec.unit,
        threshold,
        measured: null,
        basis,
        margin: null,
        status: 'not-measured',
        severity: null,
      });
      continue;
    }
    const pass = spec.bound === 'max' ? value <= threshold : value >= threshold;
    let margin: number | null = null;
    if (threshold !== 0) {
      margin =
        spec.bound === 'max' ? (threshold - value) / threshold : (value - threshold) / threshold;
    } else if (value === 0) {
      margin = 0;
    }
    checks.push({
      check: name,
      label: spec.label,
      bound: spec.bound,
      unit: spec.unit,
      threshold,
      measured: value,
      basis,
      margin,
      status: pass ? 'pass' : 'fail',
      severity: pass ? null : slaSeverity(spec.bound, threshold, value, name === 'maxErrorRate'),
    });
  }
  return checks;
}
