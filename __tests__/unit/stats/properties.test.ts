import { describe, expect, it } from 'vitest';
import {
  exactUCdf,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  holm,
  mannWhitneyU,
  mannWhitneyUDistribution,
  signedRankDistribution,
  wilcoxonSignedRank,
} from '../../../src/stats/index.js';
import { seededRandom } from '../../../src/stats/random.js';

const rng = seededRandom;

function latencies(n: number, center: number, noise: number, seed: number): number[] {
  const r = rng(seed);
  // sum of 4 uniforms: roughly normal, deterministic
  return Array.from({ length: n }, () => center * (1 + noise * (r() + r() + r() + r() - 2)));
}

function binomialBig(n: number, k: number): bigint {
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i);
  return r;
}

describe('Hodges-Lehmann', () => {
  it('x = y + c gives shift c; x = y·r gives ratio r', () => {
    for (const [seed, n] of [
      [1, 5],
      [2, 10],
      [3, 30],
      [4, 7],
    ] as const) {
      const y = latencies(n, 12, 0.03, seed);
      for (const c of [0, 0.25, -1.5, 3]) {
        const s = hodgesLehmannShift(
          y.map((v) => v + c),
          y,
        );
        expect(s.estimate).toBeCloseTo(c, 12);
        expect(s.lower).toBeLessThanOrEqual(s.estimate);
        expect(s.upper).toBeGreaterThanOrEqual(s.estimate);
      }
      for (const ratio of [1, 1.1, 0.8]) {
        const r = hodgesLehmannRatio(
          y.map((v) => v * ratio),
          y,
        );
        expect(r.estimate).toBeCloseTo(ratio, 12);
      }
    }
  });

  it('is shift-equivariant: HL(x + c, y) = HL(x, y) + c, interval included', () => {
    const x = latencies(10, 13.2, 0.03, 7);
    const y = latencies(12, 12, 0.03, 8);
    const base = hodgesLehmannShift(x, y, 0.9);
    const moved = hodgesLehmannShift(
      x.map((v) => v + 2),
      y,
      0.9,
    );
    expect(moved.estimate).toBeCloseTo(base.estimate + 2, 12);
    expect(moved.lower).toBeCloseTo(base.lower + 2, 12);
    expect(moved.upper).toBeCloseTo(base.upper + 2, 12);
    expect(moved.confidence).toBe(base.confidence);
  });

  it('wider confidence gives a wider (nested) interval', () => {
    const x = latencies(10, 13.2, 0.03, 9);
    const y = latencies(10, 12, 0.03, 10);
    const a = hodgesLehmannShift(x, y, 0.8);
    const b = hodgesLehmannShift(x, y, 0.95);
    const c = hodgesLehmannShift(x, y, 0.99);
    expect(b.lower).toBeLessThanOrEqual(a.lower);
    expect(c.lower).toBeLessThanOrEqual(b.lower);
    expect(b.upper).toBeGreaterThanOrEqual(a.upper);
    expect(c.upper).toBeGreaterThanOrEqual(b.upper);
    expect(a.confidence).toBeGreaterThanOrEqual(0.8);
    expect(c.confidence).toBeGreaterThanOrEqual(0.99);
  });

  it('interval excludes 0 from below exactly when the exact one-sided U test has p <= (1-conf)/2', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const shift = 1 + ((seed % 7) - 3) * 0.02;
      const x = latencies(8 + (seed % 5), 12 * shift, 0.03, 100 + seed);
      const y = latencies(8 + (seed % 3), 12, 0.03, 200 + seed);
      for (const confidence of [0.8, 0.9, 0.95]) {
        const p = mannWhitneyU(x, y, 'greater');
        expect(p.method).toBe('exact');
        const hl = hodgesLehmannShift(x, y, confidence);
        expect(hl.lower > 0).toBe(p.pValue <= ((1 - confidence) / 2) * (1 + 1e-12));
      }
    }
  });
});

describe('Holm', () => {
  it('adjusted >= raw, capped at 1, monotone in the raw p-values', () => {
    const r = rng(42);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + Math.floor(r() * 15);
      const p = Array.from({ length: m }, () => (r() < 0.2 ? 0.01 : r() ** 3));
      const adj = holm(p);
      expect(adj).toHaveLength(m);
      adj.forEach((a, i) => {
        expect(a).toBeGreaterThanOrEqual(p[i] as number);
        expect(a).toBeLessThanOrEqual(1);
      });
      const order = p.map((_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
      for (let i = 1; i < order.length; i++) {
        expect(adj[order[i] as number]).toBeGreaterThanOrEqual(
          adj[order[i - 1] as number] as number,
        );
      }
      // the smallest p gets the Bonferroni factor m
      expect(Math.min(...adj)).toBeCloseTo(Math.min(1, m * Math.min(...p)), 15);
    }
  });
});

describe('rank tests', () => {
  it('mannWhitneyU is antisymmetric in its arguments', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const x = latencies(5 + (seed % 6), 12.5, 0.04, seed);
      const y = latencies(6 + (seed % 4), 12, 0.04, seed + 50);
      const xy = mannWhitneyU(x, y, 'greater');
      const yx = mannWhitneyU(y, x, 'less');
      expect(xy.statistic + yx.statistic).toBe(x.length * y.length);
      expect(yx.pValue).toBeCloseTo(xy.pValue, 14);
      expect(mannWhitneyU(y, x, 'two-sided').pValue).toBeCloseTo(
        mannWhitneyU(x, y, 'two-sided').pValue,
        14,
      );
    }
  });

  it('wilcoxonSignedRank: negating d swaps the one-sided alternatives', () => {
    const d = latencies(12, 1, 0.5, 3).map((v) => v - 1.05);
    const pos = wilcoxonSignedRank(d, 'greater');
    const neg = wilcoxonSignedRank(
      d.map((v) => -v),
      'less',
    );
    expect(pos.statistic + neg.statistic).toBe((12 * 13) / 2);
    expect(neg.pValue).toBeCloseTo(pos.pValue, 15);
  });

  it('exact distributions are symmetric, sum to the number of arrangements, and stay integral up to 2^53', () => {
    for (const [n, m] of [
      [1, 1],
      [4, 7],
      [10, 10],
      [28, 28],
      [13, 40],
    ] as const) {
      const counts = mannWhitneyUDistribution(n, m);
      expect(counts).toHaveLength(n * m + 1);
      counts.forEach((c, u) => expect(c).toBe(counts[n * m - u]));
      const total = counts.reduce((s, c) => s + BigInt(c), 0n);
      expect(total).toBe(binomialBig(n + m, n)); // C(56, 28) < 2^53: every count exact
      expect(counts.every((c) => Number.isInteger(c))).toBe(true);
    }
    const big = mannWhitneyUDistribution(50, 50);
    expect(exactUCdf(2500, 50, 50)).toBe(1);
    expect(big[0]).toBe(1);
    for (const n of [1, 8, 50]) {
      const c = signedRankDistribution(n);
      expect(c.reduce((s, v) => s + v, 0)).toBe(2 ** n);
      c.forEach((v, w) => expect(v).toBe(c[(n * (n + 1)) / 2 - w]));
    }
  });

  it('100 exact tests of 10 vs 10 (with HL ratio) take well under 50 ms, first build included', () => {
    const samples = Array.from({ length: 100 }, (_, i) => [
      latencies(10, 12 * 1.05, 0.03, 1000 + i),
      latencies(10, 12, 0.03, 2000 + i),
    ]);
    const start = performance.now();
    for (const [x, y] of samples) {
      mannWhitneyU(x as number[], y as number[], 'greater');
      hodgesLehmannRatio(x as number[], y as number[], 0.95);
    }
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(50);
  });
});
