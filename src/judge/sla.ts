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

type Trial = ScenarioResult['trials'][number];
type KindResult = NonNullable<ScenarioResult['kindResult']>;
type OfKind<K extends KindResult['kind']> = Extract<KindResult, { kind: K }>;

const NOT_MEASURED: Measured = { value: null, basis: 'not measured' };
const r3 = (v: number) => Number(v.toPrecision(3));

function medianOf(s: ScenarioResult, pick: (t: Trial) => number | undefined): Measured {
  const values = s.trials
    .map(pick)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  // dbP95 must be present in every trial, or it is not measured.
  if (values.length === 0 || values.length < s.trials.length) return NOT_MEASURED;
  return {
    value: median(values),
    basis: `median of ${values.length} trial${values.length === 1 ? '' : 's'}`,
  };
}

/** A peak the monitor read; undefined when it could not read one. */
const peak = (value: number | undefined): Measured =>
  value === undefined ? NOT_MEASURED : { value, basis: 'peak' };

const megabytes = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / MB);

function check(
  label: string,
  bound: CheckSpec['bound'],
  unit: SlaCheck['unit'],
  measure: CheckSpec['measure'],
): CheckSpec {
  return { label, bound, unit, measure };
}

/** A check of the median across trials of one per-trial value. */
function trialMedian(
  label: string,
  bound: CheckSpec['bound'],
  unit: SlaCheck['unit'],
  pick: (t: Trial) => number | undefined,
): CheckSpec {
  return check(label, bound, unit, (s) => medianOf(s, pick));
}

/** A check of one kind's result (src/kinds): the other kinds have not measured it. */
function kindCheck<K extends KindResult['kind']>(
  kind: K,
  label: string,
  bound: CheckSpec['bound'],
  unit: SlaCheck['unit'],
  measure: (k: OfKind<K>) => Measured,
): CheckSpec {
  return check(label, bound, unit, (s) =>
    s.kindResult?.kind === kind ? measure(s.kindResult as OfKind<K>) : NOT_MEASURED,
  );
}

/** In the order they are reported. */
const SPECS: Record<SlaCheckName, CheckSpec> = {
  p95Ms: trialMedian('p95 latency', 'max', 'ms', (t) => t.metrics.p95),
  p99Ms: trialMedian('p99 latency', 'max', 'ms', (t) => t.metrics.p99),
  dbP95Ms: trialMedian('db p95', 'max', 'ms', (t) => t.metrics.dbP95),
  maxRequestMs: check('slowest request', 'max', 'ms', (s) =>
    s.trials.length === 0
      ? NOT_MEASURED
      : { value: Math.max(...s.trials.map((t) => t.metrics.max)), basis: 'max over trials' },
  ),
  minThroughput: trialMedian('throughput', 'min', 'req/s', (t) => t.metrics.throughput),
  maxErrorRate: trialMedian('error rate', 'max', 'ratio', (t) => t.metrics.errorRate),
  maxRssMb: check('service RSS', 'max', 'MB', (s) =>
    peak(s.resources.samples > 0 ? megabytes(s.resources.rssBytesPeak) : undefined),
  ),
  maxCpuPercent: check('sustained CPU', 'max', '%', (s, cores) =>
    s.resources.samples > 0
      ? {
          value: s.resources.cpuPercentMean / Math.max(1, cores),
          basis: `mean, % of ${cores} core${cores === 1 ? '' : 's'}`,
        }
      : NOT_MEASURED,
  ),
  maxPgConnections: check('Postgres connections', 'max', 'connections', (s) =>
    peak(s.resources.pgConnectionsPeak),
  ),
  maxRedisMb: check('Redis memory', 'max', 'MB', (s) =>
    peak(megabytes(s.resources.redisUsedBytesPeak)),
  ),
  // ---- per-kind checks
  maxBulkMs: kindCheck('volume', 'bulk action', 'max', 'ms', ({ bulk }) => {
    if (bulk === null) return NOT_MEASURED;
    const basis = `${bulk.action} of ${bulk.users} users`;
    return bulk.ok
      ? { value: bulk.durationMs, basis }
      : { value: bulk.durationMs, basis: `${basis}, status ${bulk.status}`, pass: false };
  }),
  maxRecoverySeconds: kindCheck('spike', 'recovery after the burst', 'max', 's', (k) =>
    k.recoverySeconds === null
      ? {
          value: r3(k.after.seconds),
          basis: `not back under ${r3(k.recoveryThresholdMs)} ms p95 within the run`,
          pass: false,
        }
      : { value: k.recoverySeconds, basis: `to p95 ≤ ${r3(k.recoveryThresholdMs)} ms` },
  ),
  maxLeakMbPerMin: kindCheck('soak', 'RSS slope (leak)', 'max', 'MB/min', (k) =>
    k.rss === null
      ? NOT_MEASURED
      : {
          value: k.rss.slope,
          basis: trendBasis(k.rss, k.leakThresholdMbPerMin, 'MB/min'),
          pass: !k.leak,
        },
  ),
  maxP95SlopeMsPerMin: kindCheck('soak', 'p95 slope (degradation)', 'max', 'ms/min', (k) =>
    k.p95 === null
      ? NOT_MEASURED
      : {
          value: k.p95.slope,
          basis: trendBasis(k.p95, k.p95ThresholdMsPerMin, 'ms/min'),
          pass: !k.degradation,
        },
  ),
  maxServerErrors: kindCheck('recovery', '5xx responses', 'max', 'count', (k) => ({
    value: k.invalid.fivexx + k.valid.fivexx,
    basis: `${k.invalid.fivexx} to invalid, ${k.valid.fivexx} to valid requests`,
  })),
  minValidSuccessRate: kindCheck('recovery', 'valid requests succeeding', 'min', 'ratio', (k) => ({
    value: k.validSuccessRate,
    basis: `${k.valid.succeeded} of ${k.valid.requests} among invalid ones`,
  })),
  healthAfter: kindCheck('recovery', 'health after (1 = 2xx)', 'min', 'count', (k) => ({
    value: k.healthAfter.ok ? 1 : 0,
    basis: k.healthAfter.status === null ? 'no answer' : `status ${k.healthAfter.status}`,
  })),
  minKneeThroughput: kindCheck('stress', 'knee throughput', 'min', 'req/s', (k) =>
    k.knee === null
      ? { value: 0, basis: 'no step within the SLA' }
      : { value: k.knee.throughput, basis: `at ${k.knee.connections} connections` },
  ),
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
    const row = { check: name, label: spec.label, bound: spec.bound, unit: spec.unit, threshold };
    if (value === null) {
      checks.push({
        ...row,
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
      ...row,
      measured: value,
      basis,
      margin,
      status: pass ? 'pass' : 'fail',
      severity: pass ? null : slaSeverity(spec.bound, threshold, value, name === 'maxErrorRate'),
    });
  }
  return checks;
}
