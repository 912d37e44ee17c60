import { mean as meanOf, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantile, studentTSf } from './student-t.js';
import type { ShiftEstimate } from './types.js';
import { assertConfidence } from './validate.js';

/**
 * Paired test over rounds: an A/B run whose services were restarted between rounds of pairs.
 *
 * A pair of processes keeps its luck (memory placement, what the JIT compiled, the state of its
 * heap) for as long as it runs, so the pairs of one round share a run-level offset that no test
 * over those pairs can tell from a change of the code (Kalibera and Jones 2013, "Rigorous
 * benchmarking in reasonable time": repeat at the level that varies most, and test over its
 * means). With the services restarted between rounds, each round's mean of its per-pair values
 * (log ratios, or differences) is one independent look, carrying both the pair noise and the
 * round's luck, and the test is Student's one-sample t-test on those means: its p-value and
 * interval hold whatever share of the spread is run-level (a t-test on all the pairs, or the
 * signed-rank test on them, would be too sure of itself). Rounds count equally, whatever their
 * number of pairs. Checked against scipy.stats.ttest_1samp (__tests__/fixtures/stats).
 */

export interface RoundMeansResult {
  /** Number of rounds (the test's sample size). */
  rounds: number;
  /** Mean of the round means (the estimate, in the input's unit). */
  mean: number;
  /** Sample SD of the round means; 0 when every round agrees. */
  sd: number;
  /** Student's t = mean / (sd / √rounds); ±Infinity when sd is 0 and the mean is not. */
  statistic: number;
  /** One-sided p of "the values are above 0" (greater) and "below 0" (less). */
  pGreater: number;
  pLess: number;
  /** Two-sided `confidence` interval of the mean: mean ± t(1 − (1 − confidence)/2, rounds − 1)·sd/√rounds. */
  interval: ShiftEstimate;
}

/** Mean of the values of each round, in the order rounds first appear. */
export function meansByRound(values: readonly number[], rounds: readonly number[]): number[] {
  if (values.length !== rounds.length) {
    throw new RangeError(
      `values and rounds must have one entry per pair, the same length (got ${values.length} and ${rounds.length})`,
    );
  }
  const sums = new Map<number, { sum: number; n: number }>();
  values.forEach((v, i) => {
    const round = rounds[i] as number;
    const entry = sums.get(round) ?? { sum: 0, n: 0 };
    entry.sum += v;
    entry.n += 1;
    sums.set(round, entry);
  });
  return [...sums.values()].map((e) => e.sum / e.n);
}

/**
 * Student's one-sample t-test of the round means of `values` against 0 (both one-sided
 * directions) and the interval of their mean. Needs ≥ 2 rounds and finite values.
 */
export function roundMeansTest(
  values: readonly number[],
  rounds: readonly number[],
  confidence = 0.95,
): RoundMeansResult {
  assertConfidence(confidence);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`values[${i}] must be finite (got ${v})`);
  });
  const means = meansByRound(values, rounds);
  const g = means.length;
  if (g < 2) throw new RangeError(`a test over rounds needs at least 2 rounds (got ${g})`);
  const mean = meanOf(means);
  const sd = sampleStandardDeviation(means);
  const se = sd / Math.sqrt(g);
  const df = g - 1;
  const statistic = se > 0 ? mean / se : mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  const pGreater = se > 0 ? studentTSf(statistic, df) : mean > 0 ? 0 : mean < 0 ? 1 : 0.5;
  const pLess = se > 0 ? studentTSf(-statistic, df) : mean < 0 ? 0 : mean > 0 ? 1 : 0.5;
  const half = se > 0 ? studentTQuantile(1 - (1 - confidence) / 2, df) * se : 0;
  return {
    rounds: g,
    mean,
    sd,
    statistic,
    pGreater,
    pLess,
    interval: { estimate: mean, lower: mean - half, upper: mean + half, confidence },
  };
}

/**
 * Smallest shift (in units of the round means' SD) the one-sided t-test over `rounds` means flags
 * with `power` at α' = alpha / familySize: (t(1 − α', g − 1) + t(power, g − 1)) / √g, the usual
 * central-t approximation of the noncentral power (it errs a little on the small side below
 * 5 rounds). Null with fewer than 2 rounds.
 */
export function roundMeansDetectableShift(
  rounds: number,
  alpha: number,
  familySize = 1,
  power = 0.8,
): number | null {
  if (rounds < 2) return null;
  const df = rounds - 1;
  return (
    (studentTQuantile(1 - alpha / familySize, df) + studentTQuantile(power, df)) / Math.sqrt(rounds)
  );
}

/**
 * Where the spread of per-pair values comes from, when pairs are grouped in rounds: the SD of the
 * pairs around their round's mean (within a round: pair to pair) and the SD of the rounds' own
 * levels once the within part of a round mean's variance is taken out (between rounds: the luck a
 * restart brings), the usual one-way random-effects split (method of moments, never below 0).
 * Null parts where the data cannot say (rounds of one pair, fewer than 2 rounds).
 */
export function spreadComponents(
  values: readonly number[],
  rounds: readonly number[],
): { withinRound: number | null; betweenRounds: number | null; pairsPerRound: number } {
  const byRound = new Map<number, number[]>();
  values.forEach((v, i) => {
    const r = rounds[i] as number;
    byRound.set(r, [...(byRound.get(r) ?? []), v]);
  });
  const groups = [...byRound.values()];
  const pairsPerRound = groups.length === 0 ? 0 : values.length / groups.length;
  let squares = 0;
  let df = 0;
  for (const g of groups) {
    const m = meanOf(g);
    for (const v of g) squares += (v - m) ** 2;
    df += g.length - 1;
  }
  const withinVar = df > 0 ? squares / df : null;
  if (groups.length < 2) {
    return {
      withinRound: withinVar === null ? null : Math.sqrt(withinVar),
      betweenRounds: null,
      pairsPerRound,
    };
  }
  const meansVar = sampleStandardDeviation(groups.map((g) => meanOf(g))) ** 2;
  const harmonic = groups.length / groups.reduce((sum, g) => sum + 1 / g.length, 0);
  const betweenVar = withinVar === null ? null : Math.max(0, meansVar - withinVar / harmonic);
  return {
    withinRound: withinVar === null ? null : Math.sqrt(withinVar),
    betweenRounds: betweenVar === null ? null : Math.sqrt(betweenVar),
    pairsPerRound,
  };
}

/**
 * Pairs per round that buy the most precision for the time, given the two parts of the spread
 * and what a round costs beyond its pairs (a restart's share, a warm-up) against one pair: the
 * classic two-stage allocation √(σw² · roundCost / (σb² · pairCost)) (Cochran, Sampling
 * Techniques, 10.6), even (each side leads half the blocks) and within [min, max].
 */
export function bestPairsPerRound(
  withinRound: number | null,
  betweenRounds: number | null,
  roundCost: number,
  pairCost: number,
  min = 2,
  max = 8,
): number {
  if (withinRound === null || betweenRounds === null || !(pairCost > 0)) return min;
  const ideal =
    betweenRounds > 0
      ? Math.sqrt((withinRound ** 2 * roundCost) / (betweenRounds ** 2 * pairCost))
      : Infinity;
  const even = 2 * Math.round(Math.min(ideal, max) / 2);
  return Math.max(min, Math.min(max, even));
}
