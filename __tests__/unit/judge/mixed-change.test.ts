import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { HELD_BACK, holdBackMixedImprovements } from '../../../src/judge/mixed-change.js';
import { DEFAULT_JUDGE_OPTIONS, type MetricComparison } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { buildRun, noisy } from '../helpers/results.js';

/** A tested comparison of one metric with its change and interval (relative). */
function comparison(
  metric: MetricComparison['metric'],
  outcome: MetricComparison['outcome'],
  change: [number, number, number],
  extra: Partial<MetricComparison> = {},
): MetricComparison {
  const [estimate, lower, upper] = change;
  const summary = { n: 7, median: 1, values: [] };
  return {
    metric,
    higherIsWorse: metric !== 'throughput',
    unit: metric === 'errorRate' ? 'pp' : 'ratio',
    baseline: summary,
    current: summary,
    effect: { estimate: 1 + estimate, lower: 1 + lower, upper: 1 + upper, confidence: 0.95 },
    change: { estimate, lower, upper },
    test: {
      name: 'round-means-t',
      method: 'student-t',
      statistic: 0,
      pWorse: 0.5,
      pBetter: 0.5,
      minAchievableP: 0,
    },
    inFamily: true,
    pWorseAdjusted: null,
    pBetterAdjusted: null,
    pAdjusted: null,
    effectiveMinEffect: 0.03,
    noiseFloor: null,
    outcome,
    severity: null,
    reason: outcome,
    ...extra,
  };
}

describe('an improvement while a deciding metric may be worse', () => {
  it('is held back when the median may be worse beyond the min effect', () => {
    const p95 = comparison('p95', 'improvement', [-0.09, -0.12, -0.06]);
    const p50 = comparison('p50', 'unchanged', [0.04, -0.01, 0.07]);
    const note = holdBackMixedImprovements([p95, p50]);
    expect(p95.outcome).toBe('inconclusive');
    expect(p95.reason).toContain(HELD_BACK);
    expect(note).toMatch(/^p95 improved, but p50 could be \+7\.0 %, beyond the min effect/);
    expect(p50.outcome).toBe('unchanged');
  });

  it('is held back when the budget left a deciding metric undecided', () => {
    const p95 = comparison('p95', 'improvement', [-0.09, -0.12, -0.06]);
    const p50 = comparison('p50', 'inconclusive', [0.02, 0.0, 0.025], { undecided: true });
    expect(holdBackMixedImprovements([p95, p50])).toMatch(/p50 is undecided \(the budget ended/);
    expect(p95.outcome).toBe('inconclusive');
  });

  it('is held back when throughput may have fallen beyond the min effect', () => {
    const p95 = comparison('p95', 'improvement', [-0.2, -0.25, -0.15]);
    const rps = comparison('throughput', 'unchanged', [-0.02, -0.05, 0.01]);
    expect(holdBackMixedImprovements([p95, rps])).toMatch(/throughput could be -5\.0 %/);
  });

  it('stands when every deciding metric rules out the min effect on the bad side', () => {
    const p95 = comparison('p95', 'improvement', [-0.09, -0.12, -0.06]);
    const p50 = comparison('p50', 'unchanged', [0.01, -0.01, 0.02]);
    // p99 does not decide: its wide interval does not hold the scenario back.
    const p99 = comparison('p99', 'unchanged', [0.05, -0.1, 0.2]);
    expect(holdBackMixedImprovements([p95, p50, p99])).toBeUndefined();
    expect(p95.outcome).toBe('improvement');
  });

  it('in a stored comparison: tails 25 % better and the median 8 % worse (min effect 10 %) is no improvement', () => {
    const baseline = buildRun([
      { name: 'search', p95: noisy(20, 8, 0.02, 1), p50: noisy(10, 8, 0.04, 2) },
    ]);
    const same = buildRun([
      { name: 'search', p95: noisy(15, 8, 0.02, 3), p50: noisy(10, 8, 0.002, 4) },
    ]);
    const mixed = buildRun([
      { name: 'search', p95: noisy(15, 8, 0.02, 3), p50: noisy(10.8, 8, 0.06, 4) },
    ]);
    // Control: the same tails with an unchanged median are an improvement.
    expect(judge(baseline, same, DEFAULT_JUDGE_OPTIONS).scenarios[0]?.status).toBe('improvement');

    const v = judge(baseline, mixed, DEFAULT_JUDGE_OPTIONS);
    const s = v.scenarios[0];
    expect(s?.status).not.toBe('improvement');
    expect(v.counts.improvements).toBe(0);
    expect(s?.notes.join(' ')).toMatch(/p95 and p99 improved, but p50 could be \+\d+\.\d %/);
    const md = renderMarkdown(v, mixed, baseline);
    expect(md).not.toContain('✨');
    expect(md).toContain('better tails, may be slower');
  });
});
