/**
 * The stored-baseline judge with a history of the default branch: which runs it uses, that a run
 * on a merely slower machine is not a regression where one run against one run says it is, that
 * a real slowdown still is, and the fallbacks.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HISTORY_ALPHA,
  DEFAULT_HISTORY_MIN_EFFECT,
  HISTORY_WINDOW,
  MIN_HISTORY_RUNS,
  levelChanges,
  referenceRuns,
  seriesStart,
} from '../../../src/judge/history-compare.js';
import { judge } from '../../../src/judge/judge.js';
import type { FailOn, JudgeOptions, Verdict } from '../../../src/judge/types.js';
import type { History, HistoryRun } from '../../../src/result/history.js';
import { appendRun, emptyHistory, summarizeRun } from '../../../src/result/history-append.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun, noisy, type ScenarioSpec } from '../helpers/results.js';

const opts = (over: Partial<JudgeOptions> = {}): JudgeOptions => ({
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
  ...over,
});

/** Run levels of main: about 5.6 % between-run SD, as shared runners show. */
const LEVELS = [1, 1.06, 0.95, 1.1, 0.97, 1.03, 0.92, 1.08, 1.0, 0.98];

function spec(name: string, level: number, seed: number): ScenarioSpec {
  return {
    name,
    p95: noisy(20 * level, 8, 0.02, seed),
    p99: noisy(32 * level, 8, 0.02, seed + 1),
    throughput: noisy(1000 / level, 8, 0.02, seed + 2),
    errorRate: Array.from({ length: 8 }, () => 0),
  };
}

const day = (i: number) => new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString();

function run(level: number, i: number, over: Parameters<typeof buildRun>[1] = {}): RunResult {
  return buildRun([spec('list', level, 100 + i * 7)], {
    startedAt: day(i),
    sha: `${String(i).padStart(2, '0')}`.repeat(20),
    ...over,
  });
}

function historyOf(runs: RunResult[]): History {
  return runs.reduce(
    (h, r, i) => appendRun(h, summarizeRun(r, { runId: i + 1 })).history,
    emptyHistory(),
  );
}

const mainRuns = LEVELS.map((level, i) => run(level, i));
const history = historyOf(mainRuns);
const baseline = mainRuns[mainRuns.length - 1] as RunResult;

const p95 = (v: Verdict) => v.scenarios[0]?.comparisons.find((c) => c.metric === 'p95');

describe('judge against the history', () => {
  it('a run on a slower machine (within what main shows) is no regression; one run against one cannot tell', () => {
    const slowMachine = run(1.12, 20);
    // One run against one: +12 % is below twice the min effect, so it is undecided, not failing.
    const alone = judge(baseline, slowMachine, opts());
    expect(alone.counts.regressions).toBe(0);
    expect(alone.counts.undecidedScenarios).toBe(1);
    expect(alone.failsCheck).toBe(false);
    expect(p95(alone)?.reason).toMatch(
      /one run against one cannot tell the machine from the code\. \d+ more runs? of the default branch/,
    );
    // Had fail-on asked for it, the undecided scenario would fail the check.
    expect(judge(baseline, slowMachine, opts({ failOn: new Set(['undecided']) })).failsCheck).toBe(
      true,
    );
    const withHistory = judge(baseline, slowMachine, opts(), history);
    expect(withHistory.counts.regressions).toBe(0);
    expect(withHistory.failsCheck).toBe(false);
    const c = p95(withHistory);
    expect(c?.test?.name).toBe('history-prediction');
    expect(c?.history?.runs).toBe(LEVELS.length);
    expect(c?.outcome).toBe('unchanged');
  });

  it('a real slowdown is still a regression, named by the history test', () => {
    const v = judge(baseline, run(1.45, 21), opts(), history);
    expect(v.counts.regressions).toBeGreaterThan(0);
    const c = p95(v);
    expect(c?.outcome).toBe('regression');
    expect(c?.change.estimate).toBeGreaterThan(0.35);
    expect(c?.detectable).toBeGreaterThan(0);
    expect(v.options.test).toMatch(/prediction interval/);
    expect(v.history).toMatchObject({ runs: 10, used: 10, fallback: null });
    expect(v.history?.from).toBe(day(0));
    expect(v.history?.to).toBe(day(9));
  });

  it('the error rate is compared with the stored run (Mann-Whitney), in the same family', () => {
    const v = judge(baseline, run(1, 22), opts(), history);
    const tests = v.scenarios[0]?.comparisons.map((c) => [c.metric, c.test?.name ?? 'none']);
    expect(tests).toEqual([
      ['p50', 'history-prediction'],
      ['p95', 'history-prediction'],
      ['p99', 'history-prediction'],
      ['throughput', 'history-prediction'],
      ['errorRate', 'none'],
    ]);
  });

  it('min effect: 5 % against the history when none was given, the given one otherwise', () => {
    const byDefault = judge(baseline, run(1, 23), opts({ minEffectIsDefault: true }), history);
    expect(byDefault.history?.minEffect).toBe(DEFAULT_HISTORY_MIN_EFFECT);
    expect(p95(byDefault)?.effectiveMinEffect).toBeGreaterThanOrEqual(0.05);
    const given = judge(baseline, run(1, 23), opts({ minEffect: 0.2 }), history);
    expect(given.history?.minEffect).toBe(0.2);
    expect(p95(given)?.effectiveMinEffect).toBeGreaterThanOrEqual(0.2);
    // The noise floor comes from the history: the median step between consecutive runs.
    expect(p95(given)?.noiseFloor).toBeGreaterThan(0.02);
  });

  it('alpha: 0.01 against the history when none was given, the given one otherwise', () => {
    // A slowdown beyond the min effect (2 × the noise floor, 20 %) whose adjusted p lies between
    // the two levels: a regression at 0.05, not at 0.01.
    const slow = run(1.23, 27);
    const byDefault = judge(baseline, slow, opts({ alphaIsDefault: true }), history);
    expect(byDefault.options.alpha).toBe(DEFAULT_HISTORY_ALPHA);
    const given = judge(baseline, slow, opts(), history);
    expect(given.options.alpha).toBe(0.05);
    const pAdjusted = p95(given)?.pAdjusted ?? Number.NaN;
    expect(pAdjusted).toBeGreaterThan(DEFAULT_HISTORY_ALPHA);
    expect(pAdjusted).toBeLessThan(0.05);
    expect(p95(given)?.outcome).toBe('regression');
    expect(p95(byDefault)?.outcome).not.toBe('regression');
    // Without a history the stored run is judged at the given (default) level, 0.05.
    expect(judge(baseline, slow, opts({ alphaIsDefault: true })).options.alpha).toBe(0.05);
  });

  it('alpha stays 0.05 by default when the history is too short to use', () => {
    const short = historyOf(mainRuns.slice(-4));
    const v = judge(baseline, run(1, 28), opts({ alphaIsDefault: true }), short);
    expect(v.history?.used).toBe(0);
    expect(v.options.alpha).toBe(0.05);
  });

  it(`with fewer than ${MIN_HISTORY_RUNS} comparable runs it compares with the stored run and says why`, () => {
    const short = historyOf(mainRuns.slice(-4));
    const v = judge(baseline, run(1.12, 24), opts(), short);
    expect(p95(v)?.test?.name).toBe('mann-whitney-u');
    expect(v.history?.used).toBe(0);
    expect(v.history?.fallback).toMatch(/list p95.*4 comparable runs.*needs 5/);
    expect(v.options.test).toMatch(/Mann-Whitney/);
  });

  it('runs of another configuration are not comparable', () => {
    const other = judge(baseline, run(1, 25, { configHash: 'cfg-other' }), opts(), history);
    expect(p95(other)?.test?.name).toBe('mann-whitney-u');
  });

  it('an A/B run is judged paired: the history is not used', () => {
    const head = run(1, 26);
    const paired: RunResult = {
      ...head,
      ab: {
        seed: 1,
        base: { baseUrl: 'http://127.0.0.1:1', scenarios: run(1, 27).scenarios },
        head: { baseUrl: 'http://127.0.0.1:2' },
        order: { list: head.scenarios[0]!.trials.map(() => 'base-first' as const) },
      },
    };
    const v = judge(baseline, paired, opts(), history);
    expect(v.mode).toBe('paired');
    expect(v.history).toBeUndefined();
    expect(p95(v)?.test?.name).toBe('wilcoxon-signed-rank');
  });
});

describe('referenceRuns', () => {
  const entry = (i: number, over: Partial<HistoryRun> = {}): HistoryRun => ({
    commit: `c${i}`,
    startedAt: day(i),
    configHash: 'cfg',
    profile: 'pr',
    machine: { hash: 'env', description: 'm' },
    probe: { cpuMs: 60 + (i % 3), memoryMs: 70 + (i % 2) },
    scenarios: { s: { p95: [1, 2, 3] } },
    ...over,
  });
  const h = (runs: HistoryRun[]): History => ({ schemaVersion: 1, runs });

  it('keeps the newest runs of the same configuration, at most the window', () => {
    const runs = Array.from({ length: 30 }, (_, i) =>
      entry(i, i % 5 === 0 ? { configHash: 'other' } : {}),
    );
    const ref = referenceRuns(h(runs), 'cfg');
    expect(ref.runs).toHaveLength(HISTORY_WINDOW);
    expect(ref.runs.every((r) => r.configHash === 'cfg')).toBe(true);
    expect(ref.runs.at(-1)?.commit).toBe('c29');
    expect(ref.comparable).toBe(24);
  });

  it('a series starts at the last accepted change for its scenario (that run is the first at the new level)', () => {
    const runs = Array.from({ length: 12 }, (_, i) =>
      entry(
        i,
        i === 3
          ? { accepted: { label: 'x', scenarios: [] } }
          : i === 6
            ? { accepted: { label: 'x', scenarios: ['s'] } }
            : {},
      ),
    );
    const changes = levelChanges(h(runs));
    expect(seriesStart(changes, 's', 'p95')).toBe(6);
    expect(seriesStart(changes, 'other', 'p95')).toBe(3);
    const ref = referenceRuns(h(runs), 'cfg', changes);
    expect(ref.forSeries('s', 'p95').map((r) => r.commit)).toEqual([
      'c6',
      'c7',
      'c8',
      'c9',
      'c10',
      'c11',
    ]);
    expect(ref.runs).toHaveLength(12);
  });

  it('and at the last change point of its own series (a step on main nobody labelled)', () => {
    // 16 runs: scenario s steps up 30 % at run 10; scenario t stays flat.
    const runs = Array.from({ length: 16 }, (_, i) =>
      entry(i, {
        scenarios: {
          s: { p95: noisy(i >= 10 ? 13 : 10, 6, 0.02, 500 + i) },
          t: { p95: noisy(10, 6, 0.02, 700 + i) },
        },
      }),
    );
    const changes = levelChanges(h(runs));
    expect(changes.steps).toEqual([{ run: 10, scenario: 's', metric: 'p95' }]);
    const ref = referenceRuns(h(runs), 'cfg', changes);
    expect(ref.forSeries('s', 'p95')).toHaveLength(6);
    expect(ref.forSeries('t', 'p95')).toHaveLength(16);
  });

  it('judges probes within each machine type: a second CPU type is not an outlier', () => {
    const runs = Array.from({ length: 14 }, (_, i) =>
      entry(
        i,
        i % 3 === 0
          ? {
              machine: { hash: 'fast', description: 'f' },
              probe: { cpuMs: 40 + (i % 2), memoryMs: 50 },
            }
          : {},
      ),
    );
    expect(referenceRuns(h(runs), 'cfg').probeOutliers).toEqual([]);
  });

  it('leaves out a run whose machine probe is an outlier (a machine busy with other work)', () => {
    const runs = Array.from({ length: 10 }, (_, i) =>
      entry(i, i === 4 ? { probe: { cpuMs: 110, memoryMs: 70 } } : {}),
    );
    const ref = referenceRuns(h(runs), 'cfg');
    expect(ref.probeOutliers.map((r) => r.commit)).toEqual(['c4']);
    expect(ref.runs).toHaveLength(9);
  });

  it('keeps a quiet run whose memory probe alone is far off (it varies severalfold when idle)', () => {
    const runs = Array.from({ length: 10 }, (_, i) =>
      entry(i, i === 4 ? { probe: { cpuMs: 61, memoryMs: 120 } } : {}),
    );
    const ref = referenceRuns(h(runs), 'cfg');
    expect(ref.probeOutliers).toEqual([]);
    expect(ref.runs).toHaveLength(10);
  });
});
