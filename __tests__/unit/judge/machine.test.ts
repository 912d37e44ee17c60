/**
 * The machine probe's comparison and the machines-differ rule: against the history's normal
 * range, against one baseline run, and what the verdict does with fail-on.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import {
  applyMachineRule,
  compareMachines,
  PROBE_LIMIT_ONE_RUN,
  PROBE_MIN_DIFFERENCE,
} from '../../../src/judge/machine.js';
import type { FailOn, JudgeOptions, MetricComparison } from '../../../src/judge/types.js';
import { failureMessage } from '../../../src/report/gate-text.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
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

const LEVELS = [1, 1.03, 0.98, 1.02, 0.99, 1.01, 0.97, 1.02];
const CPU = [60, 61.5, 59.2, 60.8, 60.1, 61, 59.5, 60.4];

function spec(level: number, seed: number, errors = 0): ScenarioSpec {
  return {
    name: 'list',
    p95: noisy(20 * level, 8, 0.02, seed),
    p99: noisy(32 * level, 8, 0.02, seed + 1),
    throughput: noisy(1000 / level, 8, 0.02, seed + 2),
    errorRate: Array.from({ length: 8 }, (_, i) => (i < 6 ? errors : errors * 0.9)),
  };
}

function run(
  level: number,
  i: number,
  probe: number | undefined,
  over: Parameters<typeof buildRun>[1] = {},
  errors = 0,
): RunResult {
  const r = buildRun([spec(level, 300 + i * 5, errors)], {
    startedAt: new Date(Date.UTC(2025, 1, 1 + i)).toISOString(),
    ...over,
  });
  if (probe === undefined) return r;
  const score = { cpuMs: probe, memoryMs: 70 };
  return { ...r, probe: { version: 1, before: score, after: score, score } };
}

const mainRuns = LEVELS.map((l, i) => run(l, i, CPU[i]));
const history: History = mainRuns.reduce(
  (h, r) => appendRun(h, summarizeRun(r)).history,
  emptyHistory(),
);
const reference: HistoryRun[] = history.runs;
const baseline = mainRuns.at(-1) as RunResult;

describe('compareMachines', () => {
  it(`outside a tight normal range but within ${PROBE_MIN_DIFFERENCE * 100} %: the probe's own spread, not another machine`, () => {
    const centre = Math.exp(CPU.map(Math.log).reduce((a, b) => a + b) / 8);
    const near = compareMachines(run(1, 21, centre * 1.08), baseline, reference);
    expect(near?.normal).toBeLessThan(0.08);
    expect(near?.cpu).toBeCloseTo(0.08, 9);
    expect(near?.differs).toBe(false);
    const far = compareMachines(run(1, 22, centre * 1.12), baseline, reference);
    expect(far?.differs).toBe(true);
  });

  it('a probe inside the history’s normal range: the same kind of machine', () => {
    const m = compareMachines(run(1, 20, 61.2), baseline, reference);
    expect(m).toMatchObject({ basis: 'history', differs: false, knownMachine: true });
    expect(m?.cpu).toBeCloseTo(
      61.2 / Math.exp(CPU.map(Math.log).reduce((a, b) => a + b) / 8) - 1,
      9,
    );
    expect(m?.normal).toBeGreaterThan(0);
    expect(m?.normal).toBeLessThan(0.1);
  });

  it('a probe far outside it: the machines differ, and by how much', () => {
    const m = compareMachines(run(1, 21, 84), baseline, reference);
    expect(m?.differs).toBe(true);
    expect(m?.cpu).toBeGreaterThan(0.35);
    expect(m?.summary).toMatch(
      /^this runner is 39 % slower on the CPU probe \(normal: ±\d+ %\) than the default branch's 8 reference runs$/,
    );
  });

  it('a machine type the history never ran on differs, whatever its probe', () => {
    const m = compareMachines(
      run(1, 22, 60, { envHash: 'env-new', cpuModel: 'Intel Xeon' }),
      baseline,
      reference,
    );
    expect(m).toMatchObject({ differs: true, knownMachine: false });
    expect(m?.summary).toMatch(/its machine type \(Intel Xeon ×2\) never ran among/);
  });

  it(`one baseline run: the probes differ beyond ±${PROBE_LIMIT_ONE_RUN * 100} % or not`, () => {
    const near = compareMachines(run(1, 23, 60 * 1.15), baseline, undefined);
    expect(near).toMatchObject({ basis: 'baseline', differs: false });
    const far = compareMachines(run(1, 24, 60 * 1.3), baseline, undefined);
    expect(far?.differs).toBe(true);
    expect(far?.summary).toMatch(
      /slower on the CPU probe than the baseline run \(the limit without a history: ±20 %\)/,
    );
  });

  it('one baseline run: the memory probe is reported, not judged', () => {
    const r = run(1, 28, 60);
    const slowMemory = { ...r.probe!.score, memoryMs: 70 * 2 };
    const m = compareMachines(
      { ...r, probe: { ...r.probe!, before: slowMemory, after: slowMemory, score: slowMemory } },
      baseline,
      undefined,
    );
    expect(m).toMatchObject({ basis: 'baseline', differs: false });
    expect(m?.memory).toBeCloseTo(1, 9);
    expect(m?.summary).toMatch(/100 % slower on the memory probe \(not judged without a history/);
  });

  it('nothing to compare: no probes and no history', () => {
    expect(
      compareMachines(run(1, 25, undefined), run(1, 26, undefined), undefined),
    ).toBeUndefined();
    // Probes of another workload version are never compared.
    const v2 = run(1, 27, 60);
    expect(
      compareMachines({ ...v2, probe: { ...v2.probe!, version: 2 } }, baseline, undefined),
    ).toBeUndefined();
  });
});

describe('applyMachineRule', () => {
  const c = (metric: MetricComparison['metric'], outcome: MetricComparison['outcome']) =>
    ({
      metric,
      outcome,
      reason: 'r',
      severity: outcome === 'regression' ? 'HIGH' : null,
    }) as MetricComparison;
  it('leaves latency and throughput unjudged, not the error rate', () => {
    const list = [
      c('p95', 'regression'),
      c('throughput', 'improvement'),
      c('errorRate', 'regression'),
      c('p99', 'unchanged'),
    ];
    const out = applyMachineRule(new Map([['s', list]]), {
      basis: 'history',
      differs: true,
      cpu: 0.4,
      memory: 0,
      normal: 0.05,
      knownMachine: true,
      summary: 'x',
    });
    expect(list.map((x) => x.outcome)).toEqual([
      'inconclusive',
      'inconclusive',
      'regression',
      'unchanged',
    ]);
    expect(list[0]?.severity).toBeNull();
    expect(list[0]?.reason).toMatch(/not judged: the machines differ/);
    expect(out).toMatchObject({ unjudgedRegressions: 1, unjudgedImprovements: 1 });
    expect(out.warning).toMatch(
      /^The machines differ: x\. 2 latency or throughput changes are not judged \(1 worse, 1 better\); error rates and SLAs are\..*baseline: base-commit/,
    );
  });
});

describe('the verdict when the machines differ', () => {
  // A disturbed runner: CPU probe +50 %, every latency +45 %.
  const disturbed = run(1.45, 30, 90);

  it('calls no latency or throughput regression; with regression in fail-on the check fails saying why', () => {
    const v = judge(baseline, disturbed, opts(), history);
    expect(v.counts.regressions).toBe(0);
    expect(v.machine?.differs).toBe(true);
    expect(v.warnings[0]).toMatch(
      /^The machines differ: this runner is 49 % slower on the CPU probe \(normal: ±5 %\) than the default branch.s 8 reference runs\. 4 latency/,
    );
    expect(v.warnings[0]).toMatch(/baseline: base-commit/);
    expect(v.failsCheck).toBe(true);
    expect(v.status).toBe('fail');
    expect(v.failReasons).toEqual([
      'the machines differ (4 latency or throughput regressions not judged)',
    ]);
    expect(failureMessage(v)).toMatch(
      /^loadgate: the machines differ \(4 latency.*\n {2}- the machines differ: this runner is 49 % slower.*re-run, or use baseline: base-commit/s,
    );
    const report = renderMarkdown(v, disturbed, baseline);
    expect(report).toMatch(/### ❌ loadgate: machines differ/);
    expect(report).toMatch(/- Machine: this runner is 49 % slower/);
  });

  it('without regression in fail-on it is a warning', () => {
    const v = judge(baseline, disturbed, opts({ failOn: new Set<FailOn>(['sla']) }), history);
    expect(v.failsCheck).toBe(false);
    expect(v.status).toBe('warn');
    expect(v.warnings[0]).toMatch(/^The machines differ/);
  });

  it('the error rate is still judged', () => {
    const v = judge(baseline, run(1.45, 31, 90, {}, 0.05), opts(), history);
    const errorRate = v.scenarios[0]?.comparisons.find((x) => x.metric === 'errorRate');
    expect(errorRate?.outcome).toBe('regression');
    expect(v.counts.regressions).toBe(1);
  });

  it('a runner like main’s runs is judged as usual', () => {
    const v = judge(baseline, run(1.45, 32, 60.5), opts(), history);
    expect(v.machine?.differs).toBe(false);
    expect(v.counts.regressions).toBeGreaterThan(0);
  });
});
