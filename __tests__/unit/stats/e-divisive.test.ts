import { describe, expect, it } from 'vitest';
import {
  defaultPermutations,
  deriveSeed,
  eDivisive,
  eDivisiveStatistic,
} from '../../../src/stats/e-divisive.js';
import { seededRandom } from '../../../src/stats/random.js';
import { expectClose, reference } from './reference.js';

/** The E-Divisive section of reference.json (generate.py: brute force tied to SciPy). */
const ed = (
  reference as unknown as {
    eDivisive: {
      statistic: {
        name: string;
        values: number[];
        minSegment: number;
        profile: (number | null)[];
        bestIndex: number;
        bestStatistic: number;
      }[];
      permutation: {
        name: string;
        values: number[];
        minSegment: number;
        statistic: number;
        exactP: number;
      }[];
    };
  }
).eDivisive;

/**
 * The best split of the whole series as eDivisive's first test finds it (its candidate, tested or
 * not): undefined when the series is shorter than 2 × minSegment.
 */
function firstCandidate(values: readonly number[], minSegment: number) {
  const out = eDivisive(values, {
    level: 0.999_999,
    minSegment,
    permutations: 1,
    maxChangePoints: 1,
  });
  return out.changePoints[0] ?? out.stopped;
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

describe('E-Divisive statistic vs NumPy brute force (pair sums tied to scipy.stats.energy_distance)', () => {
  it.each(ed.statistic.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    c.profile.forEach((q, t) => {
      if (q !== null) expectClose(eDivisiveStatistic(c.values, t), q, 1e-9, 1e-12);
    });
    const best = firstCandidate(c.values, c.minSegment);
    // Only splits leaving minSegment values on each side (the reference's non-null ones) compete.
    const allowed = c.profile.flatMap((q, t) => (q === null ? [] : [t]));
    expect(allowed).toContain(best?.index);
    expect(best?.index).toBe(c.bestIndex);
    expectClose(best?.statistic as number, c.bestStatistic, 1e-9, 1e-12);
  });
});

describe('E-Divisive permutation test vs exact p-values (all 8! orderings)', () => {
  const R = 20_000;
  it.each(ed.permutation.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // One test, no early stop: level just below 1 so the first candidate is always tested.
    const out = eDivisive(c.values, {
      level: 0.999_999,
      minSegment: c.minSegment,
      permutations: R,
      exceedances: R + 1,
      maxChangePoints: 1,
      seed: 7,
    });
    const test = out.changePoints[0] ?? out.stopped;
    if (c.statistic <= 0) {
      // A largest Q ≤ 0 is never a change point, whatever the shuffles say.
      expect(out.changePoints).toEqual([]);
      return;
    }
    expect(test).toBeDefined();
    expectClose(test?.statistic as number, c.statistic, 1e-9, 1e-12);
    // Monte Carlo p = (reached + 1) / (R + 1): within 4 standard errors of the exact p.
    const se = Math.sqrt((c.exactP * (1 - c.exactP)) / R);
    expect(Math.abs((test?.pValue as number) - c.exactP)).toBeLessThan(4 * se + 2 / R);
    expect(test?.permutations).toBe(R);
  });
});

describe('eDivisive', () => {
  it('finds a clear step where it is and stops', () => {
    const g = gaussian(seededRandom(3));
    const values = Array.from({ length: 40 }, (_, i) => 0.03 * g() + (i >= 25 ? 0.2 : 0));
    const out = eDivisive(values, { level: 0.01 });
    expect(out.changePoints.map((c) => c.index)).toEqual([25]);
    expect(out.changePoints[0]?.pValue).toBeLessThanOrEqual(0.01);
    expect(out.stopped?.pValue).toBeGreaterThan(0.01);
  });

  it('finds two steps by bisection, sorted by index', () => {
    const g = gaussian(seededRandom(4));
    const values = Array.from(
      { length: 45 },
      (_, i) => 0.03 * g() + (i >= 15 ? 0.2 : 0) + (i >= 30 ? -0.3 : 0),
    );
    const out = eDivisive(values, { level: 0.01 });
    expect(out.changePoints.map((c) => c.index)).toEqual([15, 30]);
  });

  it('respects the minimum segment: a step is placed with at least minSegment values after it', () => {
    const g = gaussian(seededRandom(11));
    const base = Array.from({ length: 20 }, () => 0.02 * g());
    for (const minSegment of [2, 3, 4]) {
      for (let k = 1; k <= minSegment; k++) {
        const values = [...base, ...new Array<number>(k).fill(1)];
        const found = eDivisive(values, { level: 0.05, minSegment }).changePoints;
        for (const c of found) {
          expect(c.index).toBeGreaterThanOrEqual(minSegment);
          expect(c.index).toBeLessThanOrEqual(values.length - minSegment);
        }
        // k = minSegment: the step is found exactly where it starts.
        if (k === minSegment) expect(found.map((c) => c.index)).toEqual([20]);
      }
    }
  });

  it('never splits a constant series (Q = 0, every shuffle ties)', () => {
    const out = eDivisive(new Array(20).fill(1.5), { level: 0.5 });
    expect(out.changePoints).toEqual([]);
  });

  it('is deterministic for a seed and stops a null test early (Besag-Clifford)', () => {
    const g = gaussian(seededRandom(9));
    const values = Array.from({ length: 30 }, () => g());
    const a = eDivisive(values, { level: 0.002, seed: 5 });
    const b = eDivisive(values, { level: 0.002, seed: 5 });
    expect(a).toEqual(b);
    expect(a.changePoints).toEqual([]);
    // 20 shuffles reached the observed Q long before the 4,999 allowed.
    expect(a.stopped?.permutations).toBeLessThan(500);
    expect(a.stopped?.pValue).toBeCloseTo(20 / (a.stopped?.permutations as number), 12);
  });

  it('has a default number of shuffles that can reach the level', () => {
    expect(defaultPermutations(0.05)).toBe(199);
    expect(defaultPermutations(0.002)).toBe(4_999);
    expect(1 / (defaultPermutations(1e-6) + 1)).toBeLessThan(1e-4);
    expect(defaultPermutations(0.5)).toBe(199);
  });

  it('derives distinct, stable seeds per key', () => {
    expect(deriveSeed(13, 'a\u0000p95')).toBe(deriveSeed(13, 'a\u0000p95'));
    expect(deriveSeed(13, 'a\u0000p95')).not.toBe(deriveSeed(13, 'a\u0000p99'));
    expect(deriveSeed(13, 'a\u0000p95')).not.toBe(deriveSeed(14, 'a\u0000p95'));
  });

  it('rejects bad input', () => {
    expect(() => eDivisive([1, Number.NaN, 2], { level: 0.05 })).toThrow(RangeError);
    expect(() => eDivisive([1, 2, 3], { level: 0 })).toThrow(/level/);
    expect(() => eDivisive([1, 2, 3], { level: 0.05, minSegment: 1 })).toThrow(/minSegment/);
    expect(() => eDivisiveStatistic([1, 2, 3, 4, 5], 1)).toThrow(/index/);
    expect(firstCandidate([1, 2, 3, 4, 5], 3)).toBeUndefined();
  });
});
