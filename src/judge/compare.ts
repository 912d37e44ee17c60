/**
 * Regression and improvement tests: baseline trials vs current trials.
 *
 * Per scenario present in both runs and per gated metric (dbP95 only when every trial on both
 * sides has it), the samples are the per-trial values (never requests):
 * - one-sided Mann-Whitney U, "current worse" (higher latency / error rate, lower throughput),
 *   and the other direction for improvements (exact when there are no ties, like scipy);
 * - effect: Hodges-Lehmann ratio current/baseline with its 95 % interval (latencies and
 *   throughput floored at 0.001 before logs); for the error rate, which is mostly 0, the
 *   Hodges-Lehmann shift current − baseline in percentage points instead of a ratio;
 * - Holm across the family of all tests of the comparison (regressions), and separately across
 *   the same family in the other direction (improvements).
 *
 * Family rule (Tarone's idea, conservative form): a test whose smallest achievable p-value
 * 1/C(n1+n2, n1) is not below α can never be significant, so it is left out of the family
 * (outcome "inconclusive"); a test whose values are all identical on both sides has no test at
 * all (outcome "unchanged"). Leaving them out keeps the correction from punishing the tests that
 * can be significant, and it keeps the family-wise error rate at α.
 *
 * Decision: regression when the Holm-adjusted p < α AND the estimated change is beyond the
 * effective min-effect = max(minEffect, 2 × the baseline's noise floor of that scenario/metric).
 * For the error rate the change must exceed max(0.5 pp, effective min-effect × the baseline's
 * median error rate): half a percentage point of extra failures is the least that counts.
 * If no test in the family can reach significance after Holm (too few trials), every test is
 * "inconclusive" and the verdict says how many trials per side would be needed.
 */
import { median } from 'simple-statistics';
import type { GatedMetric, ScenarioResult, TrialResult } from '../result/types.js';
import { GATED_METRICS } from '../result/types.js';
import { hodgesLehmannRatio, hodgesLehmannShift, holm, mannWhitneyU } from '../stats/index.js';
import { formatP, formatPercentChange, formatPp } from '../report/format.js';
import { regressionSeverity } from './severity.js';
import type { MetricComparison } from './types.js';

/** Floor for latencies (ms) and throughput (req/s) before logs: 1 µs, 0.001 req/s. */
export const RATIO_FLOOR = 0.001;
/** Smallest error-rate change that counts, percentage points. */
export const ERROR_RATE_MIN_PP = 0.5;
export const CONFIDENCE = 0.95;
const IDENTICAL = 'identical values in every trial on both sides';

export interface ScenarioPair {
  name: string;
  baseline: ScenarioResult;
  current: ScenarioResult;
  noiseFloor: Partial<Record<GatedMetric, number>> | undefined;
}

export interface ComparisonOutput {
  byScenario: Map<string, MetricComparison[]>;
  notes: string[];
  /** Per scenario, a note when its tests were inconclusive for lack of trials. */
  scenarioNotes: Map<string, string[]>;
}

function metricValue(t: TrialResult, metric: GatedMetric): number | undefined {
  const v = t.metrics[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A scenario's per-trial values of a metric; undefined when a trial lacks it. */
export function valuesOf(s: ScenarioResult, metric: GatedMetric): number[] | undefined {
  const out: number[] = [];
  for (const t of s.trials) {
    const v = metricValue(t, metric);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** C(n, k) as a float (exact enough for 1/C). */
export function binomial(n: number, k: number): number {
  let r = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return r;
}

/** The smallest one-sided p-value of the exact U test with sizes n1, n2. */
export function minAchievableP(n1: number, n2: number): number {
  return 1 / binomial(n1 + n2, n1);
}

/** Smallest n per side so that `family` tests could reach significance after Holm. */
export function trialsNeeded(family: number, alpha: number): number {
  for (let n = 2; n <= 200; n++) {
    if (Math.max(1, family) * minAchievableP(n, n) < alpha) return n;
  }
  return 200;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

interface Pending {
  scenario: string;
  comparison: MetricComparison;
}

function buildComparison(
  pair: ScenarioPair,
  metric: GatedMetric,
  alpha: number,
  minEffect: number,
): MetricComparison | undefined {
  const base = valuesOf(pair.baseline, metric);
  const cur = valuesOf(pair.current, metric);
  if (!base || !cur || base.length === 0 || cur.length === 0) return undefined;
  // Throughput: lower is worse; "x tends larger" = current higher.
  const higherIsWorse = metric !== 'throughput';
  const unit = metric === 'errorRate' ? 'pp' : 'ratio';
  const noise = pair.noiseFloor?.[metric];
  const noiseFloor =
    typeof noise === 'number' && Number.isFinite(noise) && noise > 0 ? noise : null;
  const relMin = Math.max(minEffect, 2 * (noiseFloor ?? 0));
  const baseMedian = median(base);
  const curMedian = median(cur);
  const effectiveMinEffect =
    unit === 'pp' ? Math.max(ERROR_RATE_MIN_PP, relMin * baseMedian * 100) : relMin;

  let effect: MetricComparison['effect'];
  let change: MetricComparison['change'];
  const all = [...base, ...cur];
  const degenerate = all.every((v) => v === all[0]);
  if (unit === 'pp') {
    if (degenerate) {
      effect = { estimate: 0, lower: 0, upper: 0, confidence: CONFIDENCE };
    } else if (base.length < 2 || cur.length < 2) {
      effect = {
        estimate: (curMedian - baseMedian) * 100,
        lower: null,
        upper: null,
        confidence: CONFIDENCE,
      };
    } else {
      const hl = hodgesLehmannShift(cur, base, CONFIDENCE);
      effect = {
        estimate: hl.estimate * 100,
        lower: finiteOrNull(hl.lower * 100),
        upper: finiteOrNull(hl.upper * 100),
        confidence: hl.confidence,
      };
    }
    change = { estimate: effect.estimate, lower: effect.lower, upper: effect.upper };
  } else {
    if (degenerate) {
      effect = { estimate: 1, lower: 1, upper: 1, confidence: CONFIDENCE };
    } else if (base.length < 2 || cur.length < 2) {
      const ratio = Math.max(curMedian, RATIO_FLOOR) / Math.max(baseMedian, RATIO_FLOOR);
      effect = { estimate: ratio, lower: null, upper: null, confidence: CONFIDENCE };
    } else {
      const floor = (v: number) => Math.max(v, RATIO_FLOOR);
      const hl = hodgesLehmannRatio(cur.map(floor), base.map(floor), CONFIDENCE);
      effect = {
        estimate: hl.estimate,
        lower: finiteOrNull(hl.lower),
        upper: finiteOrNull(hl.upper),
        confidence: hl.confidence,
      };
    }
    change = {
      estimate: effect.estimate - 1,
      lower: effect.lower === null ? null : effect.lower - 1,
      upper: effect.upper === null ? null : effect.upper - 1,
    };
  }

  const comparison: MetricComparison = {
    metric,
    higherIsWorse,
    unit,
    baseline: { n: base.length, median: baseMedian, values: base },
    current: { n: cur.length, median: curMedian, values: cur },
    effect,
    change,
    inFamily: false,
    pWorseAdjusted: null,
    pBetterAdjusted: null,
    pAdjusted: null,
    effectiveMinEffect,
    noiseFloor,
    outcome: 'unchanged',
    severity: null,
    reason: IDENTICAL,
  };
  if (degenerate) return comparison;
  if (base.length < 2 || cur.length < 2) {
    comparison.outcome = 'inconclusive';
    comparison.reason = `too few trials (${base.length} vs ${cur.length}): the test needs at least 2 per side`;
    return comparison;
  }

  const worseAlt = higherIsWorse ? 'greater' : 'less';
  const betterAlt = higherIsWorse ? 'less' : 'greater';
  const worse = mannWhitneyU(cur, base, worseAlt);
  const better = mannWhitneyU(cur, base, betterAlt);
  const pmin = minAchievableP(cur.length, base.length);
  comparison.test = {
    name: 'mann-whitney-u',
    method: worse.method,
    statistic: worse.statistic,
    pWorse: worse.pValue,
    pBetter: better.pValue,
    minAchievableP: pmin,
  };
  comparison.inFamily = pmin < alpha;
  if (!comparison.inFamily) {
    comparison.outcome = 'inconclusive';
    comparison.reason = `too few trials (${base.length} vs ${cur.length}): the smallest possible p is ${formatP(pmin)}, not below α ${alpha}`;
  }
  return comparison;
}

function describeChange(c: MetricComparison): string {
  if (c.unit === 'pp') {
    const iv =
      c.change.lower === null || c.change.upper === null
        ? ''
        : ` [${formatPp(c.change.lower, false)}, ${formatPp(c.change.upper, false)}]`;
    return `${formatPp(c.change.estimate)}${iv}`;
  }
  const iv =
    c.change.lower === null || c.change.upper === null
      ? ''
      : ` [${formatPercentChange(c.change.lower, false)}, ${formatPercentChange(c.change.upper, false)}]`;
  return `${formatPercentChange(c.change.estimate)}${iv}`;
}

function minEffectText(c: MetricComparison): string {
  return c.unit === 'pp'
    ? `${c.effectiveMinEffect.toFixed(2)} pp`
    : `${(c.effectiveMinEffect * 100).toFixed(1)} %`;
}

export function changeText(c: MetricComparison): string {
  return describeChange(c);
}

export function compareScenarios(
  pairs: readonly ScenarioPair[],
  alpha: number,
  minEffect: number,
): ComparisonOutput {
  const pending: Pending[] = [];
  const byScenario = new Map<string, MetricComparison[]>();
  for (const pair of pairs) {
    const list: MetricComparison[] = [];
    for (const metric of GATED_METRICS) {
      const c = buildComparison(pair, metric, alpha, minEffect);
      if (!c) continue;
      list.push(c);
      pending.push({ scenario: pair.name, comparison: c });
    }
    byScenario.set(pair.name, list);
  }

  const notes: string[] = [];
  const scenarioNotes = new Map<string, string[]>();
  const tested = pending.filter((p) => p.comparison.test !== undefined);
  const family = tested.filter((p) => p.comparison.inFamily);
  const m = family.length;

  const worseAdj = holm(family.map((p) => p.comparison.test?.pWorse ?? 1));
  const betterAdj = holm(family.map((p) => p.comparison.test?.pBetter ?? 1));
  // Could any test of the family pass Holm's first step (α / m)?
  const powered = family.some((p) => m * (p.comparison.test?.minAchievableP ?? 1) < alpha);

  family.forEach((p, i) => {
    const c = p.comparison;
    const pw = worseAdj[i] ?? 1;
    const pb = betterAdj[i] ?? 1;
    c.pWorseAdjusted = pw;
    c.pBetterAdjusted = pb;
    const worseBy = c.unit === 'pp' || c.higherIsWorse ? c.change.estimate : -c.change.estimate;
    if (pw < alpha) {
      c.pAdjusted = pw;
      if (worseBy > c.effectiveMinEffect) {
        c.outcome = 'regression';
        c.severity = regressionSeverity(c.change.estimate, c.metric === 'errorRate');
        c.reason = `${describeChange(c)}, adjusted p ${formatP(pw)} < α ${alpha}, beyond the min effect ${minEffectText(c)}`;
      } else {
        c.outcome = 'unchanged';
        c.reason = `significant (adjusted p ${formatP(pw)}) but ${describeChange(c)} is within the min effect ${minEffectText(c)}`;
      }
    } else if (pb < alpha) {
      c.pAdjusted = pb;
      if (-worseBy > c.effectiveMinEffect) {
        c.outcome = 'improvement';
        c.reason = `${describeChange(c)}, adjusted p ${formatP(pb)} < α ${alpha}, beyond the min effect ${minEffectText(c)}`;
      } else {
        c.outcome = 'unchanged';
        c.reason = `significantly better (adjusted p ${formatP(pb)}) but ${describeChange(c)} is within the min effect ${minEffectText(c)}`;
      }
    } else if (!powered) {
      c.pAdjusted = pw;
      c.outcome = 'inconclusive';
      c.reason = `too few trials: with ${m} tests no result can be significant after Holm`;
    } else {
      c.pAdjusted = pw;
      c.outcome = 'unchanged';
      c.reason = `no significant change (adjusted p ${formatP(pw)})`;
    }
  });

  // Every comparison that is not "identical on both sides" could have been a test.
  const testable = pending.filter((p) => p.comparison.reason !== IDENTICAL);
  const inconclusive = testable.filter((p) => p.comparison.outcome === 'inconclusive');
  if (inconclusive.length > 0) {
    const need = trialsNeeded(testable.length, alpha);
    if (inconclusive.length === testable.length) {
      notes.push(
        `Too few trials to detect regressions: need ≥ ${need} per side for ${testable.length} tests at α ${alpha} after Holm (the exact U test's smallest one-sided p with n per side is 1/C(2n, n)).`,
      );
    } else {
      const names = [...new Set(inconclusive.map((p) => p.scenario))];
      for (const name of names) {
        const list = scenarioNotes.get(name) ?? [];
        list.push(
          `Too few trials to detect regressions in this scenario: need ≥ ${need} per side.`,
        );
        scenarioNotes.set(name, list);
      }
      notes.push(
        `Too few trials to detect regressions in ${names.length} scenario${names.length === 1 ? '' : 's'}: need ≥ ${need} per side.`,
      );
    }
  }
  return { byScenario, notes, scenarioNotes };
}
