import { medianSorted } from 'simple-statistics';
import { MWU_EXACT_MAX_PRODUCT, uDistribution } from './mann-whitney.js';
import { normalCdf, normalQuantile } from './normal.js';
import type { ShiftEstimate } from './types.js';
import { assertConfidence, assertFiniteSample } from './validate.js';

/** Relative slack when comparing a tail probability with α/2, so that float noise cannot flip k. */
const SLACK = 1e-12;

/**
 * Rank k (1-based) of the lower interval end among the N = n·m sorted pairwise differences, and the
 * confidence the interval [D_(k), D_(N+1-k)] achieves. k = 0 means no finite interval reaches the
 * requested confidence.
 *
 * - n·m <= MWU_EXACT_MAX_PRODUCT: exact. k is the largest integer with P(U <= k-1) <= α/2 under
 *   the exact null distribution of U (no-ties distribution, used also when the data contain ties);
 *   achieved confidence = 1 - 2·P(U <= k-1) >= requested.
 * - larger: normal approximation with continuity correction, σ² = nm(n+m+1)/12 (no tie
 *   correction): k = floor(nm/2 + 0.5 - z_{1-α/2}·σ), achieved ≈ 1 - 2Φ((k - 0.5 - nm/2)/σ).
 */
export function shiftIntervalRank(
  n: number,
  m: number,
  confidence: number,
): { k: number; confidence: number } {
  const half = (1 - confidence) / 2;
  const total = n * m;
  if (total <= MWU_EXACT_MAX_PRODUCT) {
    const { counts, total: rankings } = uDistribution(n, m);
    let cum = 0;
    let k = 0;
    while (k < counts.length) {
      const next = cum + (counts[k] as number);
      if (next / rankings > half * (1 + SLACK)) break;
      cum = next;
      k++;
    }
    return { k, confidence: 1 - (2 * cum) / rankings };
  }
  const sigma = Math.sqrt((total * (n + m + 1)) / 12);
  const z = normalQuantile(1 - half);
  const k = Math.min(Math.floor(total / 2), Math.max(0, Math.floor(total / 2 + 0.5 - z * sigma)));
  return { k, confidence: k === 0 ? 1 : 1 - 2 * normalCdf((k - 0.5 - total / 2) / sigma) };
}

function shiftOf(x: readonly number[], y: readonly number[], confidence: number): ShiftEstimate {
  const diffs: number[] = [];
  for (const xi of x) for (const yj of y) diffs.push(xi - yj);
  diffs.sort((a, b) => a - b);
  const estimate = medianSorted(diffs);
  const { k, confidence: achieved } = shiftIntervalRank(x.length, y.length, confidence);
  if (k === 0) return { estimate, lower: -Infinity, upper: Infinity, confidence: 1 };
  return {
    estimate,
    lower: diffs[k - 1] as number,
    upper: diffs[diffs.length - k] as number,
    confidence: achieved,
  };
}

/**
 * Hodges-Lehmann estimate of the shift x - y: the median of all n·m pairwise differences
 * x_i - y_j, with the distribution-free confidence interval [D_(k), D_(N+1-k)] of order statistics
 * of those differences, k from the Mann-Whitney null distribution (Bauer 1972; Hollander & Wolfe):
 * exact when n·m <= MWU_EXACT_MAX_PRODUCT, normal approximation beyond (see shiftIntervalRank).
 *
 * `confidence` (default 0.95, strictly between 0 and 1) is the requested level; the returned
 * `confidence` is the level the interval achieves, >= the requested one on the exact path.
 * When the samples are too small for any finite interval to reach the requested confidence (e.g.
 * 3 vs 3 at 95 %: the extreme differences only give 90 %), lower = -Infinity, upper = Infinity and
 * confidence = 1. All values of x and y identical: estimate 0, interval [0, 0].
 * x or y with fewer than 2 values, or NaN/±Infinity, throw a RangeError naming the argument.
 */
export function hodgesLehmannShift(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): ShiftEstimate {
  assertSamples(x, y);
  assertConfidence(confidence);
  return shiftOf(x, y, confidence);
}

/** x and y: at least 2 finite values each (a RangeError naming the first that is not). */
function assertSamples(x: readonly number[], y: readonly number[]): void {
  assertFiniteSample('x', x, 2);
  assertFiniteSample('y', y, 2);
}

function assertPositive(name: string, values: readonly number[]): void {
  values.forEach((v, i) => {
    if (!(v > 0)) {
      throw new RangeError(
        `${name}[${i}] must be > 0 for a ratio estimate (got ${String(v)}); floor tiny values first`,
      );
    }
  });
}

/**
 * Hodges-Lehmann estimate of the ratio x/y: hodgesLehmannShift on natural logs, exponentiated
 * (1.10 = x is 10 % larger). With an even number of pairwise differences the estimate is the
 * geometric mean of the two middle ratios. Interval and confidence as for the shift; an infinite
 * shift interval becomes [0, Infinity]. All values must be finite and > 0 (RangeError otherwise).
 */
export function hodgesLehmannRatio(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): ShiftEstimate {
  assertSamples(x, y);
  assertPositive('x', x);
  assertPositive('y', y);
  assertConfidence(confidence);
  const s = shiftOf(x.map(Math.log), y.map(Math.log), confidence);
  return {
    estimate: Math.exp(s.estimate),
    lower: Math.exp(s.lower),
    upper: Math.exp(s.upper),
    confidence: s.confidence,
  };
}
