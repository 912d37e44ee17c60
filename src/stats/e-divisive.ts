/**
 * E-Divisive means (Matteson & James 2014, "A nonparametric approach for multiple change point
 * analysis of multivariate data"; the method MongoDB's performance CI and Apache Otava use) on a
 * univariate series, with the distance exponent α = 1 and the end of the right segment fixed at the
 * end of its segment (κ = segment end). Pure and deterministic: the permutation tests draw from a
 * seeded generator.
 *
 * For a split of a segment Z into X = Z[0, τ) (n values) and Y = Z[τ, L) (m values):
 *
 *   Q(τ) = n·m/(n+m) · ( 2/(n·m)·Σ|Xi−Yj| − 2/(n(n−1))·Σ_{i<k}|Xi−Xk| − 2/(m(m−1))·Σ_{j<k}|Yj−Yk| )
 *
 * the scaled sample energy distance between the two sides (within-sample means over distinct pairs,
 * so both sides need ≥ 2 values). The candidate of a segment is the τ with the largest Q among
 * splits leaving at least `minSegment` values on each side (the first such τ on ties).
 *
 * Bisection: with the change points found so far cutting the series into segments, the candidate
 * with the largest Q over all segments is tested by permutation, as Matteson & James and Otava do:
 * shuffle the values within each segment, recompute the largest Q over all segments, and count the
 * shuffles that reach the observed Q. The p-value is Besag & Clifford's (1991) sequential Monte
 * Carlo p-value: stop at the h-th shuffle that reaches it (p = h / shuffles drawn) or after
 * `permutations` shuffles (p = (reached + 1) / (permutations + 1)); a valid p-value either way,
 * and a clear null stops after a few dozen shuffles. A significant candidate (p ≤ level) becomes a
 * change point and the search goes on; the first that is not significant ends it. So under the
 * null of no change at all, a series yields any change point with probability ≤ level.
 */
import { seededRandom } from './random.js';
import { assertFiniteSample } from './validate.js';

export interface Split {
  /** The first index of the right side. */
  index: number;
  /** Q at that split (≥ 0 up to rounding; 0 when the segment is constant). */
  statistic: number;
}

export interface EDivisiveOptions {
  /** Per-test significance level (after any multiple-testing correction): a p-value ≤ it counts. */
  level: number;
  /** Fewest values on each side of a split (≥ 2; default 4). */
  minSegment?: number;
  /** Most shuffles per test (default max(199, ⌈10 / level⌉ − 1), at most 100,000). */
  permutations?: number;
  /** Besag-Clifford h: a test stops at the h-th shuffle reaching the observed Q (default 20). */
  exceedances?: number;
  /** Seed of the shuffles (a 32-bit integer; default 1). */
  seed?: number;
  /** Most change points to find (default 10). */
  maxChangePoints?: number;
}

export interface EDivisiveChangePoint {
  /** The first index of the new segment. */
  index: number;
  statistic: number;
  pValue: number;
  /** Shuffles drawn for its test. */
  permutations: number;
  /** The segment [start, end) it split when it was found. */
  segment: [number, number];
}

export interface EDivisiveResult {
  /** Change points by index. */
  changePoints: EDivisiveChangePoint[];
  /** The test that ended the search (its candidate was not significant), when there was one. */
  stopped?: { index: number; statistic: number; pValue: number; permutations: number };
}

export const DEFAULT_MIN_SEGMENT = 4;
export const DEFAULT_EXCEEDANCES = 20;
export const MAX_PERMUTATIONS = 100_000;

/**
 * Shuffles per test by default: (R + 1) = 10 / level, so the smallest p-value, 1 / (R + 1), is a
 * tenth of the level and a clear step is never lost to the Monte Carlo resolution.
 */
export function defaultPermutations(level: number): number {
  return Math.min(MAX_PERMUTATIONS, Math.max(199, Math.ceil(10 / level) - 1));
}

/** A 32-bit seed for `key` under `seed` (FNV-1a): each series gets its own stream. */
export function deriveSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Q(τ) of `values` split at `index`, straight from the definition (O(L²); for checks). */
export function eDivisiveStatistic(values: readonly number[], index: number): number {
  assertFiniteSample('values', values, 4);
  const L = values.length;
  if (!Number.isInteger(index) || index < 2 || index > L - 2) {
    throw new RangeError(`index must be an integer in [2, ${L - 2}] (got ${String(index)})`);
  }
  const n = index;
  const m = L - index;
  let between = 0;
  let left = 0;
  let right = 0;
  for (let i = 0; i < L; i++) {
    for (let j = i + 1; j < L; j++) {
      const d = Math.abs((values[i] as number) - (values[j] as number));
      if (j < index) left += d;
      else if (i >= index) right += d;
      else between += d;
    }
  }
  const e = (2 * between) / (n * m) - (2 * left) / (n * (n - 1)) - (2 * right) / (m * (m - 1));
  return ((n * m) / (n + m)) * e;
}

/**
 * Within-segment sums for the segments cut by `bounds`: each value's summed distance to the values
 * of its own segment, and each segment's total over distinct pairs. Shuffles within segments leave
 * both unchanged, so a permutation test computes them once.
 */
interface SegmentSums {
  bounds: number[];
  /** By index into the series. */
  row: Float64Array;
  /** By segment. */
  total: number[];
}

function segmentSums(dist: Float64Array, size: number, cuts: readonly number[]): SegmentSums {
  const bounds = [0, ...cuts, size];
  const row = new Float64Array(size);
  const total: number[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const start = bounds[k] as number;
    const end = bounds[k + 1] as number;
    let sum = 0;
    for (let i = start; i < end; i++) {
      let r = 0;
      for (let j = start; j < end; j++) r += dist[i * size + j] as number;
      row[i] = r;
      sum += r;
    }
    total.push(sum / 2);
  }
  return { bounds, row, total };
}

/**
 * The scan of one segment [start, end): Q at every split with ≥ `minSegment` values each side, in
 * O(L²/2) from the distance matrix `dist` (row-major, size × size) of the series read through
 * `order` (the segment's indices into the series, possibly shuffled within the segment), with the
 * segment's sums (`row` by series index, `total`). Returns the best split (first on ties) in
 * segment-relative indices.
 */
function scanSegment(
  dist: Float64Array,
  size: number,
  order: Int32Array,
  start: number,
  end: number,
  minSegment: number,
  row: Float64Array,
  total: number,
): Split | undefined {
  const L = end - start;
  if (L < 2 * minSegment) return undefined;
  let left = 0;
  let between = 0;
  let best: Split | undefined;
  for (let t = 0; t < L - minSegment; t++) {
    // Move element t from the right side to the left: the split becomes t + 1.
    const element = order[start + t] as number;
    const rt = element * size;
    let toLeft = 0;
    for (let a = start; a < start + t; a++) toLeft += dist[rt + (order[a] as number)] as number;
    left += toLeft;
    between += (row[element] as number) - 2 * toLeft;
    const n = t + 1;
    if (n < minSegment) continue;
    const m = L - n;
    const right = total - left - between;
    const q =
      ((n * m) / (n + m)) *
      ((2 * between) / (n * m) - (2 * left) / (n * (n - 1)) - (2 * right) / (m * (m - 1)));
    if (best === undefined || q > best.statistic) best = { index: n, statistic: q };
  }
  return best;
}

function distances(values: readonly number[]): { dist: Float64Array; rowSum: Float64Array } {
  const n = values.length;
  const dist = new Float64Array(n * n);
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs((values[i] as number) - (values[j] as number));
      dist[i * n + j] = d;
      dist[j * n + i] = d;
      rowSum[i] = (rowSum[i] as number) + d;
      rowSum[j] = (rowSum[j] as number) + d;
    }
  }
  return { dist, rowSum };
}

function checkMinSegment(minSegment: number): void {
  if (!Number.isInteger(minSegment) || minSegment < 2) {
    throw new RangeError(`minSegment must be an integer ≥ 2 (got ${String(minSegment)})`);
  }
}

interface Candidate extends Split {
  segment: [number, number];
}

/** The largest Q over all segments (`sums.bounds`), in series indices. */
function bestOverSegments(
  dist: Float64Array,
  size: number,
  order: Int32Array,
  sums: SegmentSums,
  minSegment: number,
): Candidate | undefined {
  let best: Candidate | undefined;
  const { bounds } = sums;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const start = bounds[k] as number;
    const end = bounds[k + 1] as number;
    const split = scanSegment(
      dist,
      size,
      order,
      start,
      end,
      minSegment,
      sums.row,
      sums.total[k] as number,
    );
    if (split && (best === undefined || split.statistic > best.statistic)) {
      best = { index: start + split.index, statistic: split.statistic, segment: [start, end] };
    }
  }
  return best;
}

/**
 * The permutation p-value of the observed best Q with the series cut at `cuts`: shuffles within
 * each segment (Besag-Clifford sequential, see the file's head).
 */
function permutationTest(
  dist: Float64Array,
  size: number,
  rowSum: Float64Array,
  cuts: readonly number[],
  observed: number,
  minSegment: number,
  permutations: number,
  exceedances: number,
  random: () => number,
): { pValue: number; permutations: number } {
  const sums = segmentSums(dist, size, cuts);
  const { bounds } = sums;
  const order = Int32Array.from({ length: size }, (_, i) => i);
  // Rounding: a shuffle equal to the observed arrangement must count as reaching it.
  const meanDistance = size > 1 ? rowSum.reduce((a, b) => a + b, 0) / (size * (size - 1)) : 0;
  const threshold = observed - 1e-9 * Math.max(Math.abs(observed), meanDistance, 1e-300);
  let reached = 0;
  for (let r = 1; r <= permutations; r++) {
    for (let k = 0; k + 1 < bounds.length; k++) {
      const start = bounds[k] as number;
      const end = bounds[k + 1] as number;
      for (let i = end - 1; i > start; i--) {
        const j = start + Math.floor(random() * (i - start + 1));
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
    }
    const best = bestOverSegments(dist, size, order, sums, minSegment);
    if (best !== undefined && best.statistic >= threshold) {
      reached++;
      if (reached >= exceedances) return { pValue: reached / r, permutations: r };
    }
  }
  return { pValue: (reached + 1) / (permutations + 1), permutations };
}

/** E-Divisive means on `values` (see the file's head). */
export function eDivisive(values: readonly number[], options: EDivisiveOptions): EDivisiveResult {
  assertFiniteSample('values', values, 0);
  const { level } = options;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  const minSegment = options.minSegment ?? DEFAULT_MIN_SEGMENT;
  checkMinSegment(minSegment);
  const permutations = options.permutations ?? defaultPermutations(level);
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`permutations must be a positive integer (got ${permutations})`);
  }
  const exceedances = options.exceedances ?? DEFAULT_EXCEEDANCES;
  const maxChangePoints = options.maxChangePoints ?? 10;
  const random = seededRandom(options.seed ?? 1);

  const size = values.length;
  const { dist, rowSum } = distances(values);
  const identity = Int32Array.from({ length: size }, (_, i) => i);
  const cuts: number[] = [];
  const found: EDivisiveChangePoint[] = [];
  while (found.length < maxChangePoints) {
    const sums = segmentSums(dist, size, cuts);
    const candidate = bestOverSegments(dist, size, identity, sums, minSegment);
    if (candidate === undefined) return { changePoints: found };
    const test = permutationTest(
      dist,
      size,
      rowSum,
      cuts,
      candidate.statistic,
      minSegment,
      permutations,
      exceedances,
      random,
    );
    if (!(candidate.statistic > 0) || test.pValue > level) {
      return {
        changePoints: found.sort((a, b) => a.index - b.index),
        stopped: { index: candidate.index, statistic: candidate.statistic, ...test },
      };
    }
    found.push({
      index: candidate.index,
      statistic: candidate.statistic,
      pValue: test.pValue,
      permutations: test.permutations,
      segment: candidate.segment,
    });
    cuts.push(candidate.index);
    cuts.sort((a, b) => a - b);
  }
  return { changePoints: found.sort((a, b) => a.index - b.index) };
}
