import { sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import type { Design } from '../../../src/stats/index.js';
import {
  detectionPower,
  mannWhitneyU,
  minimumDetectableChange,
  minimumDetectableShift,
  normalQuantile,
  pairsNeeded,
  pooledRobustSd,
  robustSd,
  signedRankMinPValue,
  wilcoxonSignedRank,
} from '../../../src/stats/index.js';
import { seededRandom } from '../../../src/stats/random.js';

const ALPHA = 0.05;
/** SD of the paired log ratios measured by the first interleaved probe (3.4-4.3 %). */
const SIGMA = 0.04;
const REPS = 2000;

/** Standard normal deviates (Box-Muller on mulberry32), deterministic for a seed. */
function normals(seed: number): () => number {
  const r = seededRandom(seed);
  return () => {
    const u = 1 - r(); // (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
}

/** Share of REPS simulated runs in which the exact one-sided test rejects at alpha / family. */
function simulatedPower(design: Design, shift: number, family: number, seed: number): number {
  const z = normals(seed);
  const level = ALPHA / family;
  let rejections = 0;
  for (let rep = 0; rep < REPS; rep++) {
    if (design.design === 'paired') {
      const d = Array.from({ length: design.pairs }, () => shift + SIGMA * z());
      if (wilcoxonSignedRank(d, 'greater').pValue < level) rejections++;
    } else {
      const cur = Array.from({ length: design.current }, () => shift + SIGMA * z());
      const base = Array.from({ length: design.baseline }, () => SIGMA * z());
      if (mannWhitneyU(cur, base, 'greater').pValue < level) rejections++;
    }
  }
  return rejections / REPS;
}

const name = (d: Design): string =>
  d.design === 'paired' ? `${d.pairs} pairs` : `${d.current} vs ${d.baseline} trials`;

describe('pairsNeeded', () => {
  it('gives 8, 9, 9, 10 pairs for families of 7, 14, 21, 28 tests at α 0.05', () => {
    expect([7, 14, 21, 28].map((m) => pairsNeeded(m, 0.05))).toEqual([8, 9, 9, 10]);
  });

  it('is the first n whose smallest exact p passes Holm’s first step, and never below 2', () => {
    for (const alpha of [0.05, 0.01, 0.1, 0.3]) {
      for (let m = 1; m <= 60; m++) {
        const n = pairsNeeded(m, alpha);
        expect(n).toBeGreaterThanOrEqual(2);
        expect(m * signedRankMinPValue(n, 'greater')).toBeLessThan(alpha);
        if (n > 2) expect(m * signedRankMinPValue(n - 1, 'greater')).toBeGreaterThanOrEqual(alpha);
      }
    }
  });

  it('requires strictly below α: 2^-4 = 0.0625 is not enough at α 0.0625', () => {
    expect(pairsNeeded(1, 0.0625)).toBe(5);
    expect(pairsNeeded(1, 0.0626)).toBe(4);
  });

  it('rejects bad arguments', () => {
    expect(() => pairsNeeded(0, 0.05)).toThrow(/^familySize/);
    expect(() => pairsNeeded(2.5, 0.05)).toThrow(/^familySize/);
    expect(() => pairsNeeded(7, 0)).toThrow(/^alpha/);
    expect(() => pairsNeeded(7, 1)).toThrow(/^alpha/);
  });
});

describe('minimumDetectableShift against simulations of the exact tests', () => {
  // Near the floor (c = max), just above it (c = max - 1, max - 2), mid-size and beyond the exact
  // limits (normal approximation), for both designs.
  const cases: { design: Design; family: number; power: number }[] = [
    { design: { design: 'paired', pairs: 8 }, family: 7, power: 0.8 },
    { design: { design: 'paired', pairs: 10 }, family: 28, power: 0.8 },
    { design: { design: 'paired', pairs: 11 }, family: 28, power: 0.8 },
    { design: { design: 'paired', pairs: 12 }, family: 14, power: 0.9 },
    { design: { design: 'paired', pairs: 16 }, family: 7, power: 0.8 },
    { design: { design: 'paired', pairs: 20 }, family: 28, power: 0.8 },
    { design: { design: 'paired', pairs: 40 }, family: 1, power: 0.8 },
    { design: { design: 'paired', pairs: 60 }, family: 28, power: 0.8 },
    { design: { design: 'two-sample', current: 5, baseline: 5 }, family: 7, power: 0.8 },
    { design: { design: 'two-sample', current: 6, baseline: 6 }, family: 28, power: 0.8 },
    { design: { design: 'two-sample', current: 10, baseline: 5 }, family: 28, power: 0.8 },
    { design: { design: 'two-sample', current: 8, baseline: 8 }, family: 7, power: 0.9 },
    { design: { design: 'two-sample', current: 20, baseline: 20 }, family: 14, power: 0.8 },
    { design: { design: 'two-sample', current: 60, baseline: 60 }, family: 28, power: 0.8 },
  ];

  it.each(
    cases.map((c, i) => [`${name(c.design)}, family ${c.family}, power ${c.power}`, c, i] as const),
  )('%s', (_label, c, i) => {
    const input = { ...c.design, spread: SIGMA, alpha: ALPHA, familySize: c.family };
    const shift = minimumDetectableShift({ ...input, power: c.power });
    expect(shift).not.toBeNull();
    const s = shift as number;
    // At the returned shift the exact test rejects about as often as promised...
    expect(Math.abs(simulatedPower(c.design, s, c.family, 1000 + i) - c.power)).toBeLessThanOrEqual(
      0.07,
    );
    // ...and the power curve holds elsewhere too: at half the shift power is far lower, and
    // detectionPower predicts it.
    const half = simulatedPower(c.design, s / 2, c.family, 2000 + i);
    expect(half).toBeLessThan(c.power - 0.2);
    expect(Math.abs(detectionPower({ ...input, shift: s / 2 }) - half)).toBeLessThanOrEqual(0.07);
    expect(detectionPower({ ...input, shift: s })).toBeCloseTo(c.power, 6);
  });

  it('with no effect the test keeps its level', () => {
    const design: Design = { design: 'paired', pairs: 12 };
    expect(simulatedPower(design, 0, 1, 7)).toBeLessThanOrEqual(ALPHA + 0.015);
    expect(detectionPower({ ...design, spread: SIGMA, alpha: ALPHA, shift: 0 })).toBeLessThan(
      ALPHA,
    );
  });
});

describe('minimumDetectableShift / minimumDetectableChange', () => {
  it('is null exactly when the smallest achievable p cannot pass α / family', () => {
    for (const family of [1, 7, 14, 21, 28]) {
      const need = pairsNeeded(family, ALPHA);
      const at = (pairs: number) =>
        minimumDetectableShift({
          design: 'paired',
          pairs,
          spread: SIGMA,
          alpha: ALPHA,
          familySize: family,
        });
      expect(at(need - 1)).toBeNull();
      expect(at(need)).not.toBeNull();
    }
    // two-sample: 3 vs 3 has smallest p 1/20 = 0.05, not below 0.05; 4 vs 4 has 1/70
    const two = (n: number, family: number) =>
      minimumDetectableShift({
        design: 'two-sample',
        current: n,
        baseline: n,
        spread: SIGMA,
        alpha: ALPHA,
        familySize: family,
      });
    expect(two(3, 1)).toBeNull();
    expect(two(4, 1)).not.toBeNull();
    expect(two(4, 7)).toBeNull(); // 7/70 = 0.1
    expect(two(5, 7)).not.toBeNull(); // 7/252
  });

  it('is null with fewer than 2 values on a side (the tests need 2)', () => {
    const s = { spread: SIGMA, alpha: 0.9 };
    expect(minimumDetectableShift({ design: 'paired', pairs: 1, ...s })).toBeNull();
    expect(
      minimumDetectableShift({ design: 'two-sample', current: 1, baseline: 30, ...s }),
    ).toBeNull();
    expect(minimumDetectableShift({ design: 'paired', pairs: 2, ...s })).not.toBeNull();
  });

  it('shrinks with more pairs, grows with the family, the power and the spread', () => {
    const mde = (pairs: number, familySize: number, power = 0.8, spread = SIGMA) =>
      minimumDetectableShift({
        design: 'paired',
        pairs,
        spread,
        alpha: ALPHA,
        familySize,
        power,
      }) as number;
    for (let n = 10; n < 60; n++) expect(mde(n + 1, 14)).toBeLessThan(mde(n, 14));
    expect(mde(20, 28)).toBeGreaterThan(mde(20, 7));
    expect(mde(20, 7, 0.9)).toBeGreaterThan(mde(20, 7, 0.8));
    expect(mde(20, 7, 0.8, 2 * SIGMA)).toBeCloseTo(2 * mde(20, 7), 9);
  });

  it('approaches the Pitman-efficiency formula (z_{1-α} + z_power)·σ/√(3n/π) for large n', () => {
    for (const n of [1000, 4000]) {
      const shift = minimumDetectableShift({
        design: 'paired',
        pairs: n,
        spread: 1,
        alpha: ALPHA,
      }) as number;
      const are = (normalQuantile(1 - ALPHA) + normalQuantile(0.8)) / Math.sqrt((3 * n) / Math.PI);
      expect(Math.abs(shift / are - 1)).toBeLessThan(0.01);
    }
    const two = minimumDetectableShift({
      design: 'two-sample',
      current: 400,
      baseline: 400,
      spread: 1,
      alpha: ALPHA,
    }) as number;
    const are =
      ((normalQuantile(1 - ALPHA) + normalQuantile(0.8)) * Math.sqrt(2 / 400)) /
      Math.sqrt(3 / Math.PI);
    expect(Math.abs(two / are - 1)).toBeLessThan(0.01);
  });

  it('power is non-decreasing in the shift', () => {
    for (const design of [
      { design: 'paired', pairs: 10 },
      { design: 'paired', pairs: 30 },
      { design: 'two-sample', current: 6, baseline: 6 },
    ] as Design[]) {
      let previous = 0;
      for (let a = 0; a <= 6; a += 0.05) {
        const p = detectionPower({ ...design, spread: 1, alpha: ALPHA, familySize: 7, shift: a });
        expect(p).toBeGreaterThanOrEqual(previous - 1e-12);
        previous = p;
      }
      expect(previous).toBeGreaterThan(0.999);
    }
  });

  it('reports the change as ratio - 1 in the worse direction', () => {
    const input = {
      design: 'paired',
      pairs: 12,
      spread: SIGMA,
      alpha: ALPHA,
      familySize: 7,
    } as const;
    const shift = minimumDetectableShift(input) as number;
    expect(minimumDetectableChange(input)).toBeCloseTo(Math.exp(shift) - 1, 14);
    expect(minimumDetectableChange({ ...input, higherIsWorse: false })).toBeCloseTo(
      Math.exp(-shift) - 1,
      14,
    );
    // With the probe's 4 % spread and 12 blocks: a few percent, not a fraction nor tens of percent.
    expect(minimumDetectableChange(input)).toBeGreaterThan(0.02);
    expect(minimumDetectableChange(input)).toBeLessThan(0.1);
    expect(minimumDetectableChange({ ...input, pairs: 7 })).toBeNull();
  });

  it('spread 0 gives 0 when reachable, null when not', () => {
    expect(
      minimumDetectableShift({
        design: 'paired',
        pairs: 9,
        spread: 0,
        alpha: ALPHA,
        familySize: 7,
      }),
    ).toBe(0);
    expect(
      minimumDetectableShift({
        design: 'paired',
        pairs: 7,
        spread: 0,
        alpha: ALPHA,
        familySize: 7,
      }),
    ).toBeNull();
  });

  it('rejects bad arguments with a RangeError naming them', () => {
    const ok = { design: 'paired', pairs: 10, spread: SIGMA, alpha: ALPHA } as const;
    expect(() => minimumDetectableShift({ ...ok, spread: -1 })).toThrow(/^spread/);
    expect(() => minimumDetectableShift({ ...ok, spread: NaN })).toThrow(/^spread/);
    expect(() => minimumDetectableShift({ ...ok, spread: Infinity })).toThrow(/^spread/);
    expect(() => minimumDetectableShift({ ...ok, alpha: 0 })).toThrow(/^alpha/);
    expect(() => minimumDetectableShift({ ...ok, familySize: 0 })).toThrow(/^familySize/);
    expect(() => minimumDetectableShift({ ...ok, power: 1 })).toThrow(/^power/);
    expect(() => minimumDetectableShift({ ...ok, pairs: 2.5 })).toThrow(/^pairs/);
    expect(() => minimumDetectableShift({ ...ok, pairs: 0 })).toThrow(/^pairs/);
    expect(() =>
      minimumDetectableShift({
        design: 'two-sample',
        current: 5,
        baseline: -1,
        spread: 1,
        alpha: ALPHA,
      }),
    ).toThrow(/^baseline/);
    expect(() =>
      minimumDetectableShift({
        design: 'both',
        pairs: 5,
        spread: 1,
        alpha: ALPHA,
      } as unknown as Design & {
        spread: number;
        alpha: number;
      }),
    ).toThrow(/^design/);
    expect(() => detectionPower({ ...ok, spread: 0, shift: 0.1 })).toThrow(/^spread/);
    expect(() => detectionPower({ ...ok, shift: NaN })).toThrow(/^shift/);
  });
});

describe('robustSd', () => {
  it('is mean-unbiased for σ at the normal, small samples included', () => {
    const z = normals(42);
    for (const n of [2, 4, 7, 10, 25]) {
      let sum = 0;
      const reps = 20000;
      for (let r = 0; r < reps; r++) sum += robustSd(Array.from({ length: n }, () => 3 * z()));
      expect(Math.abs(sum / reps / 3 - 1)).toBeLessThan(0.02);
    }
  });

  it('ignores one wild block; the sample SD does not', () => {
    const z = normals(9);
    const d = Array.from({ length: 15 }, () => SIGMA * z());
    const wild = [...d.slice(1), 1.5];
    expect(robustSd(wild) / robustSd(d)).toBeLessThan(1.3);
    expect(robustSd(wild)).toBeLessThan(2 * SIGMA);
    expect(sampleStandardDeviation(wild)).toBeGreaterThan(5 * SIGMA);
  });

  it('is 0 when more than half the values are equal, and needs 2 finite values', () => {
    expect(robustSd([0, 0, 0, 0.1, -0.2])).toBe(0);
    expect(() => robustSd([0.1])).toThrow(/^values must contain at least 2/);
    expect(() => robustSd([0.1, NaN])).toThrow(/^values\[1\]/);
  });

  it('pooledRobustSd does not count a shift between the samples as spread', () => {
    const z = normals(11);
    const x = Array.from({ length: 12 }, () => 5 + SIGMA * z());
    const y = Array.from({ length: 10 }, () => 5 + SIGMA * z());
    const shifted = y.map((v) => v + 0.5);
    expect(pooledRobustSd(x, shifted)).toBeCloseTo(pooledRobustSd(x, y), 12);
    expect(pooledRobustSd(x, x)).toBeCloseTo(robustSd(x), 12);
    expect(() => pooledRobustSd(x, [1])).toThrow(/^y must/);
  });
});
