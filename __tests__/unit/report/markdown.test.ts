import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import type { FailOn, JudgeOptions } from '../../../src/judge/types.js';
import { renderMarkdown, seriesPoints } from '../../../src/report/markdown.js';
import { renderTerminal } from '../../../src/report/terminal.js';
import { buildRun, noisy, scenario } from '../helpers/results.js';
import type { ScenarioSpec } from '../helpers/results.js';

const opts: JudgeOptions = {
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
};

function spec(
  name: string,
  n: number,
  p95: number,
  seed: number,
  extra: Partial<ScenarioSpec> = {},
): ScenarioSpec {
  return {
    name,
    p95: noisy(p95, n, 0.03, seed),
    p99: noisy(p95 * 1.6, n, 0.03, seed + 1),
    throughput: noisy(1000, n, 0.03, seed + 2),
    sla: { p95Ms: 500, minThroughput: 50, maxErrorRate: 0.01 },
    ...extra,
  };
}

function regressionCase() {
  const base = buildRun([
    spec('list-admins', 10, 20, 1),
    spec('create-admin', 10, 40, 2),
    spec('search', 10, 600, 3),
  ]);
  const cur = buildRun(
    [
      spec('list-admins', 10, 20, 11),
      spec('create-admin', 10, 52, 12),
      spec('search', 10, 610, 13),
    ],
    { sha: 'fedcba9876543210fedcba9876543210fedcba98', ref: 'refs/pull/7/merge' },
  );
  return { base, cur, verdict: judge(base, cur, opts) };
}

describe('renderMarkdown', () => {
  it('starts with the hidden marker, then the title with counts', () => {
    const { base, cur, verdict } = regressionCase();
    const md = renderMarkdown(verdict, cur, base);
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- loadgate:loadgate -->');
    // Counted in scenarios: the one that got slower by its worst change, the SLA breach apart.
    expect(lines[1]).toMatch(
      /^### ❌ loadgate: create-admin got slower \(p95 \+\d\d %\); search breaches its SLA \(p95 latency [\d.]+ ms, over 500 ms\); 1 unchanged$/,
    );
    expect(renderMarkdown(verdict, cur, base, { marker: 'pr-7' }).split('\n')[0]).toBe(
      '<!-- loadgate:pr-7 -->',
    );
    expect(md).toMatch(
      /^\| create-admin \| p95 \| 40\.\d ms → 5\d\.\d ms \| \+\d+\.\d % \[\+\d+\.\d, \+\d+\.\d\] \| 🟡 MEDIUM \|$/m,
    );
    expect(md).toMatch(/^\| search \| SLA: p95 latency \| 6\d\d ms \| limit ≤ 500 ms/m);
    expect(md).toMatch(/<details><summary>SLA: 1 of 9 checks fails<\/summary>/);
    expect(md).toContain('<details><summary>Resources: CPU, memory, connections</summary>');
    expect(md).toContain('xychart-beta');
    expect(md).toContain('<details><summary>Raw trials');
    expect(md).toContain('baseline `0123456`');
    expect(md).not.toContain('Trimmed');
  });

  it('passing title', () => {
    const run = buildRun([spec('list', 10, 20, 1), spec('create', 10, 40, 2)]);
    const v = judge(run, structuredClone(run), opts);
    const md = renderMarkdown(v, run, run);
    expect(md.split('\n')[1]).toBe('### ✅ loadgate: nothing got slower: 2 scenarios unchanged');
    expect(md).toMatch(/<summary>SLA: all 6 checks pass<\/summary>/);
  });

  it('no-baseline title', () => {
    const run = buildRun([spec('list', 10, 20, 1)]);
    const v = judge(undefined, run, opts);
    const md = renderMarkdown(v, run);
    expect(md.split('\n')[1]).toBe('### ⚠️ loadgate: no baseline, SLA checks only: all 3 pass');
    expect(md.split('\n')[3]).toBe('no baseline · fails on sla, regression');
    expect(md).toContain('<summary>1 scenario measured, nothing to compare with</summary>');
  });

  it('lists unmeasured SLA checks once instead of a row per scenario', () => {
    const sla = { p95Ms: 500, maxPgConnections: 20, maxRedisMb: 100 };
    const run = buildRun([spec('list', 10, 20, 1, { sla }), spec('create', 10, 40, 2, { sla })]);
    const md = renderMarkdown(judge(undefined, run, opts), run);
    expect(md).toContain('Not measured: Postgres connections, Redis memory.');
    expect(md).not.toMatch(/\| (list|create) \| Postgres connections \|/);
    expect(md).toMatch(/\| list \| p95 latency \|/);
  });

  it('escapes names that came from the config', () => {
    const evil = 'a|b<script>alert(1)</script>`x`\n<!-- loadgate:loadgate -->';
    const run = buildRun([spec(evil, 5, 20, 1)]);
    const v = judge(undefined, run, opts);
    const md = renderMarkdown(v, run);
    expect(md).not.toContain('<script>');
    expect(md.match(/<!--/g)?.length).toBe(1);
    expect(md).toContain('a\\|b&lt;script&gt;');
    // The unchanged scenarios' row keeps its 5 columns.
    const row = md.split('\n').find((l) => l.startsWith('| a\\|b'));
    expect(row?.split(/(?<!\\)\|/).length).toBe(7);
    // mermaid title: plain text only
    expect(md).not.toMatch(/title ".*[<`|].*"/);
  });

  it('stays under the cap with 200 scenarios and says what was trimmed', () => {
    const specs = Array.from({ length: 200 }, (_, i) =>
      spec(`scenario-${i}-with-a-longish-name`, 10, 20 + i, i * 7, { seconds: 20 }),
    );
    const slow = specs.map((s, i) => (i % 10 === 0 ? { ...s, p95: s.p95.map((v) => v * 1.5) } : s));
    const base = buildRun(specs);
    const cur = buildRun(slow);
    const v = judge(base, cur, opts);
    const md = renderMarkdown(v, cur, base);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toMatch(/Trimmed to fit: raw trials, charts/);
    expect(md).toContain('The full report is in the job summary / report artifact');
    expect(md.split('\n')[0]).toBe('<!-- loadgate:loadgate -->');
    const big = renderMarkdown(v, cur, base, { maxChars: 2_000_000 });
    expect(big.length).toBeGreaterThan(60_000);
    expect(big).not.toContain('Trimmed');
    const small = renderMarkdown(v, cur, base, { maxChars: 5_000 });
    expect(small.length).toBeLessThanOrEqual(5_000);
    expect(small).toMatch(/the unchanged scenarios' table/);
    expect(small).toMatch(
      /<summary>180 scenarios unchanged: .*<\/summary>\n\n180 scenarios in the full report\./,
    );
    expect(small).toContain('| scenario-190-with-a-longish-name |');
    const tiny = renderMarkdown(v, cur, base, { maxChars: 1_500, fullReportHint: 'report.md' });
    expect(tiny.length).toBeLessThanOrEqual(1_500);
    expect(tiny).toMatch(/Cut at 1,500 characters\. The full report is in report\.md\./);
  });

  it('downsamples chart series to at most 60 points', () => {
    const s = scenario({ name: 'soak', p95: noisy(20, 10, 0.03, 1), seconds: 30 });
    const points = seriesPoints(s);
    expect(points.length).toBeLessThanOrEqual(60);
    expect(points.length).toBeGreaterThan(30);
    expect(points[points.length - 1]?.t).toBeGreaterThan(250);
  });
});

describe('renderTerminal', () => {
  it('is short and names the findings', () => {
    const { verdict } = regressionCase();
    const text = renderTerminal(verdict);
    expect(text.split('\n').length).toBeLessThanOrEqual(30);
    expect(text.split('\n')[0]).toMatch(
      /^loadgate: FAIL \(3 regressions, 1 SLA breach of 9 checks/,
    );
    expect(text).toContain('create-admin');
    expect(text).toMatch(/check fails: 3 regressions, 1 SLA breach/);
  });

  it('stays within 30 lines with 200 scenarios', () => {
    const specs = Array.from({ length: 200 }, (_, i) => spec(`s${i}`, 5, 20, i));
    const run = buildRun(specs);
    const text = renderTerminal(judge(undefined, run, opts));
    expect(text.split('\n').length).toBeLessThanOrEqual(30);
    expect(text).toMatch(/more lines in the markdown report/);
  });
});
