import { wilcoxonRankSum } from 'simple-statistics';
import { normalCdf, normalSf } from './normal.js';
import { sortedCopy, tieTerm } from './ties.js';
import type { Alternative, TestResult } from './types.js';
import { assertAlternative, assertFiniteSample } from './validate.js';

/** The exact null distribution of W+ is used for up to this many non-zero differences. */
export const SIGNED_RANK_EXACT_MAX_N = 50;

function assertN(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > SIGNED_RANK_EXACT_MAX_N) {
    throw new RangeError(
      `n must be an integer between 1 and ${SIGNED_RANK_EXACT_MAX_N} (got ${String(n)})`,
    );
  }
}

const cache = new Map<number, Float64Array>();

/**
 * counts[w] = number of the 2^n sign patterns of ranks 1..n whose positive ranks sum to w,
 * w = 0..n(n+1)/2. Built by adding one rank at a time (additions only); every count and the total
 * 2^n are exact integers in a double for n <= 53.
 */
function counts(n: number): Float64Array {
  assertN(n);
  let c = cache.get(n);
  if (c === undefined) {
    const max = (n * (n + 1)) / 2;
    c = new Float64Array(max + 1);
    c[0] = 1;
    let top = 0;
    for (let k = 1; k <= n; k++) {
      top += k;
      for (let w = top; w >= k; w--) c[w] = (c[w] as number) + (c[w - k] as number);
    }
    cache.set(n, c);
  }
  return c;
}

/**
 * Exact null distribution of the Wilcoxon signed-rank statistic W+ for n non-zero, untied
 * differences, as counts: element w is the number of the 2^n sign patterns with W+ = w.
 * 1 <= n <= SIGNED_RANK_EXACT_MAX_N; all counts are exact integers.
 */
export function signedRankDistribution(n: number): number[] {
  assertN(n);
  return Array.from(counts(n));
}

/** P(W+ <= w) for n untied non-zero differences. */
export function exactSignedRankCdf(w: number, n: number): number {
  const c = counts(n);
  const hi = Math.min(Math.floor(w), c.length - 1);
  let s = 0;
  for (let k = 0; k <= hi; k++) s += c[k] as number;
  return s / 2 ** n;
}

/** P(W+ >= w) for n untied non-zero differences. */
export function exactSignedRankSf(w: number, n: number): number {
  const c = counts(n);
  let s = 0;
  for (let k = Math.max(0, Math.ceil(w)); k < c.length; k++) s += c[k] as number;
  return s / 2 ** n;
}

/**
 * Smallest p-value the exact signed-rank test can produce with n non-zero untied differences:
 * 2^-n one-sided, twice that two-sided. E.g. n = 5: 0.03125; n = 8: 0.0039; n = 10: 0.00098.
 */
export function signedRankMinPValue(n: number, alternative: Alternative): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer (got ${String(n)})`);
  }
  assertAlternative(alternative);
  const p = 2 ** -n;
  return alternative === 'two-sided' ? Math.min(1, 2 * p) : p;
}

/**
 * Wilcoxon signed-rank test on paired differences d. Zero differences are dropped ('wilcox' zero
 * method); the others are ranked by absolute value with average ranks (rank sum via
 * simple-statistics). statistic = W+ = sum of the ranks of the positive differences, for every
 * alternative (note: scipy reports min(W+, W-) for 'two-sided'). 'greater' = differences tend to
 * be positive.
 *
 * Method (scipy.stats.wilcoxon(d, zero_method='wilcox', correction=True) semantics):
 * - 'exact' when no difference is zero, no |d| are tied and n <= SIGNED_RANK_EXACT_MAX_N:
 *   'greater' p = P(W+ >= w), 'less' p = P(W+ <= w), 'two-sided' p = min(1, 2·min of the two)
 *   (scipy method='exact');
 * - otherwise 'normal' over the n non-zero differences: mean n(n+1)/4, variance
 *   (n(n+1)(2n+1) - Σ(t³-t)/2)/24, continuity correction 0.5 towards the mean (sign of z for
 *   'two-sided'), p = sf(z) / cdf(z) / 2·sf(|z|) capped at 1 (scipy method='asymptotic').
 * Edge cases: fewer than 2 values, or NaN/±Infinity, throw a RangeError naming `d`. All
 * differences zero: statistic 0, p = 1, method 'normal'.
 */
export function wilcoxonSignedRank(d: readonly number[], alternative: Alternative): TestResult {
  assertFiniteSample('d', d, 2);
  assertAlternative(alternative);
  const positive: number[] = [];
  const negative: number[] = [];
  for (const v of d) {
    if (v > 0) positive.push(v);
    else if (v < 0) negative.push(-v);
  }
  const n = positive.length + negative.length;
  const zeros = d.length - n;
  if (n === 0) return { statistic: 0, pValue: 1, method: 'normal' };

  const wPlus =
    negative.length === 0
      ? (n * (n + 1)) / 2
      : positive.length === 0
        ? 0
        : wilcoxonRankSum(positive, negative);
  const ties = tieTerm(sortedCopy([...positive, ...negative]));

  if (zeros === 0 && ties === 0 && n <= SIGNED_RANK_EXACT_MAX_N) {
    let p: number;
    if (alternative === 'greater') p = exactSignedRankSf(wPlus, n);
    else if (alternative === 'less') p = exactSignedRankCdf(wPlus, n);
    else p = 2 * Math.min(exactSignedRankSf(wPlus, n), exactSignedRankCdf(wPlus, n));
    return { statistic: wPlus, pValue: Math.min(1, p), method: 'exact' };
  }

  const mean = (n * (n + 1)) / 4;
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - ties / 2) / 24);
  let z = (wPlus - mean) / se;
  const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
  z -= (sign * 0.5) / se;
  let p: number;
  if (alternative === 'greater') p = normalSf(z);
  else if (alternative === 'less') p = normalCdf(z);
  else p = 2 * normalSf(Math.abs(z));
  return { statistic: wPlus, pValue: Math.min(1, Math.max(0, p)), method: 'normal' };
}
