import { describe, expect, it } from 'vitest';
import type { Alternative } from '../../../src/stats/index.js';
import {
  hodgesLehmannRatio,
  hodgesLehmannShift,
  holm,
  linearTrend,
  mannWhitneyU,
  mannWhitneyUDistribution,
  normalQuantile,
  percentile,
  signedRankDistribution,
  studentTQuantile,
  wilcoxonSignedRank,
} from '../../../src/stats/index.js';

const ALTS: Alternative[] = ['greater', 'less', 'two-sided'];

describe('input validation', () => {
  it('rank tests and HL reject empty and single-element samples, naming the argument', () => {
    expect(() => mannWhitneyU([], [1, 2], 'greater')).toThrow(RangeError);
    expect(() => mannWhitneyU([1], [1, 2], 'greater')).toThrow(/^x must contain at least 2/);
    expect(() => mannWhitneyU([1, 2], [3], 'greater')).toThrow(/^y must contain at least 2/);
    expect(() => wilcoxonSignedRank([], 'greater')).toThrow(/^d must contain at least 2/);
    expect(() => wilcoxonSignedRank([0.3], 'less')).toThrow(/^d must contain at least 2/);
    expect(() => hodgesLehmannShift([1], [1, 2])).toThrow(/^x must/);
    expect(() => hodgesLehmannRatio([1, 2], [])).toThrow(/^y must/);
  });

  it('rejects NaN and ±Infinity with a RangeError naming the element', () => {
    expect(() => mannWhitneyU([1, NaN], [1, 2], 'greater')).toThrow(/^x\[1\] must be a finite/);
    expect(() => mannWhitneyU([1, 2], [Infinity, 2], 'less')).toThrow(/^y\[0\]/);
    expect(() => wilcoxonSignedRank([1, -Infinity], 'two-sided')).toThrow(/^d\[1\]/);
    expect(() => hodgesLehmannShift([1, 2], [3, NaN])).toThrow(/^y\[1\]/);
    expect(() => hodgesLehmannRatio([1, Infinity], [3, 4])).toThrow(/^x\[1\]/);
    expect(() => percentile([1, NaN], 50)).toThrow(/^values\[1\]/);
    expect(() =>
      linearTrend([
        { x: 0, y: 1 },
        { x: 1, y: NaN },
        { x: 2, y: 3 },
      ]),
    ).toThrow(/^points\[1\]\.y/);
    expect(() =>
      linearTrend([
        { x: 0, y: 1 },
        { x: Infinity, y: 2 },
        { x: 2, y: 3 },
      ]),
    ).toThrow(/^points\[1\]\.x/);
    for (const bad of [NaN, -0.1, 1.5]) {
      expect(() => holm([0.1, bad])).toThrow(/^pValues\[1\]/);
    }
  });

  it('rejects unknown alternatives and confidences outside (0, 1)', () => {
    expect(() => mannWhitneyU([1, 2], [3, 4], 'bigger' as Alternative)).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, 2], 'up' as Alternative)).toThrow(RangeError);
    for (const c of [0, 1, 1.5, -0.2, NaN]) {
      expect(() => hodgesLehmannShift([1, 2], [3, 4], c)).toThrow(/^confidence/);
      expect(() =>
        linearTrend(
          [
            { x: 0, y: 1 },
            { x: 1, y: 2 },
            { x: 2, y: 4 },
          ],
          c,
        ),
      ).toThrow(/^confidence/);
    }
  });

  it('hodgesLehmannRatio needs strictly positive values', () => {
    expect(() => hodgesLehmannRatio([1, 2, 0], [3, 4])).toThrow(/^x\[2\] must be > 0/);
    expect(() => hodgesLehmannRatio([1, 2], [3, -4])).toThrow(/^y\[1\] must be > 0/);
  });

  it('linearTrend needs 3 points and two distinct x', () => {
    expect(() =>
      linearTrend([
        { x: 0, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toThrow(/at least 3 points/);
    expect(() =>
      linearTrend([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
        { x: 1, y: 3 },
      ]),
    ).toThrow(/two distinct x/);
  });

  it('percentile needs a value and p in [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/^values must contain at least 1 value/);
    for (const p of [-1, 100.5, NaN]) expect(() => percentile([1, 2], p)).toThrow(/^p must/);
  });

  it('distribution helpers reject bad sizes', () => {
    expect(() => mannWhitneyUDistribution(0, 3)).toThrow(RangeError);
    expect(() => mannWhitneyUDistribution(2.5, 3)).toThrow(RangeError);
    expect(() => mannWhitneyUDistribution(51, 50)).toThrow(/n\*m must be <= 2500/);
    expect(() => signedRankDistribution(51)).toThrow(RangeError);
    expect(() => studentTQuantile(0, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('degenerate data', () => {
  it('all values identical: p = 1 for every alternative (normal path, σ = 0)', () => {
    for (const alt of ALTS) {
      const r = mannWhitneyU([12, 12, 12, 12, 12], [12, 12, 12, 12, 12], alt);
      expect(r).toEqual({ statistic: 12.5, pValue: 1, method: 'normal' });
    }
  });

  it('all differences zero: W+ = 0 and p = 1', () => {
    for (const alt of ALTS) {
      expect(wilcoxonSignedRank([0, 0, 0, 0], alt)).toEqual({
        statistic: 0,
        pValue: 1,
        method: 'normal',
      });
    }
  });

  it('identical samples: shift 0 with interval [0, 0], ratio 1 with [1, 1]', () => {
    const v = [12, 12, 12, 12, 12];
    const s = hodgesLehmannShift(v, v);
    expect(s.estimate).toBe(0);
    expect(s.lower).toBe(0);
    expect(s.upper).toBe(0);
    expect(s.confidence).toBeGreaterThanOrEqual(0.95);
    expect(hodgesLehmannRatio(v, v)).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
  });

  it('samples too small for the requested confidence give an unbounded interval', () => {
    // 3 vs 3: the widest interval [min diff, max diff] only reaches 1 - 2/20 = 90 %.
    const s = hodgesLehmannShift([1, 2, 3], [1.5, 2.5, 3.5], 0.95);
    expect(s).toEqual({ estimate: -0.5, lower: -Infinity, upper: Infinity, confidence: 1 });
    const r = hodgesLehmannRatio([1, 2, 3], [1.5, 2.5, 3.5], 0.95);
    expect(r.lower).toBe(0);
    expect(r.upper).toBe(Infinity);
    expect(r.confidence).toBe(1);
    // at 90 % the extreme differences are exactly enough
    expect(hodgesLehmannShift([1, 2, 3], [1.5, 2.5, 3.5], 0.9)).toEqual({
      estimate: -0.5,
      lower: -2.5,
      upper: 1.5,
      confidence: 0.9,
    });
  });

  it('flat y: slope 0 with a zero-width interval and r2 = 0 (as scipy)', () => {
    const t = linearTrend([0, 1, 2, 3].map((x) => ({ x, y: 7 })));
    expect(t).toEqual({ slope: 0, intercept: 7, r2: 0, slopeLower: 0, slopeUpper: 0, n: 4 });
  });

  it('perfect fit: r2 = 1 and a zero-width slope interval', () => {
    const t = linearTrend([0, 1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 })));
    expect(t.slope).toBe(2);
    expect(t.intercept).toBe(1);
    expect(t.r2).toBe(1);
    expect(t.slopeLower).toBe(2);
    expect(t.slopeUpper).toBe(2);
  });

  it('percentile of a single value is that value; input is not mutated', () => {
    expect(percentile([5], 95)).toBe(5);
    const v = [3, 1, 2];
    expect(percentile(v, 50)).toBe(2);
    expect(v).toEqual([3, 1, 2]);
  });

  it('holm of nothing is nothing; input is not mutated', () => {
    expect(holm([])).toEqual([]);
    const p = [0.04, 0.01];
    expect(holm(p)).toEqual([0.04, 0.02]);
    expect(p).toEqual([0.04, 0.01]);
  });

  it('quantile closed forms and limits', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 12);
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 14);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
  });
});
