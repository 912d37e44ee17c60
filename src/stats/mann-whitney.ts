import { wilcoxonRankSum } from 'simple-statistics';
import { normalSf } from './normal.js';
import { sortedCopy, tieTerm } from './ties.js';
import type { Alternative, TestResult } from './types.js';
import { assertAlternative, assertFiniteSample } from './validate.js';

/**
 * The exact null distribution of U is used when there are no ties and n·m <= this bound (so every
 * pair of sizes up to 50 vs 50, and lopsided ones such as 5 vs 500). Building it costs about
 * (n·m)²/4 additions once per (n, m) pair; it is cached.
 */
export const MWU_EXACT_MAX_PRODUCT = 2500;

const MAX_CACHE = 64;

interface UDistribution {
  /** counts[u] = number of the C(n+m, n) rankings with U = u, u = 0..n·m */
  counts: Float64Array;
  total: number;
}

const cache = new Map<string, UDistribution>();

function assertSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer (got ${String(v)})`);
  }
}

/**
 * counts(u; i, j) = counts(u - j; i - 1, j) + counts(u; i, j - 1): the largest of the i + j pooled
 * observations is either an x (beating all j y's) or a y (beating nothing). Only additions of
 * non-negative numbers, so the counts are exact integers while C(n+m, n) <= 2^53 (n + m <= 56 for
 * n = m) and beyond that carry a relative rounding error of at most ~(n+m)·2^-53, far below
 * anything that matters for a p-value. (50 vs 50 has C(100, 50) ≈ 1e29 rankings, well inside the
 * double range.)
 */
function computeCounts(n: number, m: number): Float64Array {
  const a = Math.min(n, m);
  const b = Math.max(n, m);
  let prev: Float64Array[] = [];
  for (let j = 0; j <= b; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= a; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= b; j++) {
      const arr = new Float64Array(i * j + 1);
      arr.set(cur[j - 1] as Float64Array);
      const up = prev[j] as Float64Array;
      for (let u = 0; u < up.length; u++) arr[u + j] = (arr[u + j] as number) + (up[u] as number);
      cur.push(arr);
    }
    prev = cur;
  }
  return prev[b] as Float64Array;
}

/** Cached exact distribution of U for sizes (n, m) (symmetric in n and m). */
export function uDistribution(n: number, m: number): UDistribution {
  assertSize('n', n);
  assertSize('m', m);
  if (n * m > MWU_EXACT_MAX_PRODUCT) {
    throw new RangeError(
      `n*m must be <= ${MWU_EXACT_MAX_PRODUCT} for the exact distribution (got ${n * m})`,
    );
  }
  const key = `${Math.min(n, m)},${Math.max(n, m)}`;
  let dist = cache.get(key);
  if (dist === undefined) {
    const counts = computeCounts(n, m);
    let total = 0;
    for (const c of counts) total += c;
    dist = { counts, total };
    if (cache.size >= MAX_CACHE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, dist);
  }
  return dist;
}

/**
 * Exact null distribution of the Mann-Whitney U statistic for sample sizes n and m (no ties), as
 * counts: element u is the number of the C(n+m, n) equally likely rankings with U = u, u = 0..n·m.
 * Exact integers while C(n+m, n) <= 2^53, doubles with tiny relative error beyond.
 * Requires positive integers with n·m <= MWU_EXACT_MAX_PRODUCT.
 */
export function mannWhitneyUDistribution(n: number, m: number): number[] {
  return Array.from(uDistribution(n, m).counts);
}

/** P(U <= u) under the exact null distribution for sizes (n, m); u may be fractional (floored). */
export function exactUCdf(u: number, n: number, m: number): number {
  const { counts, total } = uDistribution(n, m);
  const hi = Math.min(Math.floor(u), counts.length - 1);
  let s = 0;
  for (let k = 0; k <= hi; k++) s += counts[k] as number;
  return s / total;
}

/** P(U >= u) under the exact null distribution for sizes (n, m); u may be fractional (ceiled). */
export function exactUSf(u: number, n: number, m: number): number {
  const { counts, total } = uDistribution(n, m);
  let s = 0;
  for (let k = Math.max(0, Math.ceil(u)); k < counts.length; k++) s += counts[k] as number;
  return s / total;
}

/** C(n+m, n) as a double. */
function binomial(n: number, k: number): number {
  let r = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return r < 2 ** 53 ? Math.round(r) : r;
}

/**
 * Smallest p-value the exact Mann-Whitney test can produce with sizes n and m (no ties):
 * 1 / C(n+m, n) one-sided, twice that two-sided. E.g. n = m = 5: 1/252 ≈ 0.00397;
 * n = m = 8: 1/12870 ≈ 7.8e-5; n = m = 10: 1/184756 ≈ 5.4e-6.
 */
export function mannWhitneyUMinPValue(n: number, m: number, alternative: Alternative): number {
  assertSize('n', n);
  assertSize('m', m);
  assertAlternative(alternative);
  const p = 1 / binomial(n + m, n);
  return alternative === 'two-sided' ? Math.min(1, 2 * p) : p;
}

/**
 * Mann-Whitney U test of x vs y. statistic = U of x = #pairs (x_i > y_j) + 0.5·#ties, computed from
 * simple-statistics' rank sum (average ranks). 'greater' = x tends to be larger.
 *
 * Method (scipy.stats.mannwhitneyu semantics, but exact more often than its 'auto'):
 * - 'exact' when there are no ties in the pooled sample and n·m <= MWU_EXACT_MAX_PRODUCT:
 *   'greater' p = P(U >= U_x), 'less' p = P(U <= U_x), 'two-sided' p = min(1, 2·min of the two)
 *   (equal to scipy's method='exact');
 * - otherwise 'normal': scipy's asymptotic method with tie correction and continuity correction,
 *   z = (U - nm/2 - 0.5)/σ with U = U_x ('greater'), n·m - U_x ('less') or their maximum
 *   ('two-sided', p doubled and capped at 1).
 * Edge cases: x or y with fewer than 2 values, or any NaN/±Infinity, throw a RangeError naming the
 * argument. All pooled values identical: p = 1 for every alternative (method 'normal', σ = 0).
 */
export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative,
): TestResult {
  assertFiniteSample('x', x, 2);
  assertFiniteSample('y', y, 2);
  assertAlternative(alternative);
  const n = x.length;
  const m = y.length;
  const u1 = wilcoxonRankSum(Array.from(x), Array.from(y)) - (n * (n + 1)) / 2;
  const ties = tieTerm(sortedCopy([...x, ...y]));

  if (ties === 0 && n * m <= MWU_EXACT_MAX_PRODUCT) {
    let p: number;
    if (alternative === 'greater') p = exactUSf(u1, n, m);
    else if (alternative === 'less') p = exactUCdf(u1, n, m);
    else p = 2 * Math.min(exactUSf(u1, n, m), exactUCdf(u1, n, m));
    return { statistic: u1, pValue: Math.min(1, p), method: 'exact' };
  }

  const total = n + m;
  const sigma = Math.sqrt(((n * m) / 12) * (total + 1 - ties / (total * (total - 1))));
  if (!(sigma > 0)) return { statistic: u1, pValue: 1, method: 'normal' };
  const u2 = n * m - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const z = (u - (n * m) / 2 - 0.5) / sigma;
  const p = normalSf(z) * (alternative === 'two-sided' ? 2 : 1);
  return { statistic: u1, pValue: Math.min(1, Math.max(0, p)), method: 'normal' };
}
