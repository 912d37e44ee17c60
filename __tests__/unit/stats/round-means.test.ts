/**
 * The test over rounds of an A/B run (src/stats/round-means.ts) against SciPy
 * (__tests__/fixtures/stats/generate.py, section "roundMeans": scipy.stats.ttest_1samp and
 * scipy.stats.t.interval on the round means).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  meansByRound,
  roundMeansDetectableShift,
  roundMeansTest,
} from '../../../src/stats/round-means.js';
import { expectClose } from './reference.js';

interface RoundCase {
  name: string;
  values: number[];
  rounds: number[];
  confidence: number;
  means: number[];
  mean: number;
  sd: number;
  statistic: number;
  pGreater: number;
  pLess: number;
  lower: number;
  upper: number;
}

interface DetectableCase {
  rounds: number;
  alpha: number;
  familySize: number;
  power: number;
  shift: number;
}

const ref = (
  JSON.parse(
    readFileSync(new URL('../../fixtures/stats/reference.json', import.meta.url), 'utf8'),
  ) as { roundMeans: { tests: RoundCase[]; detectable: DetectableCase[] } }
).roundMeans;

describe('roundMeansTest against scipy.stats.ttest_1samp on the round means', () => {
  it('has the cases it should', () => {
    expect(ref.tests.length).toBeGreaterThanOrEqual(6);
    expect(ref.tests.some((c) => c.pGreater < 0.01)).toBe(true);
    expect(ref.tests.some((c) => c.pLess < 0.05)).toBe(true);
  });

  it.each(ref.tests.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(meansByRound(c.values, c.rounds).length).toBe(c.means.length);
    meansByRound(c.values, c.rounds).forEach((m, i) =>
      expectClose(m, c.means[i] as number, 1e-12, 1e-15),
    );
    const r = roundMeansTest(c.values, c.rounds, c.confidence);
    expect(r.rounds).toBe(c.means.length);
    expectClose(r.mean, c.mean, 1e-12, 1e-15);
    expectClose(r.sd, c.sd, 1e-12);
    expectClose(r.statistic, c.statistic, 1e-10);
    expectClose(r.pGreater, c.pGreater, 1e-9, 1e-14);
    expectClose(r.pLess, c.pLess, 1e-9, 1e-14);
    expectClose(r.interval.lower, c.lower, 1e-9, 1e-14);
    expectClose(r.interval.upper, c.upper, 1e-9, 1e-14);
    expect(r.interval.confidence).toBe(c.confidence);
  });
});

describe('roundMeansDetectableShift against scipy.stats.t.ppf', () => {
  it.each(
    ref.detectable.map(
      (c) => [`${c.rounds} rounds, family ${c.familySize}, power ${c.power}`, c] as const,
    ),
  )('%s', (_name, c) => {
    expectClose(
      roundMeansDetectableShift(c.rounds, c.alpha, c.familySize, c.power) as number,
      c.shift,
      1e-9,
    );
  });

  it('is null with fewer than 2 rounds', () => {
    expect(roundMeansDetectableShift(1, 0.05)).toBeNull();
  });
});

describe('roundMeansTest edge cases', () => {
  it('counts rounds, not pairs: a round of many pairs weighs as much as a round of one', () => {
    const r = roundMeansTest([0.1, 0.1, 0.1, 0.1, -0.1], [0, 0, 0, 0, 1]);
    expect(r.rounds).toBe(2);
    expect(r.mean).toBeCloseTo(0, 15);
  });

  it('every round the same non-zero mean: certain, with a zero-width interval', () => {
    const r = roundMeansTest([0.02, 0.02, 0.02], [0, 1, 2]);
    expect(r.pGreater).toBe(0);
    expect(r.pLess).toBe(1);
    expect(r.interval.lower).toBe(r.interval.upper);
  });

  it('every round at 0: no direction', () => {
    const r = roundMeansTest([0, 0, 0, 0], [0, 0, 1, 1]);
    expect(r.pGreater).toBe(0.5);
    expect(r.pLess).toBe(0.5);
  });

  it('refuses one round, unequal lengths and non-finite values, naming the problem', () => {
    expect(() => roundMeansTest([0.1, 0.2], [0, 0])).toThrow(/at least 2 rounds \(got 1\)/);
    expect(() => roundMeansTest([0.1, 0.2], [0])).toThrow(/same length \(got 2 and 1\)/);
    expect(() => roundMeansTest([0.1, NaN], [0, 1])).toThrow(/values\[1\] must be finite/);
  });
});
