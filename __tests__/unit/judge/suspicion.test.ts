import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import type { RunResult, TrialSuspicion } from '../../../src/result/types.js';
import { buildRun, noisy } from '../helpers/results.js';

const SUSPECT: TrialSuspicion = {
  cause: 'latency-exceeds-littles-law',
  message:
    '10 connections at 960 req/s allow a mean of 10.4 ms in flight, but 400 ms was measured: responses were credited to older requests (dropped connections?)',
  connections: 10,
  throughput: 960,
  expectedMeanMs: 10.4,
  measuredMeanMs: 400,
  ratio: 38,
};

function withSuspectTrials(run: RunResult, count: number): RunResult {
  const copy = structuredClone(run);
  const trials = copy.scenarios[0]?.trials ?? [];
  for (const t of trials.slice(0, count)) t.suspect = SUSPECT;
  return copy;
}

describe("suspect measurements (Little's law)", () => {
  const baseline = buildRun([{ name: 'list', p95: noisy(20, 8, 0.03, 1) }]);

  it('are named in the warnings and the scenario, and the verdict is not a clean pass', () => {
    const current = withSuspectTrials(buildRun([{ name: 'list', p95: noisy(20, 8, 0.03, 2) }]), 3);
    const v = judge(baseline, current, DEFAULT_JUDGE_OPTIONS);
    expect(v.warnings.join(' ')).toMatch(
      /"list" cannot be trusted in 3 of 8 trials: 10 connections at 960 req\/s/,
    );
    expect(v.scenarios[0]?.suspect).toMatch(/credited to older requests/);
    expect(v.status).toBe('warn');
    expect(renderMarkdown(v, current, baseline)).toContain('⚠️ measurement suspect');
  });

  it('never count as an improvement (a hanging service must not read as faster)', () => {
    const faster = buildRun([{ name: 'list', p95: noisy(5, 8, 0.03, 3) }]);
    expect(judge(baseline, faster, DEFAULT_JUDGE_OPTIONS).counts.improvements).toBeGreaterThan(0);
    const v = judge(baseline, withSuspectTrials(faster, 1), DEFAULT_JUDGE_OPTIONS);
    expect(v.counts.improvements).toBe(0);
    const p95 = v.scenarios[0]?.comparisons.find((c) => c.metric === 'p95');
    expect(p95?.outcome).toBe('inconclusive');
    expect(p95?.reason).toMatch(/not counted: the measurement is suspect/);
  });

  it('still count as a regression when the service got slower', () => {
    const slower = withSuspectTrials(buildRun([{ name: 'list', p95: noisy(40, 8, 0.03, 4) }]), 2);
    expect(judge(baseline, slower, DEFAULT_JUDGE_OPTIONS).counts.regressions).toBeGreaterThan(0);
  });
});
