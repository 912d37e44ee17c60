/**
 * The statistic of the judgement against the history, checked against SciPy
 * (__tests__/fixtures/stats/generate.py, sections "prediction" and "history").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { historyComparison } from '../../../src/judge/history-compare.js';
import type { HistoryRun } from '../../../src/result/history.js';
import type { GatedMetric } from '../../../src/result/types.js';
import { predictionDetectableShift, predictionTest } from '../../../src/stats/prediction.js';
import { scenario } from '../helpers/results.js';
import { expectClose } from '../stats/reference.js';

interface PredictionCase {
  name: string;
  reference: number[];
  value: number;
  extra: number;
  confidence: number;
  k: number;
  df: number;
  mean: number;
  sd: number;
  se: number;
  difference: number;
  t: number;
  pGreater: number;
  pLess: number;
  lower: number;
  upper: number;
  detectable: number;
}

interface HistoryCase {
  name: string;
  runs: number[][];
  current: number[];
  higherIsWorse: boolean;
  minEffect: number;
  t: number;
  df: number;
  sd: number;
  se: number;
  excessVariance: number;
  pWorse: number;
  pBetter: number;
  ratio: number;
  ratioLower: number;
  ratioUpper: number;
  noiseFloor: number | null;
  effectiveMinEffect: number;
}

const ref = JSON.parse(
  readFileSync(new URL('../../fixtures/stats/reference.json', import.meta.url), 'utf8'),
) as { prediction: PredictionCase[]; history: HistoryCase[] };

const TOL = 1e-9;

describe('predictionTest vs scipy.stats.t', () => {
  it('has the cases', () => {
    expect(ref.prediction.length).toBeGreaterThanOrEqual(5);
  });
  it.each(ref.prediction.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = predictionTest({
      reference: c.reference,
      value: c.value,
      extraVariance: c.extra,
      confidence: c.confidence,
    });
    expect(r.k).toBe(c.k);
    expect(r.df).toBe(c.df);
    for (const key of ['mean', 'sd', 'se', 'difference', 't', 'lower', 'upper'] as const) {
      expectClose(r[key], c[key], TOL, 1e-12);
    }
    expectClose(r.pGreater, c.pGreater, 1e-8, 1e-15);
    expectClose(r.pLess, c.pLess, 1e-8, 1e-15);
    expectClose(predictionDetectableShift(r.se, r.df, 0.05 / 30), c.detectable, 1e-8);
  });

  it('refuses a reference without spread and without extra variance, and bad input', () => {
    expect(() => predictionTest({ reference: [1, 1, 1], value: 2 })).toThrow(/no spread/);
    expect(() => predictionTest({ reference: [1], value: 2 })).toThrow(/at least 2/);
    expect(() => predictionTest({ reference: [1, 2], value: Number.NaN })).toThrow(/finite/);
    expect(() => predictionTest({ reference: [1, 2], value: 1, extraVariance: -1 })).toThrow();
  });
});

/** The case's history as HistoryRun entries of one scenario and metric. */
function runsOf(c: HistoryCase, metric: GatedMetric): HistoryRun[] {
  return c.runs.map((values, i) => ({
    commit: `c${i}`,
    startedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    configHash: 'cfg',
    profile: 'pr',
    machine: { hash: 'env', description: 'test machine' },
    scenarios: { s: { [metric]: values } },
  }));
}

describe('historyComparison vs the same statistic in NumPy/SciPy', () => {
  it('has the cases', () => {
    expect(ref.history.length).toBeGreaterThanOrEqual(6);
    expect(ref.history.some((c) => c.excessVariance > 0)).toBe(true);
    expect(ref.history.some((c) => !c.higherIsWorse)).toBe(true);
  });
  it.each(ref.history.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const metric: GatedMetric = c.higherIsWorse ? 'p95' : 'throughput';
    const current = scenario({
      name: 's',
      p95: c.higherIsWorse ? c.current : c.current.map(() => 10),
      ...(c.higherIsWorse ? {} : { throughput: c.current }),
    });
    const r = historyComparison({ name: 's', current }, metric, runsOf(c, metric), c.minEffect);
    expect(r).toBeDefined();
    if (!r) return;
    expect(r.test?.name).toBe('history-prediction');
    expect(r.test?.method).toBe('student-t');
    expect(r.higherIsWorse).toBe(c.higherIsWorse);
    expect(r.history?.runs).toBe(c.runs.length);
    expect(r.history?.df).toBe(c.df);
    expectClose(r.test?.statistic ?? Number.NaN, c.t, TOL, 1e-12);
    expectClose(r.history?.sd ?? Number.NaN, c.sd, TOL, 1e-15);
    expectClose(r.history?.se ?? Number.NaN, c.se, TOL, 1e-15);
    expectClose(r.history?.excessVariance ?? Number.NaN, c.excessVariance, TOL, 1e-15);
    expectClose(r.test?.pWorse ?? Number.NaN, c.pWorse, 1e-8, 1e-15);
    expectClose(r.test?.pBetter ?? Number.NaN, c.pBetter, 1e-8, 1e-15);
    expectClose(r.effect.estimate, c.ratio, TOL);
    expectClose(r.effect.lower ?? Number.NaN, c.ratioLower, TOL);
    expectClose(r.effect.upper ?? Number.NaN, c.ratioUpper, TOL);
    expectClose(r.change.estimate, c.ratio - 1, TOL, 1e-12);
    if (c.noiseFloor === null) expect(r.noiseFloor).toBeNull();
    else expectClose(r.noiseFloor ?? Number.NaN, c.noiseFloor, TOL, 1e-12);
    expectClose(r.effectiveMinEffect, c.effectiveMinEffect, TOL, 1e-12);
  });
});
