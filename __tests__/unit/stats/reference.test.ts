import { describe, expect, it } from 'vitest';
import {
  exactSignedRankCdf,
  exactUCdf,
  hodgesLehmannRatio,
  hodgesLehmannShift,
  holm,
  linearTrend,
  mannWhitneyU,
  mannWhitneyUDistribution,
  mannWhitneyUMinPValue,
  normalQuantile,
  normalSf,
  percentile,
  signedRankDistribution,
  signedRankMinPValue,
  studentTQuantile,
  studentTSf,
  wilcoxonSignedRank,
} from '../../../src/stats/index.js';
import { expectClose, reference } from './reference.js';

const EXACT = 1e-9;
const APPROX = 1e-6;

describe('reference values from SciPy', () => {
  it('covers every case kind', () => {
    expect(reference.mannWhitney.length).toBeGreaterThan(40);
    expect(reference.wilcoxon.length).toBeGreaterThan(30);
    expect(reference.hodgesLehmann.length).toBeGreaterThan(60);
  });

  describe('mannWhitneyU vs scipy.stats.mannwhitneyu', () => {
    it.each(reference.mannWhitney.map((c) => [`${c.name} (${c.alternative})`, c] as const))(
      '%s',
      (_name, c) => {
        const r = mannWhitneyU(c.x, c.y, c.alternative);
        expect(r.method).toBe(c.method);
        expect(r.statistic).toBe(c.statistic);
        expectClose(r.pValue, c.pValue, c.method === 'exact' ? EXACT : APPROX);
      },
    );
  });

  describe('wilcoxonSignedRank vs scipy.stats.wilcoxon', () => {
    it.each(reference.wilcoxon.map((c) => [`${c.name} (${c.alternative})`, c] as const))(
      '%s',
      (_name, c) => {
        const r = wilcoxonSignedRank(c.d, c.alternative);
        expect(r.method).toBe(c.method);
        expect(r.statistic).toBe(c.statistic);
        expectClose(r.pValue, c.pValue, c.method === 'exact' ? EXACT : APPROX);
      },
    );
  });

  describe('Hodges-Lehmann vs brute-force pairwise differences', () => {
    it.each(
      reference.hodgesLehmann.map((c) => [`${c.kind} ${c.name} @${c.confidence}`, c] as const),
    )('%s', (_name, c) => {
      const fn = c.kind === 'shift' ? hodgesLehmannShift : hodgesLehmannRatio;
      const r = fn(c.x, c.y, c.confidence);
      expectClose(r.estimate, c.estimate, 1e-12, 1e-12);
      expectClose(r.lower, c.lower, 1e-12, 1e-12);
      expectClose(r.upper, c.upper, 1e-12, 1e-12);
      expectClose(r.confidence, c.achieved, EXACT);
      expect(r.confidence).toBeGreaterThanOrEqual(
        c.x.length * c.y.length <= 2500 ? c.confidence : 0,
      );
    });
  });

  it('holm matches multipletests(method="holm")', () => {
    for (const c of reference.holm) {
      const adj = holm(c.p);
      expect(adj).toHaveLength(c.adjusted.length);
      adj.forEach((a, i) => expectClose(a, c.adjusted[i] as number, 1e-15, 1e-15));
    }
  });

  describe('linearTrend vs scipy.stats.linregress + t.ppf', () => {
    it.each(reference.trend.map((c) => [`${c.name} @${c.confidence}`, c] as const))(
      '%s',
      (_name, c) => {
        const r = linearTrend(c.points, c.confidence);
        expect(r.n).toBe(c.points.length);
        expectClose(r.slope, c.slope, EXACT, 1e-15);
        expectClose(r.intercept, c.intercept, EXACT);
        expectClose(r.r2, c.r2, EXACT, 1e-12);
        expectClose(r.slopeLower, c.slopeLower, EXACT, 1e-15);
        expectClose(r.slopeUpper, c.slopeUpper, EXACT, 1e-15);
      },
    );
  });

  it('exact Mann-Whitney distributions equal the Gaussian binomial coefficients', () => {
    for (const c of reference.distributions.mannWhitney) {
      expect(mannWhitneyUDistribution(c.n, c.m)).toEqual(c.counts);
      expect(mannWhitneyUDistribution(c.m, c.n)).toEqual(c.counts);
    }
    for (const c of reference.distributions.mannWhitneyTails) {
      expectClose(exactUCdf(c.u, c.n, c.m), c.cdf, 1e-12);
    }
  });

  it('exact signed-rank distributions equal the big-integer enumeration', () => {
    for (const c of reference.distributions.signedRank) {
      expect(signedRankDistribution(c.n)).toEqual(c.counts);
    }
    for (const c of reference.distributions.signedRankTails) {
      expectClose(exactSignedRankCdf(c.w, c.n), c.cdf, 1e-12);
    }
  });

  it('smallest reachable p-values', () => {
    for (const c of reference.minPValues.mannWhitney) {
      expectClose(mannWhitneyUMinPValue(c.n, c.m, 'greater'), c.oneSided, 1e-12);
      expectClose(mannWhitneyUMinPValue(c.n, c.m, 'less'), c.oneSided, 1e-12);
      expectClose(mannWhitneyUMinPValue(c.n, c.m, 'two-sided'), c.twoSided, 1e-12);
    }
    for (const c of reference.minPValues.signedRank) {
      expect(signedRankMinPValue(c.n, 'greater')).toBe(c.oneSided);
      expect(signedRankMinPValue(c.n, 'two-sided')).toBe(c.twoSided);
    }
  });

  it('normalSf matches scipy.special.ndtr', () => {
    for (const c of reference.normalSf) expectClose(normalSf(c.z), c.sf, 1e-13, 1e-300);
  });

  it('normalQuantile matches scipy.stats.norm.ppf', () => {
    for (const c of reference.normalQuantile) expectClose(normalQuantile(c.p), c.z, 1e-12, 1e-15);
  });

  it('studentTQuantile / studentTSf match scipy.stats.t', () => {
    for (const c of reference.studentT) {
      if ('quantile' in c) {
        expectClose(studentTQuantile(c.p, c.df), c.quantile, EXACT, 1e-15);
      } else {
        expectClose(studentTSf(c.t, c.df), c.sfAt, 1e-12);
      }
    }
  });

  it('percentile matches numpy.percentile (linear)', () => {
    for (const c of reference.percentile) {
      expectClose(percentile(c.values, c.p), c.expected, 1e-14);
    }
  });
});
