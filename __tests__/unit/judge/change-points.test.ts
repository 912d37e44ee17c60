import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { detectChangePoints, historySeries } from '../../../src/judge/change-points.js';
import { changePointReport, changePointsOutput } from '../../../src/judge/change-point-report.js';
import type { History } from '../../../src/result/history.js';
import { seededRandom } from '../../../src/stats/random.js';
import { flat, gaussian, sha, stepAt, syntheticHistory } from './change-point-fixtures.js';

const slice = (h: History, n: number): History => ({ ...h, runs: h.runs.slice(0, n) });

/** Three scenarios × three metrics of pure noise (nine series in the family). */
const noiseScenarios = {
  a: { p95: flat(20), p99: flat(30), throughput: flat(1000) },
  b: { p95: flat(50), p99: flat(80), throughput: flat(300) },
  c: { p95: flat(5), p99: flat(9), throughput: flat(3000) },
};

describe('detectChangePoints: a known step', () => {
  const history = syntheticHistory({
    runs: 30,
    scenarios: {
      list: { p95: stepAt(20, 20, 23), p99: flat(35), throughput: flat(1000) },
      create: { p95: flat(40), throughput: stepAt(10, 500, 400) },
    },
    seed: 3,
  });
  const out = detectChangePoints(history);

  it('finds each step at its first run, with the commit range it started in', () => {
    expect(out.changePoints.map((c) => [c.scenario, c.metric, c.run])).toEqual([
      ['create', 'throughput', 10],
      ['list', 'p95', 20],
    ]);
    const p95 = out.changePoints[1];
    expect(p95?.commits).toEqual({ from: sha(19), to: sha(20) });
    expect(p95?.startedAt).toBe(history.runs[20]?.startedAt);
    expect(p95?.runId).toBe(1020);
    expect(p95?.direction).toBe('regression');
    expect(p95?.unit).toBe('ratio');
    expect(p95?.change).toBeGreaterThan(0.12);
    expect(p95?.change).toBeLessThan(0.18);
    expect(p95?.before.runs).toBe(20);
    expect(p95?.after.runs).toBe(10);
    expect(p95?.before.median).toBeCloseTo(20, 0);
    expect(p95?.after.median).toBeCloseTo(23, 0);
    expect(p95?.pValue).toBeLessThanOrEqual(p95?.level as number);
    expect(p95?.expected).toBeUndefined();
    expect(p95?.coincides).toEqual([]);
    // Lower throughput is worse.
    expect(out.changePoints[0]?.direction).toBe('regression');
    expect(out.changePoints[0]?.change).toBeLessThan(-0.15);
  });

  it('tests every non-constant series at α / family (Bonferroni)', () => {
    expect(out.series).toBe(5);
    expect(out.level).toBeCloseTo(0.05 / 5, 12);
    expect(out.changePoints.every((c) => c.level === out.level)).toBe(true);
    expect(out.profile).toBe('default');
  });

  it('is deterministic for a seed', () => {
    expect(detectChangePoints(history)).toEqual(out);
    expect(detectChangePoints(history, { seed: 99 }).changePoints.map((c) => c.run)).toEqual([
      10, 20,
    ]);
  });

  it('works on the median of each run: one wild trial per run moves nothing', () => {
    const wild: History = {
      ...history,
      runs: history.runs.map((r, i) => ({
        ...r,
        scenarios: {
          ...r.scenarios,
          list: {
            ...r.scenarios.list,
            p95: [...(r.scenarios.list?.p95 ?? []).slice(1), i % 2 ? 900 : 0.1],
          },
        },
      })),
    };
    const found = detectChangePoints(wild).changePoints.filter((c) => c.scenario === 'list');
    expect(found.map((c) => [c.metric, c.run])).toEqual([['p95', 20]]);
  });
});

describe('detectChangePoints: no step in pure noise', () => {
  const SEEDS = 200;
  const rate = (minEffect?: number, shape?: (seed: number) => History) => {
    let withStep = 0;
    for (let s = 0; s < SEEDS; s++) {
      const h =
        shape?.(s) ?? syntheticHistory({ runs: 40, scenarios: noiseScenarios, seed: 1000 + s });
      const found = detectChangePoints(h, minEffect === undefined ? {} : { minEffect });
      if (found.changePoints.length > 0) withStep++;
    }
    return withStep / SEEDS;
  };

  it('reports no step with the default min effect (200 histories × 9 series)', () => {
    expect(rate()).toBe(0);
  });

  it('keeps the family-wise false-step rate near α even with no min effect at all', () => {
    // Significance alone: P(any step in 9 series of 40 runs) ≤ α = 0.05 by Bonferroni.
    // Measured: 8 of 200 (4 %); the bound allows for the Monte Carlo error of 200 histories.
    expect(rate(0)).toBeLessThanOrEqual(0.08);
  });

  it('keeps false steps of a noisy runner (slow runs at random) and of slow drift ≤ α', () => {
    const slowRuns = (s: number) => {
      const r = seededRandom(5000 + s);
      const slow = Array.from({ length: 40 }, () => (r() < 0.15 ? 1.3 : 1));
      return syntheticHistory({
        runs: 40,
        scenarios: {
          a: {
            p95: (i) => 20 * (slow[i] as number),
            throughput: (i) => 1000 / (slow[i] as number),
          },
        },
        seed: 2000 + s,
      });
    };
    // 15 % of runs 30 % slow: clusters of slow runs happen by chance and look like steps, which
    // the min effect cannot tell apart; significance keeps them at ≤ α (measured: 4 of 200).
    expect(rate(undefined, slowRuns)).toBeLessThanOrEqual(0.05);
    const drift = (s: number) => {
      // AR(1) wander of the machine's speed: sd 3 %, correlation 0.8 from run to run.
      const g = gaussian(seededRandom(7000 + s));
      let level = 0;
      const levels = Array.from({ length: 40 }, () => (level = 0.8 * level + 0.018 * g()));
      return syntheticHistory({
        runs: 40,
        scenarios: { a: { p95: (i) => 20 * Math.exp(levels[i] as number) } },
        seed: 3000 + s,
      });
    };
    // Not exchangeable, so significance alone does not bound it: the min effect does
    // (measured: 2 of 200).
    expect(rate(undefined, drift)).toBeLessThanOrEqual(0.05);
  });
});

describe('detectChangePoints: size, expectation and context', () => {
  it('does not report a significant step below the min effect', () => {
    const h = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(15, 20, 21) } },
      noise: 0.01,
      seed: 4,
    });
    const out = detectChangePoints(h);
    expect(out.changePoints).toEqual([]);
    expect(out.small.map((c) => [c.run, Number(c.change.toFixed(2))])).toEqual([[15, 0.05]]);
    // The same step counts against a min effect of 3 %.
    expect(detectChangePoints(h, { minEffect: 0.03 }).changePoints.map((c) => c.run)).toEqual([15]);
  });

  it('reports a creeping regression that no single run crossed the threshold for', () => {
    // +2.5 % per run over eight runs (+20 % in all), then flat.
    const h = syntheticHistory({
      runs: 40,
      scenarios: { list: { p95: (i) => 20 * (1 + 0.025 * Math.min(Math.max(i - 15, 0), 8)) } },
      seed: 5,
    });
    const out = detectChangePoints(h);
    expect(out.changePoints).toHaveLength(1);
    const cp = out.changePoints[0];
    expect(cp?.run).toBeGreaterThanOrEqual(15);
    expect(cp?.run).toBeLessThanOrEqual(24);
    expect(cp?.change).toBeGreaterThan(0.1);
  });

  it('reports an accepted step as expected, naming the label and pull request', () => {
    const h = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) }, other: { p95: stepAt(20, 10, 13) } },
      seed: 6,
      extra: (i) =>
        i === 20
          ? { accepted: { label: 'perf-accepted', pullRequest: 42, scenarios: ['list'] } }
          : {},
    });
    const out = detectChangePoints(h);
    const list = out.changePoints.find((c) => c.scenario === 'list');
    expect(list?.expected).toEqual({
      label: 'perf-accepted',
      pullRequest: 42,
      commit: sha(20),
      run: 20,
    });
    // The label accepted `list` only.
    expect(out.changePoints.find((c) => c.scenario === 'other')?.expected).toBeUndefined();
    // One run off (the step's place is uncertain by about a run) still counts; three do not.
    const near = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 6,
      extra: (i) => (i === 21 ? { accepted: { label: 'ok', scenarios: [] } } : {}),
    });
    expect(detectChangePoints(near).changePoints[0]?.expected).toEqual({
      label: 'ok',
      commit: sha(21),
      run: 21,
    });
    const far = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 6,
      extra: (i) => (i === 23 ? { accepted: { label: 'ok', scenarios: [] } } : {}),
    });
    expect(detectChangePoints(far).changePoints[0]?.expected).toBeUndefined();
  });

  it('says when the configuration or the machine changed at the step', () => {
    const h = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 7,
      extra: (i) =>
        i >= 20
          ? {
              configHash: 'cfg000000002',
              machine: { hash: 'm2', description: 'Intel Xeon 8370C ×4, linux' },
            }
          : {},
    });
    expect(detectChangePoints(h).changePoints[0]?.coincides).toEqual([
      'the configuration changed there (config hash cfg000000001 → cfg000000002)',
      'the machine changed there (AMD EPYC 7763 ×4, linux → Intel Xeon 8370C ×4, linux)',
    ]);
    // Machines that alternate from run to run explain nothing.
    const mixed = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 7,
      extra: (i) => (i % 2 ? { machine: { hash: 'm2', description: 'Intel' } } : {}),
    });
    expect(detectChangePoints(mixed).changePoints[0]?.coincides).toEqual([]);
  });

  it('measures the error rate in percentage points, with the judge’s floor of 0.5 pp', () => {
    const h = syntheticHistory({
      runs: 24,
      scenarios: { s: { errorRate: stepAt(12, 0, 0.03), p95: flat(20) } },
      seed: 8,
    });
    const cp = detectChangePoints(h).changePoints.find((c) => c.metric === 'errorRate');
    expect(cp?.unit).toBe('pp');
    expect(cp?.run).toBe(12);
    expect(cp?.change).toBeCloseTo(3, 0);
    expect(cp?.minEffect).toBe(0.5);
    // A constant error rate (0 in every run) is not even tested.
    const zero = syntheticHistory({
      runs: 24,
      scenarios: { s: { errorRate: flat(0), p95: flat(20) } },
      seed: 8,
    });
    expect(detectChangePoints(zero).series).toBe(1);
  });

  it('takes runs of the newest run’s profile only, and runs that lack a scenario keep the range honest', () => {
    const h = syntheticHistory({
      runs: 30,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 9,
    });
    // Run 19 did not measure `list`: the range the step started in reaches back to run 18.
    delete (h.runs[19] as { scenarios: Record<string, unknown> }).scenarios.list;
    const other = { ...(h.runs[5] as History['runs'][number]), profile: 'quick' };
    h.runs[5] = other;
    const out = detectChangePoints(h);
    expect(out.profileRuns).toBe(29);
    expect(historySeries(h, 'list', 'p95', 'default')).toHaveLength(28);
    expect(out.changePoints[0]?.commits).toEqual({ from: sha(18), to: sha(20) });
  });

  it('needs 2 × minSegment runs before testing anything', () => {
    const h = syntheticHistory({
      runs: 7,
      scenarios: { list: { p95: stepAt(3, 20, 40) } },
      seed: 1,
    });
    const out = detectChangePoints(h);
    expect(out.series).toBe(0);
    expect(out.level).toBeNull();
    expect(detectChangePoints({ schemaVersion: 1, runs: [] }).changePoints).toEqual([]);
  });

  it('takes medians like everyone else', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('changePointReport: what is new', () => {
  const history = syntheticHistory({
    runs: 30,
    scenarios: { list: { p95: stepAt(20, 20, 23), throughput: flat(1000) } },
    seed: 3,
  });

  it('announces a step on the refresh that first finds it, and not on later ones', () => {
    // Three runs at the new level (20..22) make three of the last four: the refresh of run 22
    // finds it (the split leaves four runs after it; the place is moved onto run 20).
    expect(changePointReport(slice(history, 22), 1).changePoints).toEqual([]);
    const first = changePointReport(slice(history, 23), 1);
    expect(first.changePoints.map((c) => [c.run, c.isNew])).toEqual([[20, true]]);
    expect(first.changePoints[0]?.commits).toEqual({ from: sha(19), to: sha(20) });
    for (let n = 24; n <= 30; n++) {
      expect(changePointReport(slice(history, n), 1).changePoints.map((c) => c.isNew)).toEqual([
        false,
      ]);
    }
    // Nothing appended: nothing new.
    expect(changePointReport(slice(history, 23), 0).changePoints.map((c) => c.isNew)).toEqual([
      false,
    ]);
    // Two runs appended since the previous refresh (one refresh failed): still announced once.
    expect(changePointReport(slice(history, 24), 2).changePoints.map((c) => c.isNew)).toEqual([
      true,
    ]);
  });

  it('takes the previous history itself, as the action has it (the cap may have dropped runs)', () => {
    const previous: History = { ...history, runs: history.runs.slice(2, 22) };
    const stored: History = { ...history, runs: history.runs.slice(3, 23) };
    expect(changePointReport(stored, previous).changePoints.map((c) => [c.run, c.isNew])).toEqual([
      [17, true],
    ]);
    expect(changePointReport(stored, previous).newRuns).toBe(1);
    const later: History = { ...history, runs: history.runs.slice(4, 24) };
    expect(changePointReport(later, stored).changePoints.map((c) => c.isNew)).toEqual([false]);
  });

  it('is not fooled by the cap dropping the oldest runs', () => {
    const capped: History = { ...history, runs: history.runs.slice(3, 28) };
    expect(changePointReport(capped, 1).changePoints.map((c) => [c.run, c.isNew])).toEqual([
      [17, false],
    ]);
  });

  it('puts the new, unexpected regressions in the output, as JSON', () => {
    const report = changePointReport(slice(history, 23), 1);
    const parsed = JSON.parse(changePointsOutput(report)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toMatchObject({
      scenario: 'list',
      metric: 'p95',
      unit: 'ratio',
      from: sha(19),
      to: sha(20),
      runId: 1020,
    });
    expect(parsed[0]?.change).toBeGreaterThan(0.1);
    expect(changePointsOutput(changePointReport(slice(history, 26), 1))).toBe('');
    const accepted = syntheticHistory({
      runs: 23,
      scenarios: { list: { p95: stepAt(20, 20, 23) } },
      seed: 3,
      extra: (i) =>
        i === 20 ? { accepted: { label: 'perf-ok', pullRequest: 9, scenarios: ['list'] } } : {},
    });
    const expected = changePointReport(accepted, 1);
    expect(expected.changePoints.map((c) => [c.isNew, c.expected?.label])).toEqual([
      [true, 'perf-ok'],
    ]);
    expect(changePointsOutput(expected)).toBe('');
  });
});
