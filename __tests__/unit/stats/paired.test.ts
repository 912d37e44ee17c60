import { describe, expect, it } from 'vitest';
import {
  hodgesLehmannOneSample,
  logRatios,
  mannWhitneyU,
  pairedDifferenceTest,
  pairedLogRatioTest,
  signedRankIntervalRank,
  signedRankMinPValue,
  walshAverages,
} from '../../../src/stats/index.js';
import { seededRandom } from '../../../src/stats/random.js';

function normals(seed: number): () => number {
  const r = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Interleaved blocks as the first probe saw them: sides drift ~30 %, the log ratio has SD 4 %. */
function blocks(k: number, ratio: number, seed: number): { base: number[]; head: number[] } {
  const z = normals(seed);
  const base: number[] = [];
  const head: number[] = [];
  for (let i = 0; i < k; i++) {
    const drift = 0.3 * z();
    base.push(12 * Math.exp(drift + (0.04 / Math.SQRT2) * z()));
    head.push(12 * ratio * Math.exp(drift + (0.04 / Math.SQRT2) * z()));
  }
  return { base, head };
}

const WORSE = { higherIsWorse: true } as const;

describe('pairedLogRatioTest input validation', () => {
  it('needs at least 2 pairs (n = 1 throws, naming the argument)', () => {
    expect(() => pairedLogRatioTest([10], [11], WORSE)).toThrow(
      /^base must contain at least 2 values \(got 1\)/,
    );
    expect(() => pairedLogRatioTest([10, 11], [11], WORSE)).toThrow(
      /^head must contain at least 2/,
    );
    expect(() => pairedDifferenceTest([], [], WORSE)).toThrow(/^base must contain at least 2/);
  });

  it('rejects mismatched lengths', () => {
    expect(() => pairedLogRatioTest([10, 11, 12], [11, 12], WORSE)).toThrow(
      /^base and head must have one value per pair, the same length \(got 3 and 2\)/,
    );
    expect(() => pairedDifferenceTest([0, 0], [0, 0, 1], WORSE)).toThrow(/got 2 and 3/);
  });

  it('rejects zero, negative and non-finite values, naming the element', () => {
    expect(() => pairedLogRatioTest([10, 0, 12], [11, 12, 13], WORSE)).toThrow(
      /^base\[1\] must be > 0 for a log ratio \(got 0\)/,
    );
    expect(() => pairedLogRatioTest([10, 11], [11, -2], WORSE)).toThrow(/^head\[1\] must be > 0/);
    expect(() => pairedLogRatioTest([10, NaN], [11, 12], WORSE)).toThrow(
      /^base\[1\] must be a finite number/,
    );
    expect(() => pairedLogRatioTest([10, 11], [Infinity, 12], WORSE)).toThrow(
      /^head\[0\] must be a finite/,
    );
    expect(() => pairedDifferenceTest([0, 1], [0, NaN], WORSE)).toThrow(/^head\[1\]/);
    expect(() => pairedDifferenceTest([-1e308, 0], [1e308, 0], WORSE)).toThrow(
      /^head\[0\] - base\[0\] overflows/,
    );
  });

  it('rejects a confidence outside (0, 1)', () => {
    for (const confidence of [0, 1, 1.2, NaN]) {
      expect(() => pairedLogRatioTest([1, 2], [2, 3], { ...WORSE, confidence })).toThrow(
        /^confidence/,
      );
    }
  });

  it('accepts zeros and negative values as differences', () => {
    const r = pairedDifferenceTest([0, -1, 2, 0], [0.5, -0.5, 2, 1], WORSE);
    expect(r.nonZero).toBe(3);
    expect(r.effect.estimate).toBeGreaterThan(0);
  });
});

describe('pairedLogRatioTest edge cases', () => {
  it('all pairs identical: no test, p = 1 both ways, ratio 1', () => {
    const v = [12, 13.5, 11.25, 12, 14, 12.5, 13];
    const r = pairedLogRatioTest(v, [...v], WORSE);
    expect(r).toMatchObject({
      n: 7,
      nonZero: 0,
      statistic: 0,
      method: 'normal',
      pWorse: 1,
      pBetter: 1,
      minPValue: 1,
      spread: 0,
    });
    expect(r.effect).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
  });

  it('all ratios identical: tied, so normal approximation; the estimate is the ratio', () => {
    const base = [10, 20, 40, 80, 5, 2.5, 160];
    const r = pairedLogRatioTest(
      base,
      base.map((v) => v * 1.25),
      WORSE,
    );
    expect(r.method).toBe('normal');
    expect(r.nonZero).toBe(7);
    expect(r.pWorse).toBeLessThan(0.05);
    expect(r.pBetter).toBeGreaterThan(0.95);
    expect(r.effect.estimate).toBe(1.25);
    expect(r.effect).toMatchObject({ lower: 1.25, upper: 1.25 });
    expect(r.spread).toBe(0);
  });

  it('tied log ratios switch to the normal approximation, distinct ones stay exact', () => {
    expect(pairedLogRatioTest([10, 10, 10, 10], [11, 11, 9, 12], WORSE).method).toBe('normal');
    expect(pairedLogRatioTest([10, 10, 10, 10], [11, 11.5, 9, 12], WORSE).method).toBe('exact');
  });

  it('a zero pair switches to the normal approximation over the non-zero pairs', () => {
    const r = pairedLogRatioTest([10, 10, 10, 10, 10], [10, 11, 11.5, 12, 12.5], WORSE);
    expect(r.nonZero).toBe(4);
    expect(r.method).toBe('normal');
    // every moved pair moved the worse way: the most extreme result these pairs allow
    expect(r.pWorse).toBe(r.minPValue);
  });

  it('exact up to 50 pairs, normal beyond', () => {
    const at50 = blocks(50, 1.01, 5);
    const at51 = blocks(51, 1.01, 5);
    expect(pairedLogRatioTest(at50.base, at50.head, WORSE).method).toBe('exact');
    expect(pairedLogRatioTest(at51.base, at51.head, WORSE).method).toBe('normal');
  });

  it('2 pairs both worse: p = minPValue = 1/4, no finite 95 % interval', () => {
    const r = pairedLogRatioTest([10, 12], [11, 12.5], WORSE);
    expect(r.method).toBe('exact');
    expect(r.pWorse).toBe(0.25);
    expect(r.minPValue).toBe(0.25);
    expect(r.effect).toMatchObject({ lower: 0, upper: Infinity, confidence: 1 });
  });
});

describe('pairedLogRatioTest properties', () => {
  it('pairing cancels drift: significant where the unpaired test on the same values is not', () => {
    const { base, head } = blocks(12, 1.05, 21);
    const paired = pairedLogRatioTest(base, head, WORSE);
    expect(paired.method).toBe('exact');
    expect(paired.pWorse).toBeLessThan(0.05 / 7);
    expect(mannWhitneyU(head, base, 'greater').pValue).toBeGreaterThan(0.05);
    expect(paired.effect.lower).toBeGreaterThan(1);
    expect(paired.effect.estimate).toBeGreaterThan(1.02);
    expect(paired.effect.estimate).toBeLessThan(1.08);
    // the spread is the pairs' few-percent noise, not the sides' 30 % drift
    expect(paired.spread).toBeGreaterThan(0.01);
    expect(paired.spread).toBeLessThan(0.1);
  });

  it('minPValue is 2^-n on the exact path', () => {
    for (const k of [5, 8, 10, 13]) {
      const { base, head } = blocks(k, 1, 30 + k);
      const r = pairedLogRatioTest(base, head, WORSE);
      expect(r.method).toBe('exact');
      expect(r.minPValue).toBe(signedRankMinPValue(k, 'greater'));
    }
  });

  it('swapping base and head swaps pWorse and pBetter and inverts the ratio', () => {
    const { base, head } = blocks(11, 1.03, 3);
    const r = pairedLogRatioTest(base, head, WORSE);
    const s = pairedLogRatioTest(head, base, WORSE);
    expect(s.pWorse).toBeCloseTo(r.pBetter, 15);
    expect(s.pBetter).toBeCloseTo(r.pWorse, 15);
    expect(s.effect.estimate).toBeCloseTo(1 / r.effect.estimate, 12);
    expect(s.effect.lower).toBeCloseTo(1 / r.effect.upper, 12);
    expect(s.effect.upper).toBeCloseTo(1 / r.effect.lower, 12);
  });

  it('higherIsWorse = false (throughput) turns the directions round, not the ratio', () => {
    const { base, head } = blocks(10, 0.95, 8);
    const latency = pairedLogRatioTest(base, head, WORSE);
    const throughput = pairedLogRatioTest(base, head, { higherIsWorse: false });
    expect(throughput.pWorse).toBe(latency.pBetter);
    expect(throughput.pBetter).toBe(latency.pWorse);
    expect(throughput.effect).toEqual(latency.effect);
    expect(throughput.pWorse).toBeLessThan(0.01);
  });

  it('is unchanged when both sides are rescaled by a power of two (unit changes)', () => {
    const { base, head } = blocks(9, 1.02, 4);
    const r = pairedLogRatioTest(base, head, WORSE);
    expect(
      pairedLogRatioTest(
        base.map((v) => v * 1024),
        head.map((v) => v * 1024),
        WORSE,
      ),
    ).toEqual(r);
  });

  it('logRatios gives exactly 0 for identical values and equal logs for equal ratios', () => {
    expect(logRatios([3, 7, 6], [3, 14, 12])).toEqual([0, Math.log(2), Math.log(2)]);
    expect(logRatios([1e-300], [1e300])[0]).toBeCloseTo(600 * Math.log(10), 9);
  });
});

describe('pairedDifferenceTest (error rate, percentage points)', () => {
  it('mostly-zero error rates: zeros dropped from the test, kept in the estimate', () => {
    const base = [0, 0, 0.1, 0, 0, 0, 0.2, 0, 0, 0, 0, 0.1];
    const head = [0, 0.3, 0.1, 0, 0.5, 0, 0.2, 0.4, 0, 0, 0.2, 0.6];
    const r = pairedDifferenceTest(base, head, WORSE);
    expect(r.n).toBe(12);
    expect(r.nonZero).toBe(5);
    expect(r.method).toBe('normal');
    expect(r.pWorse).toBe(r.minPValue);
    expect(r.effect.estimate).toBeCloseTo(0.15, 12);
    expect(r.spread).toBe(0);
  });

  it('all zero: p = 1, estimate 0 pp', () => {
    const r = pairedDifferenceTest([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], WORSE);
    expect(r).toMatchObject({ nonZero: 0, pWorse: 1, pBetter: 1, minPValue: 1 });
    expect(r.effect).toMatchObject({ estimate: 0, lower: 0, upper: 0 });
  });
});

describe('hodgesLehmannOneSample', () => {
  it('n = 1: the value itself, no finite interval', () => {
    expect(hodgesLehmannOneSample([0.25])).toEqual({
      estimate: 0.25,
      lower: -Infinity,
      upper: Infinity,
      confidence: 1,
    });
  });

  it('the first finite 95 % interval needs 6 values: 2·2^-6 <= 0.05 < 2·2^-5', () => {
    expect(signedRankIntervalRank(5, 0.95).k).toBe(0);
    expect(signedRankIntervalRank(6, 0.95)).toEqual({ k: 1, confidence: 1 - 2 / 64 });
    const r = hodgesLehmannOneSample([0.05, 0.01, -0.02, 0.04, 0.03, 0.06]);
    expect(r.lower).toBe(-0.02);
    expect(r.upper).toBe(0.06);
  });

  it('moves with a shift of the data', () => {
    const z = normals(17);
    const d = Array.from({ length: 15 }, () => z());
    const r = hodgesLehmannOneSample(d);
    const s = hodgesLehmannOneSample(d.map((v) => v + 3));
    expect(s.estimate).toBeCloseTo(r.estimate + 3, 12);
    expect(s.lower).toBeCloseTo(r.lower + 3, 12);
    expect(s.upper).toBeCloseTo(r.upper + 3, 12);
    expect(s.confidence).toBe(r.confidence);
  });

  it('covers the centre about as often as its achieved confidence says (simulation)', () => {
    const z = normals(23);
    for (const n of [10, 20]) {
      const reps = 2000;
      let covered = 0;
      let achieved = 0;
      for (let i = 0; i < reps; i++) {
        const r = hodgesLehmannOneSample(
          Array.from({ length: n }, () => 0.3 + z()),
          0.95,
        );
        if (r.lower <= 0.3 && 0.3 <= r.upper) covered++;
        achieved = r.confidence;
      }
      expect(achieved).toBeGreaterThanOrEqual(0.95);
      expect(Math.abs(covered / reps - achieved)).toBeLessThan(0.02);
    }
  });

  it('normal-approximation interval beyond 50 values has about the requested confidence', () => {
    const r = signedRankIntervalRank(80, 0.95);
    expect(r.k).toBeGreaterThan(0);
    expect(Math.abs(r.confidence - 0.95)).toBeLessThan(0.005);
  });

  it('walshAverages: n(n+1)/2 averages, ascending, each value with itself included', () => {
    const w = walshAverages([3, 1, 2]);
    expect(w).toEqual([1, 1.5, 2, 2, 2.5, 3]);
  });

  it('rejects empty or non-finite input and bad n / confidence', () => {
    expect(() => hodgesLehmannOneSample([])).toThrow(/^d must contain at least 1 value/);
    expect(() => hodgesLehmannOneSample([1, NaN])).toThrow(/^d\[1\]/);
    expect(() => hodgesLehmannOneSample([1, 2], 1)).toThrow(/^confidence/);
    expect(() => signedRankIntervalRank(0, 0.95)).toThrow(/^n must be a positive integer/);
  });
});
