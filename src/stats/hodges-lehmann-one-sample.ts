import { medianSorted } from 'simple-statistics';
import { normalCdf, normalQuantile } from './normal.js';
import { SIGNED_RANK_EXACT_MAX_N, signedRankDistribution } from './signed-rank.js';
import type { ShiftEstimate } from './types.js';
import { assertConfidence, assertFiniteSample } from './validate.js';

/** Relative slack when comparing a tail probability with α/2, so that float noise cannot flip k. */
const SLACK = 1e-12;

/**
 * Rank k (1-based) of the lower interval end among the M = n(n+1)/2 sorted Walsh averages, and
 * the confidence the interval [A_(k), A_(M+1-k)] achieves (Tukey's interval; Hollander & Wolfe,
 * Nonparametric Statistical Methods, §3.3). k = 0 means no finite interval reaches the requested
 * confidence. Same choice of method as shiftIntervalRank for the two-sample interval:
 *
 * - n <= SIGNED_RANK_EXACT_MAX_N: exact. k is the largest integer with P(W+ <= k-1) <= α/2 under
 *   the exact null distribution of the signed-rank statistic (the no-ties distribution, used also
 *   when the data contain ties or zeros); achieved confidence = 1 - 2·P(W+ <= k-1) >= requested.
 * - larger: normal approximation with continuity correction, σ² = n(n+1)(2n+1)/24:
 *   k = floor(M/2 + 0.5 - z_{1-α/2}·σ), achieved ≈ 1 - 2Φ((k - 0.5 - M/2)/σ).
 */
export function signedRankIntervalRank(
  n: number,
  confidence: number,
): { k: number; confidence: number } {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`n must be a positive integer (got ${String(n)})`);
  }
  assertConfidence(confidence);
  const half = (1 - confidence) / 2;
  const total = (n * (n + 1)) / 2;
  if (n <= SIGNED_RANK_EXACT_MAX_N) {
    const counts = signedRankDistribution(n);
    const patterns = 2 ** n;
    let cum = 0;
    let k = 0;
    while (k < counts.length) {
      const next = cum + (counts[k] as number);
      if (next / patterns > half * (1 + SLACK)) break;
      cum = next;
      k++;
    }
    return { k, confidence: 1 - (2 * cum) / patterns };
  }
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  const z = normalQuantile(1 - half);
  const k = Math.min(Math.floor(total / 2), Math.max(0, Math.floor(total / 2 + 0.5 - z * sigma)));
  return { k, confidence: k === 0 ? 1 : 1 - 2 * normalCdf((k - 0.5 - total / 2) / sigma) };
}

/** The n(n+1)/2 Walsh averages (d_i + d_j)/2, i <= j, ascending. */
export function walshAverages(d: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) {
    const di = d[i] as number;
    for (let j = i; j < d.length; j++) out.push((di + (d[j] as number)) / 2);
  }
  return out.sort((a, b) => a - b);
}

/**
 * One-sample Hodges-Lehmann estimate of the centre of the paired differences d: the median of the
 * Walsh averages (d_i + d_j)/2, i <= j, with Tukey's distribution-free confidence interval
 * [A_(k), A_(M+1-k)] of order statistics of those averages, k from the signed-rank null
 * distribution (Hollander & Wolfe §3.2-3.3): exact for n <= SIGNED_RANK_EXACT_MAX_N, normal
 * approximation beyond (see signedRankIntervalRank). It is the estimate and interval that go with
 * the Wilcoxon signed-rank test, as hodgesLehmannShift goes with the Mann-Whitney test.
 *
 * Every difference counts, zeros included (a zero pulls the estimate towards 0; the test, by
 * contrast, drops zeros). The interval assumes a continuous symmetric distribution; with ties or
 * zeros its coverage is approximate.
 *
 * `confidence` (default 0.95) is the requested level; the returned `confidence` is the achieved
 * one (>= requested on the exact path). Too few values for any finite interval at that level
 * (n <= 5 at 95 %: the extreme averages only give 1 - 2·2^-n) gives lower = -Infinity,
 * upper = Infinity, confidence = 1. All differences equal to c: estimate c, interval [c, c].
 * d must have at least 1 finite value (RangeError naming `d` otherwise).
 */
export function hodgesLehmannOneSample(d: readonly number[], confidence = 0.95): ShiftEstimate {
  assertFiniteSample('d', d, 1);
  assertConfidence(confidence);
  const averages = walshAverages(d);
  const estimate = medianSorted(averages);
  const { k, confidence: achieved } = signedRankIntervalRank(d.length, confidence);
  if (k === 0) return { estimate, lower: -Infinity, upper: Infinity, confidence: 1 };
  return {
    estimate,
    lower: averages[k - 1] as number,
    upper: averages[averages.length - k] as number,
    confidence: achieved,
  };
}
