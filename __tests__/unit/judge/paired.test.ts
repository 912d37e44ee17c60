import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS, DEFAULT_PAIRED_MIN_EFFECT } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { asStoredBaseline } from '../../../src/result/ab.js';
import { parseRunResult } from '../../../src/result/schema.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun, rng, type ScenarioSpec } from '../helpers/results.js';

const PAIRED = { ...DEFAULT_JUDGE_OPTIONS, minEffect: DEFAULT_PAIRED_MIN_EFFECT };

/**
 * Per-block values drifting a lot (±30 % from block to block, as a shared machine does), each
 * side within ±1 % of the block's level: a two-sample test sees the drift, a paired one does not.
 */
function drifting(
  center: number,
  blocks: number,
  seed: number,
): { base: number[]; head: number[] } {
  const r = rng(seed);
  const base: number[] = [];
  const head: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const level = center * (1 + (r() * 2 - 1) * 0.3);
    base.push(level * (1 + (r() * 2 - 1) * 0.01));
    head.push(level * (1 + (r() * 2 - 1) * 0.01));
  }
  return { base, head };
}

function abRun(specs: { name: string; base: ScenarioSpec; head: ScenarioSpec }[]): RunResult {
  const head = buildRun(
    specs.map((s) => s.head),
    { sha: 'f'.repeat(40) },
  );
  const base = buildRun(
    specs.map((s) => s.base),
    { sha: 'b'.repeat(40) },
  );
  return {
    ...head,
    ab: {
      seed: 11,
      base: { git: base.git, baseUrl: 'http://127.0.0.1:40001', scenarios: base.scenarios },
      head: { git: head.git, baseUrl: 'http://127.0.0.1:40002' },
      order: Object.fromEntries(
        specs.map((s) => [s.name, s.head.p95.map(() => 'base-first' as const)]),
      ),
    },
  };
}

function pairOf(name: string, seed: number, headFactor = 1) {
  const p95 = drifting(20, 14, seed);
  const tp = drifting(1000, 14, seed + 100);
  return {
    name,
    base: { name, p95: p95.base, throughput: tp.base },
    head: {
      name,
      p95: p95.head.map((v) => v * headFactor),
      throughput: tp.head.map((v) => v / headFactor),
    },
  };
}

describe('judging an interleaved A/B run (paired)', () => {
  it('finds a 5 % slowdown hidden in ±30 % drift, in that scenario only', () => {
    const run = abRun([pairOf('search', 1, 1.05), pairOf('list', 2), pairOf('get', 3)]);
    const v = judge(undefined, run, PAIRED);
    expect(v.mode).toBe('paired');
    expect(v.options.test).toMatch(/Wilcoxon signed-rank/);
    const search = v.scenarios.find((s) => s.name === 'search');
    const p95 = search?.comparisons.find((c) => c.metric === 'p95');
    expect(p95?.test?.name).toBe('wilcoxon-signed-rank');
    expect(p95?.outcome).toBe('regression');
    expect(p95?.change.estimate).toBeGreaterThan(0.03);
    expect(p95?.change.estimate).toBeLessThan(0.07);
    expect(v.scenarios.filter((s) => s.status === 'regression').map((s) => s.name)).toEqual([
      'search',
    ]);
    // What the run could have detected is stated, and is well below the 5 % it found.
    expect(p95?.detectable).toBeGreaterThan(0);
    expect(p95?.detectable).toBeLessThan(0.05);
  });

  it('the same data judged unpaired (two samples of trials) cannot see it', () => {
    const run = abRun([pairOf('search', 1, 1.05), pairOf('list', 2), pairOf('get', 3)]);
    const base = { ...asStoredBaseline(run), scenarios: run.ab!.base.scenarios } as RunResult;
    const v = judge(base, asStoredBaseline(run) as RunResult, PAIRED);
    expect(v.mode).toBe('baseline');
    expect(v.counts.regressions).toBe(0);
  });

  it('same code on both sides: nothing flagged', () => {
    const v = judge(undefined, abRun([pairOf('search', 5), pairOf('list', 6)]), PAIRED);
    expect(v.counts.regressions).toBe(0);
    expect(v.counts.improvements).toBe(0);
    expect(v.status).toBe('pass');
  });

  it('is judged against its own base, never a stored baseline given beside it', () => {
    const run = abRun([pairOf('search', 1, 1.05)]);
    const stored = buildRun([{ name: 'search', p95: Array(14).fill(5) }]);
    const v = judge(stored, run, PAIRED);
    expect(v.mode).toBe('paired');
    expect(v.warnings.join(' ')).toMatch(/judged against that, not the stored baseline/);
    expect(v.baseline?.gitSha).toBe('b'.repeat(40));
  });

  it('too few pairs is said, with how many would be needed', () => {
    const few = abRun([
      {
        name: 'search',
        base: { name: 'search', p95: [10, 11, 12] },
        head: { name: 'search', p95: [11, 12, 13] },
      },
    ]);
    const v = judge(undefined, few, PAIRED);
    expect(v.counts.inconclusive).toBeGreaterThan(0);
    expect(v.notes.join(' ')).toMatch(/need ≥ \d+ pairs/);
  });

  it('a scenario whose generator was saturated in the pairs: latency and throughput measured, not judged; errors still are', () => {
    const slow = pairOf('get', 1, 1.08);
    const saturated = (spec: ScenarioSpec, errorRate: number): ScenarioSpec => ({
      ...spec,
      generatorSaturated: true,
      errorRate: spec.p95.map(() => errorRate),
    });
    const run = abRun([
      { name: 'get', base: saturated(slow.base, 0), head: saturated(slow.head, 0.03) },
      pairOf('search', 2, 1.08),
    ]);
    const v = judge(undefined, run, PAIRED);
    const get = v.scenarios.find((s) => s.name === 'get');
    const p95 = get?.comparisons.find((c) => c.metric === 'p95');
    // The change is still measured and shown, outside the Holm family.
    expect(p95?.change.estimate).toBeGreaterThan(0.05);
    expect(p95?.outcome).toBe('inconclusive');
    expect(p95?.inFamily).toBe(false);
    expect(p95?.reason).toMatch(/^not judged: the load generator was saturated in the pairs/);
    expect(get?.comparisons.find((c) => c.metric === 'throughput')?.outcome).toBe('inconclusive');
    expect(get?.comparisons.find((c) => c.metric === 'errorRate')?.outcome).toBe('regression');
    expect(get?.notes.join(' ')).toMatch(/set the scenario's `rate` below what it can send/);
    // The other scenario is judged as before, and no note calls it "too few trials".
    expect(v.scenarios.find((s) => s.name === 'search')?.status).toBe('regression');
    expect(v.notes.join(' ')).not.toMatch(/too few trials/i);

    const baseOnly = abRun([
      { name: 'get', base: { ...slow.base, generatorSaturated: true }, head: slow.head },
    ]);
    expect(judge(undefined, baseOnly, PAIRED).scenarios[0]?.status).toBe('inconclusive');
    const md = renderMarkdown(
      judge(
        undefined,
        abRun([{ name: 'get', base: saturated(slow.base, 0), head: saturated(slow.head, 0) }]),
        PAIRED,
      ),
      run,
      undefined,
    );
    expect(md).toMatch(/\| get \|.*⚠️ generator saturated/);
  });

  it('a stored baseline keeps the head side only, and says so when judged against', () => {
    const run = abRun([pairOf('search', 1)]);
    const stored = parseRunResult(JSON.stringify(asStoredBaseline(run)), 'stored.json');
    expect(stored.ab).toBeUndefined();
    const v = judge(
      run,
      buildRun([{ name: 'search', p95: Array(14).fill(20) }]),
      DEFAULT_JUDGE_OPTIONS,
    );
    expect(v.mode).toBe('baseline');
    expect(v.notes.join(' ')).toMatch(/baseline is an A\/B run: its head side/);
  });

  it('the result with its paired section passes the schema, and the report shows base and head', () => {
    const run = abRun([pairOf('search', 1, 1.05)]);
    expect(parseRunResult(JSON.stringify(run), 'ab.json').ab?.seed).toBe(11);
    const v = judge(undefined, run, PAIRED);
    const md = renderMarkdown(v, run, undefined);
    expect(md).toMatch(/base `bbbbbbb` → head `fffffff`, side by side/);
    expect(md).toMatch(/<summary>Method: 14 pairs, α 0\.05, min effect 3 %/);
    // The 5 % slower search: base → head in ms, the change with its interval.
    expect(md).toMatch(
      /\| search \| p95 \| [\d.]+ ms → [\d.]+ ms \| \+\d+\.\d % \[\+[\d.]+, \+[\d.]+\] \|/,
    );
  });

  describe('a duet (both sides at once on one CPU, then the head alone)', () => {
    /** Search's pairs at half speed (the base shared the CPU), its head-alone trials at full. */
    function duetRun(soloThroughput: number[]): RunResult {
      const run = abRun([pairOf('search', 1)]);
      const sla = { minThroughput: 800 };
      const [solo] = buildRun([
        { name: 'search', p95: [10, 10, 10], throughput: soloThroughput, sla },
      ]).scenarios;
      const halved = run.scenarios.map((s) => ({
        ...s,
        sla,
        trials: s.trials.map((t) => ({
          ...t,
          metrics: { ...t.metrics, throughput: t.metrics.throughput / 2 },
        })),
        ...(solo ? { solo } : {}),
      }));
      return {
        ...run,
        scenarios: halved,
        ab: {
          ...run.ab!,
          schedule: 'duet',
          serviceCpus: '1',
        },
      };
    }

    it('judges the SLA on the head alone, not on the pairs where it had half the CPU', () => {
      const v = judge(undefined, duetRun([1000, 1010, 990]), PAIRED);
      const check = v.scenarios[0]?.sla.find((c) => c.check === 'minThroughput');
      expect(check?.status).toBe('pass');
      expect(check?.measured).toBeGreaterThan(900);
      expect(check?.basis).toMatch(/head alone$/);
      // The same SLA fails when the head alone is slow: the check reads the solo trials.
      const slow = judge(undefined, duetRun([600, 610, 590]), PAIRED);
      expect(slow.scenarios[0]?.sla.find((c) => c.check === 'minThroughput')?.status).toBe('fail');
    });

    it('passes the schema; a stored baseline keeps the head-alone trials', () => {
      const run = duetRun([1000, 1010, 990]);
      const parsed = parseRunResult(JSON.stringify(run), 'duet.json');
      expect(parsed.ab?.schedule).toBe('duet');
      expect(parsed.scenarios[0]?.solo?.trials).toHaveLength(3);
      const stored = asStoredBaseline(parsed);
      expect(stored.scenarios[0]?.trials).toHaveLength(3);
      expect(stored.scenarios[0]?.trials[0]?.metrics.throughput).toBe(1000);
    });

    it('the report says how the pairs were measured', () => {
      const run = duetRun([1000, 1010, 990]);
      const md = renderMarkdown(judge(undefined, run, PAIRED), run, undefined);
      expect(md).toMatch(/- Pairs: both sides at once on CPU 1; the SLA checks on the head alone/);
      const interleaved = abRun([pairOf('search', 1)]);
      expect(renderMarkdown(judge(undefined, interleaved, PAIRED), interleaved, undefined)).toMatch(
        /- Pairs: one side after the other/,
      );
    });
  });
});
