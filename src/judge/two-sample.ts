/**
 * One (scenario × metric) comparison of baseline trials vs current trials (stored-baseline
 * mode): the samples are per-trial values, the test one-sided Mann-Whitney U in both directions,
 * the effect Hodges-Lehmann. The Holm family and the outcome are decided in family.ts.
 */
import { median } from 'simple-statistics';
import { formatP } from '../format/numbers.js';
import {
  METRICS,
  metricValue,
  trialsOf,
  type GatedMetric,
  type ScenarioResult,
} from '../result/types.js';
import {
  hodgesLehmannRatio,
  hodgesLehmannShift,
  mannWhitneyU,
  pooledRobustSd,
} from '../stats/index.js';
import type { MetricComparison } from './types.js';

/** Floor for latencies (ms) and throughput (req/s) before logs: 1 µs, 0.001 req/s. */
export const RATIO_FLOOR = 0.001;
/** Smallest error-rate change that counts, percentage points. */
export const ERROR_RATE_MIN_PP = 0.5;
export const CONFIDENCE = 0.95;
/** The reason of a comparison with no test: nothing varied. */
export const IDENTICAL = 'identical values in every trial on both sides';
/** The reason of a paired comparison with no test: every pair was equal. */
export const IDENTICAL_PAIRS = 'identical values in every pair';

export interface ScenarioPair {
  name: string;
  baseline: ScenarioResult;
  current: ScenarioResult;
  noiseFloor: Partial<Record<GatedMetric, number>> | undefined;
}

/** A scenario's per-trial values of a metric; undefined when a trial lacks it. */
export function valuesOf(s: ScenarioResult, metric: GatedMetric): number[] | undefined {
  const out: number[] = [];
  for (const t of trialsOf(s, metric)) {
    const v = metricValue(t, metric);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** Both sides' per-trial values of a metric, and how it reads; undefined when a side lacks it. */
export function metricSides(
  pair: ScenarioPair,
  metric: GatedMetric,
): { base: number[]; current: number[]; higherIsWorse: boolean; unit: 'ratio' | 'pp' } | undefined {
  const base = valuesOf(pair.baseline, metric);
  const current = valuesOf(pair.current, metric);
  if (!base || !current || base.length === 0 || current.length === 0) return undefined;
  // Throughput: lower is worse; "x tends larger" = current higher.
  const { higherIsWorse, scale } = METRICS[metric];
  return { base, current, higherIsWorse, unit: scale };
}

/**
 * The min effect in the comparison's unit: the relative one for ratios; for the error rate
 * max(ERROR_RATE_MIN_PP, relative × the baseline's median rate) in percentage points.
 */
export function minEffectIn(unit: 'ratio' | 'pp', relative: number, baseMedian: number): number {
  return unit === 'pp' ? Math.max(ERROR_RATE_MIN_PP, relative * baseMedian * 100) : relative;
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

export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The log of a latency or throughput, floored like the ratios are. */
export const logFloored = (v: number): number => Math.log(Math.max(v, RATIO_FLOOR));

/**
 * The effect of current vs baseline: the Hodges-Lehmann ratio with its interval (latencies and
 * throughput floored at RATIO_FLOOR before logs), or for the error rate the shift in percentage
 * points; a point estimate only with fewer than 2 trials a side.
 */
export function twoSampleEffect(
  base: readonly number[],
  cur: readonly number[],
  unit: MetricComparison['unit'],
): Pick<MetricComparison, 'effect' | 'change'> {
  let effect: MetricComparison['effect'];
  let change: MetricComparison['change'];
  const all = [...base, ...cur];
  const degenerate = all.every((v) => v === all[0]);
  const baseMedian = median(base);
  const curMedian = median(cur);
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
  return { effect, change };
}

export function twoSampleComparison(
  pair: ScenarioPair,
  metric: GatedMetric,
  alpha: number,
  minEffect: number,
): MetricComparison | undefined {
  const sides = metricSides(pair, metric);
  if (!sides) return undefined;
  const { base, current: cur, higherIsWorse, unit } = sides;
  const noise = pair.noiseFloor?.[metric];
  const noiseFloor =
    typeof noise === 'number' && Number.isFinite(noise) && noise > 0 ? noise : null;
  const relMin = Math.max(minEffect, 2 * (noiseFloor ?? 0));
  const baseMedian = median(base);
  const curMedian = median(cur);
  const effectiveMinEffect = minEffectIn(unit, relMin, baseMedian);

  const { effect, change } = twoSampleEffect(base, cur, unit);
  const all = [...base, ...cur];
  const degenerate = all.every((v) => v === all[0]);

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
  comparison.spread =
    unit === 'pp'
      ? pooledRobustSd(
          cur.map((v) => v * 100),
          base.map((v) => v * 100),
        )
      : pooledRobustSd(cur.map(logFloored), base.map(logFloored));
  comparison.inFamily = pmin < alpha;
  if (!comparison.inFamily) {
    comparison.outcome = 'inconclusive';
    comparison.reason = `too few trials (${base.length} vs ${cur.length}): the smallest possible p is ${formatP(pmin)}, not below α ${alpha}`;
  }
  return comparison;
}
