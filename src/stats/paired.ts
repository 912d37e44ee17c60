import { hodgesLehmannOneSample } from './hodges-lehmann-one-sample.js';
import { robustSd } from './robust-spread.js';
import { wilcoxonSignedRank } from './signed-rank.js';
import type { ShiftEstimate } from './types.js';
import { assertConfidence, assertFiniteSample } from './validate.js';

/**
 * Paired (interleaved A/B) tests: per block one trial of base and one of head, so the drift that
 * moves both sides of a block cancels in the per-block comparison.
 *
 * Zeros and ties, deliberately as scipy.stats.wilcoxon(zero_method='wilcox', correction=True):
 * - a pair whose values are identical (difference or log ratio exactly 0) is dropped from the
 *   test, which then runs on the non-zero pairs. An identical pair says nothing about the
 *   direction, and the test stays conditional on how many pairs moved: with few moved pairs the
 *   smallest achievable p stays large (2^-moved), which is the honest answer. Pratt's method
 *   ('pratt') instead ranks the zeros below every other difference, which lifts the ranks of the
 *   few pairs that moved: e.g. 7 zero and 3 positive differences give p = 0.048 with Pratt's
 *   normal approximation against 0.091 here, while the exact probability of 3 positive signs out
 *   of 3 is 1/8. For a gate, where a false alarm blocks a pull request, that optimism is the wrong
 *   way round; zeros mostly come from quantized values (whole milliseconds, error rates of 0 on
 *   both sides), where an identical pair is a non-event rather than evidence.
 * - tied |differences| get average ranks, with the tie term in the normal variance;
 * - exact null distribution when no pair is zero, no |difference| is tied and there are at most
 *   SIGNED_RANK_EXACT_MAX_N pairs; otherwise the normal approximation with continuity correction
 *   (the rule of wilcoxonSignedRank, which does the testing).
 * The Hodges-Lehmann estimate and interval, by contrast, use every pair, zeros included.
 */

export interface PairedOptions {
  /** true when a higher head value is worse (latencies, error rate); false for throughput. */
  higherIsWorse: boolean;
  /** Requested confidence of the effect interval, strictly between 0 and 1; default 0.95. */
  confidence?: number;
}

export interface PairedTestResult {
  /** Number of pairs. */
  n: number;
  /** Pairs whose difference is not zero: the pairs the signed-rank test uses. */
  nonZero: number;
  /** W+: rank sum of the positive differences (head above base) among the non-zero pairs. */
  statistic: number;
  /** 'exact' null distribution or 'normal' approximation (same for both directions). */
  method: 'exact' | 'normal';
  /** One-sided p-value of "head is worse" (higher when higherIsWorse, else lower). */
  pWorse: number;
  /** One-sided p-value of "head is better". */
  pBetter: number;
  /**
   * Smallest one-sided p-value the test could give for these pairs, i.e. with every non-zero
   * difference in the same direction and the same zeros and ties: 2^-nonZero on the exact path,
   * the normal approximation's value otherwise, 1 when every pair is zero. Compare it with
   * α / family size to know whether this test can be significant at all after Holm.
   */
  minPValue: number;
  /**
   * Hodges-Lehmann effect with its interval (`confidence` = achieved level): the ratio head/base
   * for pairedLogRatioTest (1.04 = head 4 % higher), the difference head - base in the input's
   * unit for pairedDifferenceTest.
   */
  effect: ShiftEstimate;
  /**
   * robustSd of the per-pair log ratios (natural log) or differences (input unit): the spread to
   * give minimumDetectableChange / minimumDetectableShift.
   */
  spread: number;
}

function assertPairs(base: readonly number[], head: readonly number[]): void {
  assertFiniteSample('base', base, 2);
  assertFiniteSample('head', head, 2);
  if (base.length !== head.length) {
    throw new RangeError(
      `base and head must have one value per pair, the same length ` +
        `(got ${base.length} and ${head.length})`,
    );
  }
}

function assertPositive(name: string, values: readonly number[]): void {
  values.forEach((v, i) => {
    if (!(v > 0)) {
      throw new RangeError(
        `${name}[${i}] must be > 0 for a log ratio (got ${String(v)}); floor tiny values first`,
      );
    }
  });
}

/**
 * ln(head/base) per pair. The quotient is rounded once, so pairs with equal ratios give equal
 * logs (ties are seen as ties) and identical values give exactly 0; ln(head) - ln(base) only
 * when the quotient over- or underflows.
 */
export function logRatios(base: readonly number[], head: readonly number[]): number[] {
  return base.map((b, i) => {
    const h = head[i] as number;
    const q = h / b;
    return q > 0 && Number.isFinite(q) ? Math.log(q) : Math.log(h) - Math.log(b);
  });
}

function testDifferences(
  d: readonly number[],
  higherIsWorse: boolean,
  effect: ShiftEstimate,
): PairedTestResult {
  const greater = wilcoxonSignedRank(d, 'greater');
  const less = wilcoxonSignedRank(d, 'less');
  // Every non-zero difference positive, same zeros and ties: the most extreme outcome.
  const extreme = wilcoxonSignedRank(
    d.map((v) => Math.abs(v)),
    'greater',
  );
  return {
    n: d.length,
    nonZero: d.filter((v) => v !== 0).length,
    statistic: greater.statistic,
    method: greater.method,
    pWorse: higherIsWorse ? greater.pValue : less.pValue,
    pBetter: higherIsWorse ? less.pValue : greater.pValue,
    minPValue: extreme.pValue,
    effect,
    spread: robustSd(d),
  };
}

/**
 * Paired test of head vs base on log ratios ln(head_i / base_i), one per block: one-sided
 * Wilcoxon signed-rank tests in both directions (zeros, ties and exact vs normal as described at
 * the top of this file) and the Hodges-Lehmann ratio head/base = exp(median of the Walsh averages
 * of the log ratios) with Tukey's interval, exponentiated (hodgesLehmannOneSample).
 *
 * base and head: the per-block values of one metric, same length, at least 2 pairs, finite and
 * > 0 (RangeError naming the argument and index otherwise; floor zeros first, as compare.ts does).
 * An infinite log interval becomes [0, Infinity].
 */
export function pairedLogRatioTest(
  base: readonly number[],
  head: readonly number[],
  options: PairedOptions,
): PairedTestResult {
  assertPairs(base, head);
  assertPositive('base', base);
  assertPositive('head', head);
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const d = logRatios(base, head);
  const hl = hodgesLehmannOneSample(d, confidence);
  const effect: ShiftEstimate = {
    estimate: Math.exp(hl.estimate),
    lower: Math.exp(hl.lower),
    upper: Math.exp(hl.upper),
    confidence: hl.confidence,
  };
  return testDifferences(d, options.higherIsWorse, effect);
}

/**
 * Paired test of head vs base on the differences head_i - base_i, no logs: for the error rate,
 * which is mostly 0 and where a change is counted in percentage points. Pass the values in the
 * unit the effect should come out in (error rates in percent give percentage points). Same test
 * and estimate as pairedLogRatioTest; base and head need the same length, at least 2 pairs,
 * finite values (any sign).
 */
export function pairedDifferenceTest(
  base: readonly number[],
  head: readonly number[],
  options: PairedOptions,
): PairedTestResult {
  assertPairs(base, head);
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const d = base.map((b, i) => (head[i] as number) - b);
  d.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`head[${i}] - base[${i}] overflows (got ${v})`);
  });
  return testDifferences(d, options.higherIsWorse, hodgesLehmannOneSample(d, confidence));
}
