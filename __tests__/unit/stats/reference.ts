import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Alternative } from '../../../src/stats/index.js';

/** Reference values written by __tests__/fixtures/stats/generate.py (SciPy / NumPy). */
export interface Reference {
  versions: { scipy: string; numpy: string };
  mannWhitney: {
    name: string;
    x: number[];
    y: number[];
    alternative: Alternative;
    statistic: number;
    pValue: number;
    method: 'exact' | 'normal';
  }[];
  wilcoxon: {
    name: string;
    d: number[];
    alternative: Alternative;
    statistic: number;
    pValue: number;
    method: 'exact' | 'normal';
  }[];
  hodgesLehmann: {
    name: string;
    kind: 'shift' | 'ratio';
    x: number[];
    y: number[];
    confidence: number;
    estimate: number;
    lower: number;
    upper: number;
    achieved: number;
  }[];
  holm: { p: number[]; adjusted: number[] }[];
  trend: {
    name: string;
    points: { x: number; y: number }[];
    confidence: number;
    slope: number;
    intercept: number;
    r2: number;
    slopeLower: number;
    slopeUpper: number;
  }[];
  distributions: {
    mannWhitney: { n: number; m: number; counts: number[] }[];
    mannWhitneyTails: { n: number; m: number; u: number; cdf: number }[];
    signedRank: { n: number; counts: number[] }[];
    signedRankTails: { n: number; w: number; cdf: number }[];
  };
  minPValues: {
    mannWhitney: { n: number; m: number; oneSided: number; twoSided: number }[];
    signedRank: { n: number; oneSided: number; twoSided: number }[];
  };
  normalSf: { z: number; sf: number }[];
  normalQuantile: { p: number; z: number }[];
  studentT: (
    | { df: number; p: number; quantile: number; sf: number }
    | { df: number; t: number; sfAt: number }
  )[];
  percentile: { values: number[]; p: number; expected: number }[];
}

const path = new URL('../../fixtures/stats/reference.json', import.meta.url);

/** JSON has no Infinity; the generator writes the strings "Infinity" / "-Infinity". */
export const reference: Reference = JSON.parse(
  readFileSync(path, 'utf8'),
  (_key, value: unknown) =>
    value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : value,
) as Reference;

/** |actual - expected| <= rel·|expected| + abs (exact equality for infinities). */
export function expectClose(actual: number, expected: number, rel: number, abs = 0): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const tol = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`expected ${actual} to be within ${tol} of ${expected}`);
  }
}
