/**
 * A pull request that adds an endpoint: every base request fails (404) while the head's succeed.
 * The scenario is new, judged on its SLA alone: not an "improvement" (its error rate) nor a
 * regression (the head is slower than a quick 404), and not in the Holm family.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { baseCannotServe } from '../../../src/judge/unserved-base.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { abBaseRun } from '../../../src/result/ab.js';
import { AB_OPTIONS, abRun, demoScenarios, type AbScenarioSpec } from '../helpers/ab-runs.js';

/** The demo's scenarios and one the base answers 404 to (and the head too, when `headFails`). */
function withNewEndpoint(headFails = false): AbScenarioSpec[] {
  return [
    ...demoScenarios(),
    {
      name: 'export-admins',
      endpoints: { export: 1 },
      p95: 30,
      throughput: 300,
      sla: { p95Ms: 500, maxErrorRate: 0.01 },
      baseErrorRate: 1,
      errorRate: headFails ? 1 : 0,
      failedStatus: '404',
    },
  ];
}

describe('a scenario the base cannot serve', () => {
  const run = abRun(withNewEndpoint());
  const v = judge(undefined, run, AB_OPTIONS);
  const added = v.scenarios.find((s) => s.name === 'export-admins');

  it('is new, not an improvement: judged on its SLA alone', () => {
    expect(added?.status).toBe('new');
    expect(added?.comparisons).toEqual([]);
    expect(added?.endpoints).toBeUndefined();
    expect(added?.sla.map((c) => c.status)).toEqual(['pass', 'pass']);
    expect(added?.notes).toContain(
      'New in this change: every request to the base failed (404), so it is judged on its SLA alone, not compared.',
    );
    expect(v.counts.newScenarios).toBe(1);
    expect(v.counts.improvements).toBe(0);
    expect(v.counts.regressions).toBe(0);
    expect(v.status).toBe('pass');
  });

  it('stays out of the family: the other scenarios are judged as without it', () => {
    const without = judge(undefined, abRun(demoScenarios()), AB_OPTIONS);
    const p = (x: typeof v) =>
      x.scenarios.flatMap((s) => s.comparisons.map((c) => c.pWorseAdjusted));
    expect(p(v)).toEqual(p(without));
  });

  it('its SLA still fails the check when the head breaches it', () => {
    const slow = withNewEndpoint().map((s) =>
      s.name === 'export-admins' ? { ...s, p95: 900 } : s,
    );
    const breached = judge(undefined, abRun(slow), AB_OPTIONS);
    expect(breached.scenarios.find((s) => s.name === 'export-admins')?.status).toBe('new');
    expect(breached.failsCheck).toBe(true);
    expect(breached.failReasons).toEqual(['1 SLA breach']);
  });

  it('the comment says it is new, in the verdict line and the table', () => {
    const md = renderMarkdown(v, run, abBaseRun(run), { layout: 'comment' });
    expect(md.split('\n')[1]).toBe(
      '### ✅ loadgate: nothing got slower: export-admins is new (judged on its SLA alone); 7 unchanged',
    );
    expect(md).toMatch(
      /^\| export-admins \| new \| fails → p95 [\d.]+ ms \| the base cannot serve it: SLA only \| 🆕 \|$/m,
    );
  });

  it('a scenario both sides fail is compared as usual', () => {
    const both = judge(undefined, abRun(withNewEndpoint(true)), AB_OPTIONS);
    const s = both.scenarios.find((x) => x.name === 'export-admins');
    expect(s?.status).not.toBe('new');
    expect(s?.comparisons.length).toBeGreaterThan(0);
  });

  it('baseCannotServe needs every base trial failed and a head that mostly serves', () => {
    const base = abBaseRun(run)?.scenarios.find((s) => s.name === 'export-admins');
    const head = run.scenarios.find((s) => s.name === 'export-admins');
    if (!base || !head) throw new Error('fixture');
    expect(baseCannotServe(base, head)).toBe('every request to the base failed (404)');
    expect(baseCannotServe(base, head, 'baseline')).toBe(
      'every request to the baseline failed (404)',
    );
    const oneServed = {
      ...base,
      trials: base.trials.map((t, i) =>
        i === 0 ? { ...t, metrics: { ...t.metrics, errorRate: 0.5 } } : t,
      ),
    };
    expect(baseCannotServe(oneServed, head)).toBeUndefined();
    expect(baseCannotServe(head, head)).toBeUndefined();
  });
});
