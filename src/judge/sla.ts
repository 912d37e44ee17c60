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
import type { ScenarioResult, SlaThresholds, TestKind } from '../result/types.js';
import { slaSeverity } from './severity.js';
import type { SlaCheck, SlaCheckName } from './types.js';

const MB = 1024 * 1024;

interface Measured {
  value: number | null;
  basis: string;
  /** Overrides the plain comparison with the threshold (a leak also needs a significant slope). */
  pass?: boolean;
}

interface CheckSpec {
  label: string;
  bound: 'max' | 'min';
  unit: SlaCheck['unit'];
  measure: (s: ScenarioResult, cores: number) => Measured;
}

const NOT_MEASURED: Measured = { value: null, basis: 'not measured' };
const r3 = (v: number) => Number(v.toPrecision(3));

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
  // ---- per-kind checks (src/kinds); each reads its kind's result
  maxBulkMs: {
    label: 'bulk action',
    bound: 'max',
    unit: 'ms',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'volume' || k.bulk === null) return NOT_MEASURED;
      const basis = `${k.bulk.action} of ${k.bulk.users} users`;
      return k.bulk.ok
        ? { value: k.bulk.durationMs, basis }
        : { value: k.bulk.durationMs, basis: `${basis}, status ${k.bulk.status}`, pass: false };
    },
  },
  maxRecoverySeconds: {
    label: 'recovery after the burst',
    bound: 'max',
    unit: 's',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'spike') return NOT_MEASURED;
      if (k.recoverySeconds === null) {
        return {
          value: r3(k.after.seconds),
          basis: `not back under ${r3(k.recoveryThresholdMs)} ms p95 within the run`,
          pass: false,
        };
      }
      return { value: k.recoverySeconds, basis: `to p95 ≤ ${r3(k.recoveryThresholdMs)} ms` };
    },
  },
  maxLeakMbPerMin: {
    label: 'RSS slope (leak)',
    bound: 'max',
    unit: 'MB/min',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'soak' || k.rss === null) return NOT_MEASURED;
      return {
        value: k.rss.slope,
        basis: trendBasis(k.rss, k.leakThresholdMbPerMin, 'MB/min'),
        pass: !k.leak,
      };
    },
  },
  maxP95SlopeMsPerMin: {
    label: 'p95 slope (degradation)',
    bound: 'max',
    unit: 'ms/min',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'soak' || k.p95 === null) return NOT_MEASURED;
      return {
        value: k.p95.slope,
        basis: trendBasis(k.p95, k.p95ThresholdMsPerMin, 'ms/min'),
        pass: !k.degradation,
      };
    },
  },
  maxServerErrors: {
    label: '5xx responses',
    bound: 'max',
    unit: 'count',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'recovery') return NOT_MEASURED;
      return {
        value: k.invalid.fivexx + k.valid.fivexx,
        basis: `${k.invalid.fivexx} to invalid, ${k.valid.fivexx} to valid requests`,
      };
    },
  },
  minValidSuccessRate: {
    label: 'valid requests succeeding',
    bound: 'min',
    unit: 'ratio',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'recovery') return NOT_MEASURED;
      return {
        value: k.validSuccessRate,
        basis: `${k.valid.succeeded} of ${k.valid.requests} among invalid ones`,
      };
    },
  },
  healthAfter: {
    label: 'health after (1 = 2xx)',
    bound: 'min',
    unit: 'count',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'recovery') return NOT_MEASURED;
      return {
        value: k.healthAfter.ok ? 1 : 0,
        basis: k.healthAfter.status === null ? 'no answer' : `status ${k.healthAfter.status}`,
      };
    },
  },
  minKneeThroughput: {
    label: 'knee throughput',
    bound: 'min',
    unit: 'req/s',
    measure: (s) => {
      const k = s.kindResult;
      if (k?.kind !== 'stress') return NOT_MEASURED;
      return k.knee === null
        ? { value: 0, basis: 'no step within the SLA' }
        : { value: k.knee.throughput, basis: `at ${k.knee.connections} connections` };
    },
  },
};

function trendBasis(
  t: { slopeLower: number; slopeUpper: number; r2: number; fromMinute: number },
  threshold: number | null,
  unit: string,
) {
  const needs = threshold === null ? '' : ` and the slope above ${r3(threshold)} ${unit}`;
  return `slope over the last ⅔ (from min ${r3(t.fromMinute)}), 95 % CI [${r3(t.slopeLower)}, ${r3(t.slopeUpper)}], R² ${t.r2.toFixed(2)}; a finding needs the CI above 0${needs}`;
}

/**
 * Kinds without trials measure the trial-based checks differently: a stress run breaks its
 * latency SLA on purpose (that is its knee) and saturates the CPU on purpose, so those checks
 * do not apply; a spike's latency checks apply to the burst, its error rate to the whole run.
 */
const SKIPPED: Partial<Record<TestKind, ReadonlySet<SlaCheckName>>> = {
  stress: new Set<SlaCheckName>([
    'p95Ms',
    'p99Ms',
    'dbP95Ms',
    'maxRequestMs',
    'minThroughput',
    'maxErrorRate',
    'maxCpuPercent',
  ]),
  spike: new Set<SlaCheckName>(['dbP95Ms', 'minThroughput']),
};

function spikeMeasure(s: ScenarioResult, name: SlaCheckName): Measured | undefined {
  const k = s.kindResult;
  if (k?.kind !== 'spike') return undefined;
  const phases = [k.base, k.spike, k.after];
  switch (name) {
    case 'p95Ms':
      return { value: k.spike.p95, basis: 'during the burst' };
    case 'p99Ms':
      return { value: k.spike.p99, basis: 'during the burst' };
    case 'maxRequestMs':
      return { value: Math.max(...phases.map((p) => p.max)), basis: 'slowest of the run' };
    case 'maxErrorRate': {
      const requests = phases.reduce((a, p) => a + p.requests, 0);
      const failed = phases.reduce((a, p) => a + p.errorRate * p.requests, 0);
      return { value: requests === 0 ? 0 : failed / requests, basis: 'whole run' };
    }
    default:
      return undefined;
  }
}

export const SLA_CHECK_ORDER = Object.keys(SPECS) as SlaCheckName[];

export function checkSla(scenario: ScenarioResult, cores: number): SlaCheck[] {
  const sla: SlaThresholds = scenario.sla;
  const checks: SlaCheck[] = [];
  const skipped = SKIPPED[scenario.kind];
  for (const name of SLA_CHECK_ORDER) {
    const threshold = sla[name];
    if (threshold === undefined || !Number.isFinite(threshold)) continue;
    if (skipped?.has(name)) continue;
    const spec = SPECS[name];
    const {
      value,
      basis,
      pass: passOverride,
    } = spikeMeasure(scenario, name) ?? spec.measure(scenario, cores);
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
    const pass = passOverride ?? (spec.bound === 'max' ? value <= threshold : value >= threshold);
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
