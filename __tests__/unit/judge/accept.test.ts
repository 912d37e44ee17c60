/**
 * The accept label: a pull request that carries it has its regressions reported as accepted,
 * not failing the check; SLA breaches and failed scenarios still fail as fail-on says.
 */
import { describe, expect, it } from 'vitest';
import { judgeOptionsFor } from '../../../src/action/history.js';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import { judge } from '../../../src/judge/judge.js';
import type { FailOn, JudgeOptions } from '../../../src/judge/types.js';
import { failureMessage } from '../../../src/report/gate-text.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { renderTerminal } from '../../../src/report/terminal.js';
import type { ActionsContext } from '../../../src/github/context.js';
import { buildRun, noisy, type ScenarioSpec } from '../helpers/results.js';

const LABEL = 'loadgate:accept-regression';

const opts = (over: Partial<JudgeOptions> = {}): JudgeOptions => ({
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
  ...over,
});

function spec(name: string, factor: number, seed: number, sla = {}): ScenarioSpec {
  return {
    name,
    p95: noisy(20 * factor, 8, 0.02, seed),
    throughput: noisy(1000, 8, 0.02, seed + 1),
    errorRate: Array.from({ length: 8 }, () => 0),
    sla,
  };
}

const baseline = buildRun([spec('list', 1, 1), spec('search', 1, 3)]);
const slower = buildRun([spec('list', 1.5, 5), spec('search', 1, 7)]);

describe('accepted regressions', () => {
  it('are reported as accepted, and the check passes', () => {
    const v = judge(baseline, slower, opts({ acceptedBy: LABEL }));
    expect(v.counts.regressions).toBeGreaterThan(0);
    expect(v.findings.every((f) => f.kind === 'regression')).toBe(true);
    expect(v.accepted).toEqual({ label: LABEL, regressions: v.counts.regressions });
    expect(v.failsCheck).toBe(false);
    expect(v.failReasons).toEqual([]);
    expect(v.status).toBe('warn');
    const report = renderMarkdown(v, slower, baseline);
    expect(report).toMatch(
      /^### ⚠️ loadgate: \S+ got slower \(p\d+ \+[\d.]+ %\).*, accepted by the label /m,
    );
    expect(report).toContain(
      `accepted by the label \`${LABEL}\`: reported, not failing the check. SLA breaches and failed scenarios still fail`,
    );
    expect(renderTerminal(v)).toContain(`check passes (regressions accepted by ${LABEL})`);
  });

  it('without the label the same run fails', () => {
    const v = judge(baseline, slower, opts());
    expect(v.failsCheck).toBe(true);
    expect(v.accepted).toBeUndefined();
  });

  it('SLA breaches still fail as fail-on says', () => {
    const breaching = buildRun([spec('list', 1.5, 5, { p95Ms: 25 }), spec('search', 1, 7)]);
    const v = judge(baseline, breaching, opts({ acceptedBy: LABEL }));
    expect(v.failsCheck).toBe(true);
    expect(v.status).toBe('fail');
    expect(v.failReasons).toEqual(['1 SLA breach']);
    expect(failureMessage(v)).toMatch(/^loadgate: 1 SLA breach in list/);
    const slaOnly = judge(baseline, breaching, opts({ acceptedBy: LABEL, failOn: new Set() }));
    expect(slaOnly.failsCheck).toBe(false);
  });
});

describe('the label in the action', () => {
  const inputs = (values: Partial<Record<InputName, string>> = {}) =>
    parseInputs((name) => values[name] ?? '', { cwd: '/repo', workspace: '/repo' });
  const ctx = (labels: string[] | undefined, prNumber: number | undefined) =>
    ({ prNumber, prLabels: labels }) as ActionsContext;
  const log = { info: () => undefined, notice: () => undefined, warning: () => undefined };

  it('defaults to loadgate:accept-regression and reads another', () => {
    expect(inputs().acceptLabel).toBe(LABEL);
    expect(inputs({ 'accept-label': 'perf-ok' }).acceptLabel).toBe('perf-ok');
    expect(() => inputs({ 'accept-label': 'x'.repeat(51) })).toThrow(
      /input accept-label: expected a pull request label name/,
    );
  });

  it('is taken from the pull request’s labels only', () => {
    const i = inputs();
    expect(judgeOptionsFor(i, { ctx: ctx([LABEL, 'bug'], 7), log }).acceptedBy).toBe(LABEL);
    expect(judgeOptionsFor(i, { ctx: ctx(['bug'], 7), log }).acceptedBy).toBeUndefined();
    expect(judgeOptionsFor(i, { ctx: ctx([LABEL], undefined), log }).acceptedBy).toBe(undefined);
  });

  it('min-effect left empty against a stored baseline: the history default may apply', () => {
    expect(inputs().judge.minEffectIsDefault).toBe(true);
    expect(inputs({ 'min-effect': '10%' }).judge.minEffectIsDefault).toBeUndefined();
    expect(
      inputs({ baseline: 'base-commit', 'start-command': 'npm start' }).judge.minEffectIsDefault,
    ).toBeUndefined();
  });

  it('alpha left empty against a stored baseline: the history default may apply', () => {
    expect(inputs().judge.alphaIsDefault).toBe(true);
    expect(inputs({ alpha: '0.05' }).judge.alphaIsDefault).toBeUndefined();
    expect(
      inputs({ baseline: 'base-commit', 'start-command': 'npm start' }).judge.alphaIsDefault,
    ).toBeUndefined();
  });
});
