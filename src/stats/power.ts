import { bivariateNormalCdf } from './bivariate-normal.js';
import { MWU_EXACT_MAX_PRODUCT, exactUSf } from './mann-whitney.js';
import { normalCdf, normalSf } from './normal.js';
import { SIGNED_RANK_EXACT_MAX_N, exactSignedRankSf } from './signed-rank.js';
import { assertOpenProbability } from './validate.js';

/**
 * What a run could have detected: the power of the one-sided rank tests the gate runs, and the
 * smallest change they would flag, for the interleaved paired design (Wilcoxon signed-rank on
 * per-block log ratios) and the stored-baseline two-sample design (Mann-Whitney U on per-trial
 * values).
 *
 * Model: the per-pair log ratios (paired) or the per-trial log values (two-sample, both sides) are
 * normal with SD σ = `spread`, and head/current is shifted by δ = a·σ in the worse direction. The
 * test runs at α' = alpha / familySize: the threshold of Holm's first step, which the most
 * significant test of the family must pass, so the worst case for any single test.
 *
 * Power(a) = max(P_normal(a), P_floor(a)), where
 * - c is the critical value: the smallest integer statistic whose one-sided p-value is below α',
 *   computed as the test computes it (exact null distribution within the exact limits, normal
 *   approximation with continuity correction beyond; data assumed continuous, so no zeros or
 *   ties). No such c (c would exceed the statistic's maximum): the test cannot be significant
 *   with these sizes, whatever the effect ("not reachable").
 * - P_normal(a) = 1 - Φ((c - ½ - E_a) / √V_a), with E_a, V_a the mean and variance of the rank
 *   statistic under the shift (Lehmann, Nonparametrics: Statistical Methods Based on Ranks, 1975,
 *   chapters 2 and 4):
 *   paired, W+ = #{i <= j : d_i + d_j > 0}: p1 = Φ(a), p2 = Φ(√2·a), p3 = Φ₂(√2a, √2a; ½),
 *   p4 = Φ₂(a, √2a; 1/√2),
 *     E = n·p1 + n(n-1)/2·p2,
 *     V = n·p1(1-p1) + n(n-1)/2·p2(1-p2) + n(n-1)(n-2)·(p3 - p2²) + 2n(n-1)·(p4 - p1·p2);
 *   two-sample, U = #{X_i > Y_j}: p1 = Φ(a/√2), p2 = Φ₂(a/√2, a/√2; ½),
 *     E = n1·n2·p1,  V = n1·n2·(p1(1-p1) + (n1 + n2 - 2)·(p2 - p1²)).
 *   (At a = 0 these are the null moments; for large n they give the rank tests' Pitman
 *   efficiency 3/π relative to the t-tests, i.e. δ ≈ (z_{1-α'} + z_{power})·σ / √(3n/π)
 *   paired. That shortcut alone ignores the exact test's discreteness and its floor: at 8-12
 *   pairs its "80 %" shift is detected only 30-45 % of the time in simulation.)
 * - P_floor(a) = P(statistic = its maximum), exact: Φ(a)^n (every pair positive), or
 *   ∫ n2·φ(y)·Φ(y)^(n2-1)·Φ(a - y)^n1 dy (complete separation). It is a lower bound of the power
 *   and takes over when c is the maximum (the smallest achievable p is just below α'), where a
 *   normal approximation of a statistic pinned at its maximum is poor.
 * The minimum detectable shift is the smallest a with Power(a) >= the target power (bisection),
 * times σ. Against 2000-run simulations of the exact tests (power.test.ts: 8-60 pairs, 5v5-60v60
 * trials, families 1-28, power 0.8 and 0.9) the returned shift is detected 0.785-0.853 of the
 * time for 0.8; the excess, up to +0.05, is just above the floor (c = max - 1 or max - 2), so
 * the figure errs on the cautious side.
 */

export interface PairedDesign {
  design: 'paired';
  /** Number of blocks (pairs). */
  pairs: number;
}

export interface TwoSampleDesign {
  design: 'two-sample';
  /** Trials of the current version. */
  current: number;
  /** Trials of the stored baseline. */
  baseline: number;
}

export type Design = PairedDesign | TwoSampleDesign;

export interface DetectionSettings {
  /**
   * SD of the log ratios (paired) or pooled SD of the per-trial log values (two-sample), natural
   * log units, >= 0; e.g. robustSd / pooledRobustSd. For minimumDetectableShift any unit (e.g.
   * the SD of paired differences in percentage points).
   */
  spread: number;
  /** Family-wise significance level, strictly between 0 and 1. */
  alpha: number;
  /** Number of tests in the Holm family (default 1); each test is judged at alpha / familySize. */
  familySize?: number;
}

export type DetectionInput = Design & DetectionSettings;

const SQRT2 = Math.SQRT2;
/** Simpson intervals for the complete-separation integral over y in [-8, 8]. */
const FLOOR_STEPS = 800;

interface RankTestModel {
  /** Largest value of the statistic (all pairs positive / complete separation). */
  max: number;
  /** One-sided p-value the test reports for statistic w (continuous data: no zeros, no ties). */
  pAt(w: number): number;
  /** Mean and variance of the statistic under a standardized shift a. */
  moments(a: number): { mean: number; variance: number };
  /** Exact P(statistic = max) under a standardized shift a. */
  floor(a: number): number;
}

function pairedModel(n: number): RankTestModel {
  const max = (n * (n + 1)) / 2;
  const mean0 = max / 2;
  const se0 = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return {
    max,
    // as wilcoxonSignedRank(d, 'greater') computes it
    pAt: (w) =>
      n <= SIGNED_RANK_EXACT_MAX_N
        ? exactSignedRankSf(w, n)
        : Math.min(1, Math.max(0, normalSf((w - mean0) / se0 - 0.5 / se0))),
    moments: (a) => {
      const p1 = normalCdf(a);
      const p2 = normalCdf(SQRT2 * a);
      const p3 = bivariateNormalCdf(SQRT2 * a, SQRT2 * a, 0.5);
      const p4 = bivariateNormalCdf(a, SQRT2 * a, Math.SQRT1_2);
      const pairs = (n * (n - 1)) / 2;
      return {
        mean: n * p1 + pairs * p2,
        variance:
          n * p1 * (1 - p1) +
          pairs * p2 * (1 - p2) +
          n * (n - 1) * (n - 2) * (p3 - p2 * p2) +
          2 * n * (n - 1) * (p4 - p1 * p2),
      };
    },
    floor: (a) => normalCdf(a) ** n,
  };
}

function twoSampleModel(n1: number, n2: number): RankTestModel {
  const max = n1 * n2;
  const sigma0 = Math.sqrt((max / 12) * (n1 + n2 + 1));
  return {
    max,
    // as mannWhitneyU(current, baseline, 'greater') computes it
    pAt: (u) =>
      max <= MWU_EXACT_MAX_PRODUCT
        ? exactUSf(u, n1, n2)
        : Math.min(1, Math.max(0, normalSf((u - max / 2 - 0.5) / sigma0))),
    moments: (a) => {
      const p1 = normalCdf(a / SQRT2);
      const p2 = bivariateNormalCdf(a / SQRT2, a / SQRT2, 0.5);
      return { mean: max * p1, variance: max * (p1 * (1 - p1) + (n1 + n2 - 2) * (p2 - p1 * p1)) };
    },
    floor: (a) => {
      // P(min X > max Y) = ∫ n2 φ(y) Φ(y)^(n2-1) Φ(a - y)^n1 dy; the density of max Y is
      // negligible outside [-8, 8] for any practical n2.
      const f = (y: number): number =>
        (n2 * Math.exp(-0.5 * y * y) * normalCdf(y) ** (n2 - 1) * normalCdf(a - y) ** n1) /
        Math.sqrt(2 * Math.PI);
      const h = 16 / FLOOR_STEPS;
      let sum = f(-8) + f(8);
      for (let i = 1; i < FLOOR_STEPS; i++) sum += (i % 2 === 1 ? 4 : 2) * f(-8 + i * h);
      return Math.min(1, (sum * h) / 3);
    },
  };
}

/** Smallest integer statistic in [0, max] whose p-value is below `level`; null if none. */
function criticalValue(model: RankTestModel, level: number): number | null {
  if (!(model.pAt(model.max) < level)) return null;
  let lo = -1; // p(lo) >= level (virtually)
  let hi = model.max; // p(hi) < level
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (model.pAt(mid) < level) hi = mid;
    else lo = mid;
  }
  return hi;
}

function powerAt(model: RankTestModel, c: number, a: number): number {
  const { mean, variance } = model.moments(a);
  const normal =
    variance > 0 ? normalSf((c - 0.5 - mean) / Math.sqrt(variance)) : mean > c - 0.5 ? 1 : 0;
  return Math.max(normal, model.floor(a));
}

function assertSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer (got ${String(v)})`);
  }
}

function assertFamily(familySize: number): void {
  if (!Number.isInteger(familySize) || familySize < 1) {
    throw new RangeError(`familySize must be a positive integer (got ${String(familySize)})`);
  }
}

/** The model of the design, or null when a side has fewer than 2 values (no test runs). */
function modelOf(design: Design): RankTestModel | null {
  if (design.design === 'paired') {
    assertSize('pairs', design.pairs);
    return design.pairs < 2 ? null : pairedModel(design.pairs);
  }
  if (design.design === 'two-sample') {
    assertSize('current', design.current);
    assertSize('baseline', design.baseline);
    return design.current < 2 || design.baseline < 2
      ? null
      : twoSampleModel(design.current, design.baseline);
  }
  const got = String((design as { design: unknown }).design);
  throw new RangeError(`design must be 'paired' or 'two-sample' (got ${got})`);
}

/** Validates the settings; returns the per-test level alpha / familySize. */
function perTestLevel(input: DetectionSettings): number {
  if (typeof input.spread !== 'number' || !(input.spread >= 0 && Number.isFinite(input.spread))) {
    throw new RangeError(`spread must be a finite number >= 0 (got ${String(input.spread)})`);
  }
  assertOpenProbability('alpha', input.alpha);
  const familySize = input.familySize ?? 1;
  assertFamily(familySize);
  return input.alpha / familySize;
}

/**
 * Fewest pairs for which the exact one-sided signed-rank test can be significant after Holm over
 * `familySize` tests at family-wise level `alpha`: the smallest n with familySize · 2^-n < alpha
 * (2^-n is its smallest p-value, reached when every pair moves the same way, and the most
 * significant test must pass Holm's first step α / m). Strictly below, as the gate rejects when
 * the adjusted p is below α; it differs from "<=" only when α / m is exactly a power of two. At
 * least 2, the fewest pairs the test accepts. E.g. alpha 0.05: family 7 → 8, 14 → 9, 21 → 9,
 * 28 → 10. Assumes no identical pairs and no tied log ratios (which raise the floor).
 */
export function pairsNeeded(familySize: number, alpha: number): number {
  assertFamily(familySize);
  assertOpenProbability('alpha', alpha);
  let n = 2;
  while (familySize * 2 ** -n >= alpha) n++;
  return n;
}

/**
 * Approximate power of the one-sided rank test of the design (see the top of this file) against a
 * true shift `shift` of the log values in the worse direction (same unit as `spread`, which must
 * be > 0), at level alpha / familySize. 0 when the test cannot be significant with these sizes
 * (or a side has fewer than 2 values).
 */
export function detectionPower(input: DetectionInput & { shift: number }): number {
  const level = perTestLevel(input);
  if (!(input.spread > 0)) {
    throw new RangeError(`spread must be > 0 for a power (got ${String(input.spread)})`);
  }
  if (typeof input.shift !== 'number' || !Number.isFinite(input.shift)) {
    throw new RangeError(`shift must be a finite number (got ${String(input.shift)})`);
  }
  const model = modelOf(input);
  const c = model === null ? null : criticalValue(model, level);
  if (model === null || c === null) return 0;
  return powerAt(model, c, input.shift / input.spread);
}

/**
 * Smallest true shift (same unit as `spread`: natural-log units for log values, percentage points
 * for paired differences in pp) that the one-sided rank test of the design detects with
 * probability `power` (default 0.8) at level alpha / familySize (see the top of this file).
 * null when the test cannot be significant with these sizes whatever the shift: the smallest
 * achievable p-value is not below alpha / familySize, or a side has fewer than 2 values.
 * spread 0 gives 0 (no noise in the model: any change would be flagged; with quantized values
 * report the resolution instead).
 */
export function minimumDetectableShift(input: DetectionInput & { power?: number }): number | null {
  const level = perTestLevel(input);
  const target = input.power ?? 0.8;
  assertOpenProbability('power', target);
  const model = modelOf(input);
  const c = model === null ? null : criticalValue(model, level);
  if (model === null || c === null) return null;
  if (input.spread === 0) return 0;
  const reaches = (a: number): boolean => powerAt(model, c, a) >= target;
  if (reaches(0)) return 0;
  let lo = 0;
  let hi = 1;
  while (!reaches(hi)) {
    lo = hi;
    hi *= 2; // P_floor(a) -> 1, so this ends (Φ(a) is exactly 1 in doubles from a ≈ 8.3)
  }
  while (hi - lo > 1e-10 * hi) {
    const mid = (lo + hi) / 2;
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi * input.spread;
}

/**
 * Smallest relative change the run could detect with probability `power` (default 0.8), as ratio
 * - 1 in the worse direction: exp(shift) - 1 when higherIsWorse (default; 0.04 = "could detect
 * a slowdown of 4 % or more"), exp(-shift) - 1 otherwise (-0.038 = "a throughput drop of 3.8 %
 * or more"), with shift = minimumDetectableShift and `spread` in natural-log units. null when not
 * reachable (see minimumDetectableShift).
 */
export function minimumDetectableChange(
  input: DetectionInput & { power?: number; higherIsWorse?: boolean },
): number | null {
  const shift = minimumDetectableShift(input);
  if (shift === null) return null;
  return Math.expm1((input.higherIsWorse ?? true) ? shift : -shift);
}
