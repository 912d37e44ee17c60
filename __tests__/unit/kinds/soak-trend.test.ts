import { describe, expect, it } from 'vitest';
import { soakResult } from '../../../src/kinds/soak.js';
import {
  effectiveThreshold,
  isSignificantRise,
  soakWindows,
  trendPerMinute,
} from '../../../src/kinds/soak-trend.js';
import type { ScenarioResult, TrialResult } from '../../../src/result/types.js';

/** A deterministic wobble, so the fits are not perfect lines. */
const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;

describe('trendPerMinute', () => {
  it('fits the last two thirds only, in units per minute', () => {
    // 90 s: a warm-up climb in the first 30 s, then flat: no leak.
    const points = Array.from({ length: 90 }, (_, t) => ({
      t,
      value: (t < 30 ? 100 + t * 2 : 160) + wobble(t),
    }));
    const trend = trendPerMinute(points, 90);
    expect(trend?.fromMinute).toBe(0.5);
    expect(trend?.points).toBe(60);
    expect(Math.abs(trend?.slope ?? 99)).toBeLessThan(0.5);
    expect(isSignificantRise(trend, 1)).toBe(false);
  });

  it('flags a steady climb beyond the threshold with its interval above 0', () => {
    // 3 MB a minute = 0.05 MB a second.
    const points = Array.from({ length: 120 }, (_, t) => ({
      t,
      value: 100 + t * 0.05 + wobble(t),
    }));
    const trend = trendPerMinute(points, 120);
    expect(trend?.slope).toBeCloseTo(3, 0);
    expect(trend?.slopeLower).toBeGreaterThan(0);
    expect(isSignificantRise(trend, 1)).toBe(true);
    expect(isSignificantRise(trend, 5)).toBe(false);
  });

  it('does not flag a slope whose interval includes 0 (noise), however steep', () => {
    const values = [100, 140, 90, 150, 95, 100];
    const trend = trendPerMinute(
      values.map((value, i) => ({ t: 60 + i * 10, value })),
      90,
    );
    expect(trend).not.toBeNull();
    expect(trend?.slopeLower).toBeLessThan(0);
    expect(isSignificantRise(trend, 1)).toBe(false);
  });

  it('is null with too few points, and no threshold means no finding', () => {
    expect(
      trendPerMinute(
        [
          { t: 50, value: 1 },
          { t: 60, value: 2 },
        ],
        60,
      ),
    ).toBeNull();
    expect(isSignificantRise(null, 1)).toBe(false);
    const trend = trendPerMinute(
      Array.from({ length: 10 }, (_, t) => ({ t, value: t })),
      10,
    );
    expect(isSignificantRise(trend, undefined)).toBe(false);
  });
});

describe('effectiveThreshold', () => {
  const trend = (fromMinute: number, toMinute: number) => ({
    slope: 1,
    slopeLower: 0.5,
    slopeUpper: 1.5,
    r2: 0.9,
    points: 10,
    fromMinute,
    toMinute,
  });
  it('is the SLA slope on long runs and the minimum growth per fitted minute on short ones', () => {
    expect(effectiveThreshold(trend(20, 60), 1, 10)).toBe(1);
    expect(effectiveThreshold(trend(1 / 3, 1), 1, 10)).toBeCloseTo(15, 10);
    expect(effectiveThreshold(null, 1, 10)).toBeNull();
    expect(effectiveThreshold(trend(1, 2), undefined, 10)).toBeNull();
  });
});

describe('soakWindows', () => {
  it('keeps the window length for short soaks and caps the count for long ones', () => {
    expect(soakWindows(60, 5)).toEqual({ count: 12, seconds: 5 });
    expect(soakWindows(20, 5)).toEqual({ count: 4, seconds: 5 });
    expect(soakWindows(2, 5)).toEqual({ count: 1, seconds: 2 });
    const day = soakWindows(86_400, 5);
    expect(day.count).toBe(240);
    expect(day.seconds).toBe(360);
  });
});

describe('soakResult', () => {
  const trial = (index: number, rssMb: (t: number) => number, p95: number): TrialResult => {
    const samples = Array.from({ length: 5 }, (_, s) => ({
      t: s,
      cpuPercent: 10,
      rssBytes: rssMb(index * 5 + s) * 1024 * 1024,
    }));
    return {
      index,
      startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, index * 5)).toISOString(),
      durationSeconds: 5,
      metrics: {
        requests: 500,
        throughput: 100,
        p50: 1,
        p90: 2,
        p95,
        p99: 4,
        p999: 5,
        max: 6,
        mean: 1,
        errorRate: 0,
        errors: 0,
        timeouts: 0,
        unexpectedStatus: 0,
        statusCodes: { 200: 500 },
      },
      endpoints: {},
      series: [],
      resources: {
        samples,
        summary: {
          samples: 5,
          cpuPercentPeak: 10,
          cpuPercentMean: 10,
          rssBytesPeak: Math.max(...samples.map((s) => s.rssBytes)),
          rssBytesMean: 0,
        },
      },
      generatorCpuPercent: 10,
    };
  };
  const scenario = (trials: TrialResult[]): ScenarioResult => ({
    name: 'soak',
    kind: 'soak',
    settings: { connections: 10, warmupSeconds: 0, trialSeconds: 5, trials: trials.length },
    sla: { maxLeakMbPerMin: 1, maxP95SlopeMsPerMin: 5 },
    trials,
    histogram: '',
    endpointHistograms: {},
    resources: {
      samples: 0,
      cpuPercentPeak: 0,
      cpuPercentMean: 0,
      rssBytesPeak: 0,
      rssBytesMean: 0,
    },
    generatorSaturated: false,
  });

  it('reports a leak from RSS climbing 6 MB/min and none from a flat RSS', () => {
    const leaking = soakResult(
      scenario(Array.from({ length: 12 }, (_, i) => trial(i, (t) => 100 + t * 0.1 + wobble(t), 5))),
      { seconds: 60, minLeakGrowthMb: 0, minP95GrowthMs: 0 },
      5,
      undefined,
      'none',
    );
    expect(leaking.rss?.slope).toBeCloseTo(6, 0);
    expect(leaking.leak).toBe(true);
    expect(leaking.degradation).toBe(false);
    expect(leaking.windows).toHaveLength(12);
    expect(leaking.windows[3]?.t).toBe(15);

    const clean = soakResult(
      scenario(
        Array.from({ length: 12 }, (_, i) => trial(i, (t) => 100 + wobble(t), 5 + wobble(i))),
      ),
      { seconds: 60, minLeakGrowthMb: 0, minP95GrowthMs: 0 },
      5,
      undefined,
      'none',
    );
    expect(clean.leak).toBe(false);
    expect(clean.degradation).toBe(false);
  });

  it('needs the minimum growth on a short soak: a 2 MB/min drift over 40 s is noise', () => {
    const drift = (floor: number) =>
      soakResult(
        scenario(
          Array.from({ length: 12 }, (_, i) => trial(i, (t) => 124 + t / 30 + wobble(t) / 10, 5)),
        ),
        { seconds: 60, minLeakGrowthMb: floor, minP95GrowthMs: 10 },
        5,
        undefined,
        'none',
      );
    expect(drift(0).rss?.slope).toBeCloseTo(2, 0);
    expect(drift(0).leak).toBe(true);
    expect(drift(10).leakThresholdMbPerMin).toBeCloseTo(15, 1);
    expect(drift(10).leak).toBe(false);
  });

  it('reports a degradation from p95 climbing 12 ms/min', () => {
    const slow = soakResult(
      scenario(Array.from({ length: 12 }, (_, i) => trial(i, () => 100, 5 + i + wobble(i) / 5))),
      { seconds: 60, minLeakGrowthMb: 0, minP95GrowthMs: 0 },
      5,
      undefined,
      'none',
    );
    expect(slow.p95?.slope).toBeCloseTo(12, 0);
    expect(slow.degradation).toBe(true);
  });
});
