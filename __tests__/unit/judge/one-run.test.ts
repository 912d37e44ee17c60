/**
 * One stored run against one (judge/one-run.ts): below twice the min effect, or at any size when
 * the machine probes differ, a latency, throughput or CPU regression is undecided, not failing;
 * otherwise it is judged as before. The error rate does not move with the machine.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import type { FailOn, JudgeOptions } from '../../../src/judge/types.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun, noisy } from '../helpers/results.js';

const opts: JudgeOptions = {
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
};

function run(level: number, seed: number, probeMs?: number, errorRate = 0): RunResult {
  const r = buildRun([
    {
      name: 'list',
      p95: noisy(20 * level, 8, 0.01, seed),
      p50: noisy(10 * level, 8, 0.01, seed + 1),
      p99: noisy(30 * level, 8, 0.01, seed + 2),
      throughput: noisy(1000 / level, 8, 0.01, seed + 3),
      errorRate: Array.from({ length: 8 }, () => errorRate),
    },
  ]);
  if (probeMs === undefined) return r;
  const score = { cpuMs: probeMs, memoryMs: 70 };
  return { ...r, probe: { version: 1, before: score, after: score, score } };
}

const p95 = (r: ReturnType<typeof judge>) =>
  r.scenarios[0]?.comparisons.find((c) => c.metric === 'p95');

describe('one run against one', () => {
  it('a +15 % change is undecided: below twice the min effect; +30 % is a regression', () => {
    const base = run(1, 1);
    const small = judge(base, run(1.15, 11), opts);
    expect(small.counts.regressions).toBe(0);
    expect(small.scenarios[0]?.status).toBe('undecided');
    expect(p95(small)?.undecided).toBe(true);
    expect(p95(small)?.reason).toMatch(/within \+20(\.0)? % \(2× the min effect\)/);
    expect(small.failsCheck).toBe(false);
    const large = judge(base, run(1.3, 12), opts);
    expect(p95(large)?.outcome).toBe('regression');
    expect(large.failsCheck).toBe(true);
  });

  it('machines 50 % apart on the probe: +60 % and +300 % are both undecided (latency under load moves more than the CPU lost)', () => {
    const base = run(1, 1, 40);
    for (const [level, seed] of [
      [1.6, 21],
      [4, 22],
    ] as const) {
      const slowMachine = judge(base, run(level, seed, 60), opts);
      expect(slowMachine.machine?.differs).toBe(true);
      expect(slowMachine.counts.regressions).toBe(0);
      expect(slowMachine.failsCheck).toBe(false);
      expect(p95(slowMachine)?.undecided).toBe(true);
      expect(p95(slowMachine)?.reason).toMatch(
        /on a machine \+50(\.0)? % apart on the CPU probe: .* no change against this one run can be told from the machine/,
      );
      expect(slowMachine.warnings[0]).toMatch(/^The machines differ: .*each is undecided/);
    }
    // The same +300 % on machines that match is a regression.
    const sameMachine = judge(base, run(4, 22, 40), opts);
    expect(p95(sameMachine)?.outcome).toBe('regression');
    expect(sameMachine.failsCheck).toBe(true);
  });

  it('a throughput halved weighs as a latency doubled (log scale), and the error rate is judged as ever', () => {
    const base = run(1, 1);
    const halved = judge(base, run(2, 31), opts);
    const throughput = halved.scenarios[0]?.comparisons.find((c) => c.metric === 'throughput');
    expect(throughput?.outcome).toBe('regression');
    const failing = judge(base, run(1, 32, undefined, 0.05), opts);
    const errors = failing.scenarios[0]?.comparisons.find((c) => c.metric === 'errorRate');
    expect(errors?.outcome).toBe('regression');
  });
});
