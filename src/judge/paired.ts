/**
 * One (scenario × metric) comparison of an interleaved A/B run: block i holds trial i of the base
 * and of the head, measured moments apart on one machine, so the machine's drift is common to
 * both and cancels in the ratio. The test is the Wilcoxon signed-rank test on the per-pair log
 * ratios head/base (exact where it can be), the effect the Hodges-Lehmann ratio (median of the
 * Walsh averages) with Tukey's interval; the error rate is compared in percentage points. The
 * Holm family and the outcome are decided in family.ts, as for the two-sample design.
 *
 * A run in rounds (both services restarted between them, run/ab-plan.ts) is tested over the
 * rounds' means instead, with Student's t (stats/round-means.ts): the pairs of one round share
 * their processes' luck, so they are not independent looks, and a test over them would call
 * that luck a change. The estimate is then the geometric mean ratio with the t interval.
 *
 * A scenario whose load generator was saturated in the pairs (its CPU at the median trial
 * ≥ 90 %, kinds/load.ts) has its latency and throughput measured but not judged: the generator,
 * not the services, set the pace, and in a duet both sides share it, so how it divided its time
 * decides the ratio (same-code runs on this project's machine: get-admin at 97 % generator CPU
 * came out +6 % p95 on the head for a whole scenario). Those tests leave the Holm family; the
 * error rate is still judged.
 */
import { median } from 'simple-statistics';
import { formatP } from '../format/numbers.js';
import { trialsOf, type GatedMetric, type TrialResult } from '../result/types.js';
import {
  logRatios,
  pairedDifferenceTest,
  pairedLogRatioTest,
  roundMeansTest,
  spreadComponents,
  type PairedTestResult,
} from '../stats/index.js';
import {
  CONFIDENCE,
  finiteOrNull,
  IDENTICAL_PAIRS,
  metricSides,
  minEffectIn,
  RATIO_FLOOR,
  type ScenarioPair,
} from './two-sample.js';
import { sequentialPValues, type LookSchedule } from './sequential.js';
import type { MetricComparison } from './types.js';

export function pairedComparison(
  pair: ScenarioPair,
  metric: GatedMetric,
  alpha: number,
  minEffect: number,
  looks?: LookSchedule,
): MetricComparison | undefined {
  const sides = metricSides(pair, metric);
  if (!sides) return undefined;
  const { higherIsWorse, unit } = sides;
  const n = Math.min(sides.base.length, sides.current.length);
  const b = sides.base.slice(0, n);
  const h = sides.current.slice(0, n);
  const baseMedian = median(b);
  const effectiveMinEffect = minEffectIn(unit, minEffect, baseMedian);
  const comparison: MetricComparison = {
    metric,
    higherIsWorse,
    unit,
    baseline: { n, median: baseMedian, values: b },
    current: { n, median: median(h), values: h },
    effect: { estimate: unit === 'pp' ? 0 : 1, lower: null, upper: null, confidence: CONFIDENCE },
    change: { estimate: 0, lower: null, upper: null },
    inFamily: false,
    pWorseAdjusted: null,
    pBetterAdjusted: null,
    pAdjusted: null,
    effectiveMinEffect,
    noiseFloor: null,
    outcome: 'unchanged',
    severity: null,
    reason: IDENTICAL_PAIRS,
  };
  if (b.every((v, i) => v === h[i])) {
    comparison.effect = {
      ...comparison.effect,
      lower: comparison.effect.estimate,
      upper: comparison.effect.estimate,
    };
    comparison.change = { estimate: 0, lower: 0, upper: 0 };
    return comparison;
  }
  if (n < 2) {
    comparison.outcome = 'inconclusive';
    comparison.reason = `too few pairs (${n}): the test needs at least 2`;
    return comparison;
  }
  const rounds = roundsOf(trialsOf(pair.current, metric), n);
  const tested = rounds
    ? runRoundsTest(b, h, rounds, unit, higherIsWorse, looks && { alpha, looks })
    : runTest(b, h, unit, higherIsWorse);
  applyTest(comparison, tested, unit);
  if (rounds) {
    comparison.rounds = tested.rounds;
    comparison.spreadSplit = spreadComponents(testScaleValues(b, h, unit), rounds);
  }
  comparison.inFamily = tested.minPValue < alpha;
  if (unit === 'ratio' && generatorSaturated(pair)) {
    comparison.inFamily = false;
    comparison.outcome = 'inconclusive';
    comparison.reason = GENERATOR_SATURATED_PAIRS;
  } else if (!comparison.inFamily) {
    comparison.outcome = 'inconclusive';
    comparison.reason = `too few pairs (${n}, ${tested.nonZero} that differ): the smallest possible p is ${formatP(tested.minPValue)}, not below α ${alpha}`;
  }
  return comparison;
}

/**
 * Whether any comparison was tested over the rounds' means (a run in rounds): the one place the
 * verdict's test text (judge.ts) and the report's table note (report/sections/tables.ts) ask.
 */
export function testedInRounds(
  comparisons: Iterable<readonly Pick<MetricComparison, 'rounds'>[]>,
): boolean {
  for (const list of comparisons) if (list.some((c) => c.rounds !== undefined)) return true;
  return false;
}

/** Why a latency or throughput test of a generator-bound scenario is not judged. */
export const GENERATOR_SATURATED_PAIRS =
  'not judged: the load generator was saturated in the pairs (≥ 90 % CPU), so it set the pace, not the services';

/** What the scenario's notes say when its pairs were generator-bound. */
export const GENERATOR_SATURATED_NOTE =
  "The load generator was saturated in the pairs (≥ 90 % CPU at the median trial): latency and throughput are measured but not judged, since it, not the services, set the pace. Give it more CPU (a runner with more cores) or set the scenario's `rate` below what it can send.";

export function generatorSaturated(pair: ScenarioPair): boolean {
  return pair.current.generatorSaturated || pair.baseline.generatorSaturated;
}

/** Tiny values floored before a log ratio (a zero would be -Infinity). */
const floor = (v: number) => Math.max(v, RATIO_FLOOR);

/** What applyTest needs of either paired test. */
type Tested = Pick<PairedTestResult, 'pWorse' | 'pBetter' | 'minPValue' | 'effect' | 'spread'> & {
  name: NonNullable<MetricComparison['test']>['name'];
  method: NonNullable<MetricComparison['test']>['method'];
  statistic: number;
  nonZero: number;
  rounds?: number;
};

/**
 * The round of each of the first n pairs, when the run had two or more rounds (its services
 * restarted between them, run/ab-plan.ts); undefined otherwise.
 */
function roundsOf(trials: readonly TrialResult[], n: number): number[] | undefined {
  const rounds = trials.slice(0, n).map((t) => t.round);
  if (rounds.some((r) => r === undefined)) return undefined;
  return new Set(rounds).size >= 2 ? (rounds as number[]) : undefined;
}

/**
 * The looks up to the data's rounds. Data beyond the last look (a result edited, or a look that
 * was not recorded) is judged as a final look at those rounds.
 */
function lastLookAt(schedule: LookSchedule, rounds: number): LookSchedule {
  const looks = schedule.looks.filter((l) => l.rounds <= rounds);
  if (looks.at(-1)?.rounds === rounds) return { ...schedule, looks };
  return { ...schedule, looks: [...looks, { rounds, spent: 1 }], final: true };
}

/** The per-pair values a test over rounds works on: log ratios head/base, or pp differences. */
function testScaleValues(base: number[], head: number[], unit: MetricComparison['unit']): number[] {
  return unit === 'pp'
    ? base.map((b, i) => ((head[i] as number) - b) * 100)
    : logRatios(base.map(floor), head.map(floor));
}

/** A t of ±Infinity (every round alike, not 0) as a finite number JSON can carry. */
const T_LIMIT = 1e9;

/**
 * Student's t over the rounds' means (stats/round-means.ts): of the log ratios head/base, or of
 * the differences in percentage points for the error rate. A run with a budget looked at the
 * scenario after each round: its p-values are then the group-sequential test's (sequential.ts).
 */
function runRoundsTest(
  base: number[],
  head: number[],
  rounds: number[],
  unit: MetricComparison['unit'],
  higherIsWorse: boolean,
  sequential?: { alpha: number; looks: LookSchedule },
): Tested {
  const d = testScaleValues(base, head, unit);
  const t = roundMeansTest(d, rounds, CONFIDENCE);
  const toEffect = (v: number) => (unit === 'pp' ? v : Math.exp(v));
  const p = sequential
    ? sequentialPValues(
        t.statistic,
        t.rounds,
        sequential.alpha,
        lastLookAt(sequential.looks, t.rounds),
      )
    : t;
  return {
    name: 'round-means-t',
    method: 'student-t',
    statistic: Math.max(-T_LIMIT, Math.min(T_LIMIT, t.statistic)),
    nonZero: d.filter((v) => v !== 0).length,
    pWorse: higherIsWorse ? p.pGreater : p.pLess,
    pBetter: higherIsWorse ? p.pLess : p.pGreater,
    // A t-test can reach any p: the family is never out of reach for lack of pairs.
    minPValue: 0,
    effect: {
      estimate: toEffect(t.mean),
      lower: toEffect(t.interval.lower),
      upper: toEffect(t.interval.upper),
      confidence: t.interval.confidence,
    },
    spread: t.sd,
    rounds: t.rounds,
  };
}

function runTest(
  base: number[],
  head: number[],
  unit: MetricComparison['unit'],
  higherIsWorse: boolean,
): Tested {
  if (unit === 'pp') {
    return signedRank(
      pairedDifferenceTest(
        base.map((v) => v * 100),
        head.map((v) => v * 100),
        { higherIsWorse, confidence: CONFIDENCE },
      ),
    );
  }
  return signedRank(
    pairedLogRatioTest(base.map(floor), head.map(floor), {
      higherIsWorse,
      confidence: CONFIDENCE,
    }),
  );
}

function signedRank(t: PairedTestResult): Tested {
  return { ...t, name: 'wilcoxon-signed-rank' };
}

function applyTest(c: MetricComparison, t: Tested, unit: MetricComparison['unit']): void {
  c.effect = {
    estimate: t.effect.estimate,
    lower: finiteOrNull(t.effect.lower),
    upper: finiteOrNull(t.effect.upper),
    confidence: t.effect.confidence,
  };
  c.change =
    unit === 'pp'
      ? { estimate: c.effect.estimate, lower: c.effect.lower, upper: c.effect.upper }
      : {
          estimate: c.effect.estimate - 1,
          lower: c.effect.lower === null || c.effect.lower <= 0 ? null : c.effect.lower - 1,
          upper: c.effect.upper === null ? null : c.effect.upper - 1,
        };
  c.test = {
    name: t.name,
    method: t.method,
    statistic: t.statistic,
    pWorse: t.pWorse,
    pBetter: t.pBetter,
    minAchievableP: t.minPValue,
  };
  c.spread = t.spread;
}
