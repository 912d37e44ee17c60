import { describe, expect, it } from 'vitest';
import {
  bivariateNormalCdf,
  hodgesLehmannOneSample,
  minimumDetectableShift,
  pairedDifferenceTest,
  pairedLogRatioTest,
  pairsNeeded,
  pooledRobustSd,
  robustSd,
} from '../../../src/stats/index.js';
import { pairedReference as ref } from './paired-reference.js';
import { expectClose } from './reference.js';

const EXACT = 1e-9;
const APPROX = 1e-6;

describe('paired reference values (generate.py)', () => {
  it('covers every case kind', () => {
    expect(ref.paired.length).toBeGreaterThan(50);
    expect(new Set(ref.paired.map((c) => c.method))).toEqual(new Set(['exact', 'normal']));
    expect(ref.paired.some((c) => c.kind === 'difference')).toBe(true);
    expect(ref.paired.some((c) => !c.higherIsWorse)).toBe(true);
    expect(ref.hodgesLehmannOneSample.length).toBeGreaterThan(30);
    expect(ref.minimumDetectableShift.some((c) => c.shift === null)).toBe(true);
    expect(ref.minimumDetectableShift.filter((c) => c.shift !== null).length).toBeGreaterThan(60);
  });

  describe('paired tests vs scipy.stats.wilcoxon and brute-force Walsh averages', () => {
    it.each(ref.paired.map((c) => [`${c.kind} ${c.name} @${c.confidence}`, c] as const))(
      '%s',
      (_name, c) => {
        const fn = c.kind === 'logRatio' ? pairedLogRatioTest : pairedDifferenceTest;
        const r = fn(c.base, c.head, { higherIsWorse: c.higherIsWorse, confidence: c.confidence });
        expect(r.n).toBe(c.n);
        expect(r.nonZero).toBe(c.nonZero);
        expect(r.statistic).toBe(c.statistic);
        expect(r.method).toBe(c.method);
        const tol = c.method === 'exact' ? EXACT : APPROX;
        expectClose(r.pWorse, c.pWorse, tol);
        expectClose(r.pBetter, c.pBetter, tol);
        expectClose(r.minPValue, c.minPValue, tol);
        expectClose(r.effect.estimate, c.estimate, 1e-12, 1e-15);
        expectClose(r.effect.lower, c.lower, 1e-12, 1e-15);
        expectClose(r.effect.upper, c.upper, 1e-12, 1e-15);
        expectClose(r.effect.confidence, c.achieved, EXACT);
        expectClose(r.spread, c.spread, 1e-12, 1e-15);
      },
    );
  });

  describe('hodgesLehmannOneSample vs brute-force Walsh averages', () => {
    it.each(ref.hodgesLehmannOneSample.map((c) => [`${c.name} @${c.confidence}`, c] as const))(
      '%s',
      (_name, c) => {
        const r = hodgesLehmannOneSample(c.d, c.confidence);
        expectClose(r.estimate, c.estimate, 1e-12, 1e-15);
        expectClose(r.lower, c.lower, 1e-12, 1e-15);
        expectClose(r.upper, c.upper, 1e-12, 1e-15);
        expectClose(r.confidence, c.achieved, EXACT);
        if (c.d.length <= 50) expect(r.confidence).toBeGreaterThanOrEqual(c.confidence);
      },
    );
  });

  it('robustSd / pooledRobustSd match scipy median_abs_deviation(scale="normal") × b_n', () => {
    for (const c of ref.robustSd.single) expectClose(robustSd(c.values), c.robustSd, 1e-12);
    for (const c of ref.robustSd.pooled) expectClose(pooledRobustSd(c.x, c.y), c.pooled, 1e-12);
  });

  it('bivariateNormalCdf matches a quadrature of the conditional normal', () => {
    for (const c of ref.bivariateNormal)
      expectClose(bivariateNormalCdf(c.h, c.k, c.rho), c.cdf, 0, 1e-10);
  });

  it('pairsNeeded matches exact rational arithmetic', () => {
    for (const c of ref.pairsNeeded) expect(pairsNeeded(c.familySize, c.alpha)).toBe(c.pairs);
  });

  describe('minimumDetectableShift vs an independent Python implementation', () => {
    it.each(
      ref.minimumDetectableShift.map(
        (c) =>
          [
            `${c.design === 'paired' ? `${c.pairs} pairs` : `${c.current}v${c.baseline}`} ` +
              `family ${c.familySize} power ${c.power}`,
            c,
          ] as const,
      ),
    )('%s', (_name, c) => {
      const shift = minimumDetectableShift({
        ...c,
        spread: 1,
      });
      if (c.shift === null) expect(shift).toBeNull();
      else expectClose(shift as number, c.shift, 1e-7);
    });
  });
});
