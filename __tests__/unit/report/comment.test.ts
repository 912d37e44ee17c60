/**
 * The PR comment's layout (issue 27) on demo-like A/B runs judged for real: the verdict line
 * counts scenarios, one table holds what changed (base → head in absolute units, the change with
 * its interval, the severity), a mix names the endpoint to blame, the unchanged scenarios are one
 * line, everything else is collapsed; and it keeps to its budget: at most 8,000 characters and
 * 30 visible lines with two changed scenarios, 10 visible lines when nothing changed. The fork
 * commenter renders the same layout from the verdict JSON.
 */
import { describe, expect, it } from 'vitest';
import { forkComment } from '../../../src/comment/verdict-comment.js';
import { parseVerdict } from '../../../src/comment/verdict-schema.js';
import { judge } from '../../../src/judge/judge.js';
import type { Verdict } from '../../../src/judge/types.js';
import { renderMarkdown, type MarkdownOptions } from '../../../src/report/markdown.js';
import { roughTime } from '../../../src/report/sections/durations.js';
import { abBaseRun } from '../../../src/result/ab.js';
import type { AbSequential, RunResult } from '../../../src/result/types.js';
import { AB_OPTIONS, abRun, demoScenarios, type AbScenarioSpec } from '../helpers/ab-runs.js';

const LINKS: MarkdownOptions['links'] = {
  run: 'https://github.com/octo-org/admin-api/actions/runs/4242',
  artifact: {
    name: 'loadgate-report-perf',
    url: 'https://github.com/octo-org/admin-api/actions/runs/4242#artifacts',
  },
  statisticsDoc: 'https://github.com/loadgate/loadgate/blob/v1/docs/statistics.md',
};

function comment(run: RunResult): { md: string; verdict: Verdict } {
  const verdict = judge(undefined, run, AB_OPTIONS);
  const md = renderMarkdown(verdict, run, abBaseRun(run), {
    layout: 'comment',
    marker: 'perf',
    links: LINKS,
  });
  return { md, verdict };
}

/**
 * The lines a reader sees without a click: outside every <details> block (whose summary line
 * shows), without the hidden protocol lines and blank lines.
 */
function visibleLines(md: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const line of md.split('\n')) {
    const opens = (line.match(/<details>/g) ?? []).length;
    const closes = (line.match(/<\/details>/g) ?? []).length;
    if (depth === 0 && opens > 0) out.push(line);
    else if (depth === 0 && line.trim() !== '' && !/^<!--.*-->$/.test(line.trim())) out.push(line);
    depth += opens - closes;
  }
  return out;
}

/** The rows of the table of what changed (after its header and delimiter). */
function changeRows(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Scenario | Metric |'));
  if (start < 0) return [];
  const rows: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i]?.startsWith('|'); i++)
    rows.push(lines[i] ?? '');
  return rows;
}

const search3 = { 'search-admins': { search: 3 }, 'concurrent-admins': { search: 3 } };

describe('the comment of a run where nothing changed', () => {
  const { md, verdict } = comment(abRun(demoScenarios()));

  it('says so in its first line and fits in 10 visible lines', () => {
    expect(verdict.status).toBe('pass');
    expect(md.split('\n')[1]).toBe('### ✅ loadgate: nothing got slower: 7 scenarios unchanged');
    expect(visibleLines(md).length).toBeLessThanOrEqual(10);
    expect(changeRows(md)).toEqual([]);
  });

  it('puts the unchanged scenarios in one line with what the run could have seen, their table collapsed', () => {
    expect(md).toMatch(
      /<details><summary>7 scenarios unchanged: this run would have seen a p95 change of [\d.]+ to [\d.]+ % in each<\/summary>/,
    );
    expect(md).toMatch(
      /\| search-admins \| [\d.]+ ms → [\d.]+ ms \| [+-][\d.]+ % \[.*\] \| ≥ \+[\d.]+ % \| ✅ \|/,
    );
  });

  it('links the workflow run, the report artifact and the statistics doc', () => {
    expect(md.split('\n')[3]).toBe(
      'base `bbbbbbb` → head `fffffff`, side by side · fails on sla, regression · ' +
        '[workflow run](https://github.com/octo-org/admin-api/actions/runs/4242) · ' +
        '[full report (loadgate-report-perf)](https://github.com/octo-org/admin-api/actions/runs/4242#artifacts)',
    );
    expect(md).toContain(
      '<summary>Method: 14 pairs in 7 rounds, α 0.01, min effect 3 % (<a href="https://github.com/loadgate/loadgate/blob/v1/docs/statistics.md">how it decides</a>)</summary>',
    );
  });

  it('collapses the SLA, the resources and the run details, and draws no chart', () => {
    expect(md).toMatch(/<details><summary>SLA: all \d+ checks pass<\/summary>/);
    expect(md).toContain(
      '<details><summary>Resources of the head: CPU, memory, connections</summary>',
    );
    expect(md).toContain('<details><summary>Run details</summary>');
    expect(md).not.toContain('xychart-beta');
  });
});

describe('the comment of one regression', () => {
  const { md } = comment(abRun(demoScenarios({ 'grant-permission': { grant: 1.3 } })));

  it('names the scenario and its change, counts the rest', () => {
    expect(md.split('\n')[1]).toMatch(
      /^### ❌ loadgate: grant-permission got slower \(p95 \+3\d %\); 6 unchanged$/,
    );
  });

  it('shows base → head in their units, the change with its interval and the severity, 3 rows at most', () => {
    const rows = changeRows(md);
    expect(rows[0]).toMatch(
      /^\| grant-permission \| p95 \| 6\.\d+ ms → 7\.\d+ ms \| \+3\d\.\d % \[\+[\d.]+, \+[\d.]+\] \| 🟠 HIGH \|$/,
    );
    expect(rows[1]).toMatch(/^\| \| p50 \| [\d.]+ ms → [\d.]+ ms \|/);
    expect(rows[2]).toMatch(/^\| \| and 5 more: p99, steady p95, steady p50, …/);
    expect(rows).toHaveLength(3);
    expect(visibleLines(md).length).toBeLessThanOrEqual(30);
  });

  it('draws the per-second chart of that scenario only, collapsed', () => {
    expect(md).toContain(
      '<details><summary>Per second, p95 and requests: grant-permission</summary>',
    );
    expect(md.match(/xychart-beta/g)).toHaveLength(2);
  });
});

describe('the demo: a slow search endpoint, in its own scenario and in a mix', () => {
  const { md, verdict } = comment(abRun(demoScenarios(search3)));

  it('counts scenarios, not metrics: the worst one, the one that calls it, the unchanged', () => {
    expect(verdict.counts.regressions).toBeGreaterThan(2);
    expect(md.split('\n')[1]).toMatch(
      /^### ❌ loadgate: search-admins got slower \(p95 \+\d{3} %\), and 1 scenario that calls it; 5 unchanged$/,
    );
  });

  it('names the endpoint to blame in the mix, from its own tests', () => {
    const endpoints = verdict.scenarios.find((s) => s.name === 'concurrent-admins')?.endpoints;
    expect(endpoints?.names).toEqual(['list', 'search', 'get', 'update', 'grant', 'create']);
    expect(md).toMatch(
      /^\*\*concurrent-admins\*\*: its search requests p95 \+\d{3} %, the rest unchanged\.$/m,
    );
  });

  it('fits the budget: 8,000 characters, 30 visible lines', () => {
    expect(md.length).toBeLessThanOrEqual(8_000);
    expect(visibleLines(md).length).toBeLessThanOrEqual(30);
    const rows = changeRows(md);
    expect(rows.filter((r) => /^\| [a-z]/.test(r)).map((r) => r.split(' | ')[0])).toEqual([
      '| search-admins',
      '| concurrent-admins',
    ]);
  });

  it('the full report keeps every row and the raw trials', () => {
    const full = renderMarkdown(verdict, abRun(demoScenarios(search3)), undefined, {
      layout: 'full',
    });
    expect(changeRows(full).length).toBeGreaterThan(changeRows(md).length);
    expect(full).not.toMatch(/and \d more:/);
    expect(full).toContain('<details><summary>Raw trials and tests per scenario</summary>');
    // The endpoints' own tests are there too.
    expect(full).toMatch(/\| search p95 \| t [\d.-]+ \(7 rounds\) \|/);
  });

  it('the fork commenter renders the same layout from the verdict JSON', () => {
    const parsed = parseVerdict(JSON.stringify(verdict));
    if ('error' in parsed) throw new Error(parsed.error);
    const fork = forkComment(parsed.verdict, {
      job: 'perf',
      artifactName: 'loadgate-report-perf',
      runId: 4242,
      runUrl: 'https://github.com/octo-org/admin-api/actions/runs/4242',
      headSha: 'f'.repeat(40),
      conclusion: 'failure',
    });
    expect(fork.split('\n')[2]).toBe(md.split('\n')[1]);
    expect(changeRows(fork)).toEqual(changeRows(md));
    expect(fork).toContain('**concurrent-admins**: its search requests p95');
    expect(fork).toContain(
      '[workflow run](https://github.com/octo-org/admin-api/actions/runs/4242)',
    );
    expect(fork.length).toBeLessThanOrEqual(8_000);
    expect(visibleLines(fork).length).toBeLessThanOrEqual(30);
  });
});

describe('the comment of an SLA breach alone', () => {
  const specs = demoScenarios().map((s): AbScenarioSpec =>
    s.name === 'create-admin' ? { ...s, throughput: 40 } : s,
  );
  const { md, verdict } = comment(abRun(specs));

  it('names the scenario and the check in the verdict line, the breach in the table', () => {
    expect(verdict.counts.regressions).toBe(0);
    expect(verdict.failsCheck).toBe(true);
    expect(md.split('\n')[1]).toMatch(
      /^### ❌ loadgate: create-admin breaches its SLA \(throughput [\d.]+ req\/s, under 50 req\/s\); 6 unchanged$/,
    );
    expect(changeRows(md)).toEqual([
      expect.stringMatching(
        /^\| create-admin \| SLA: throughput \| [\d.]+ req\/s \| limit ≥ 50 req\/s \(-[\d.]+ %\) \| 🟠 HIGH \|$/,
      ),
    ]);
    expect(md).toMatch(/<summary>SLA: 1 of \d+ checks fails<\/summary>/);
    expect(visibleLines(md).length).toBeLessThanOrEqual(30);
  });
});

describe('the comment of a run whose budget left scenarios undecided', () => {
  const undecided = ['list-admins', 'get-admin'];
  const sequential = (names: string[]): AbSequential => ({
    budgetSeconds: 300,
    maxRounds: 20,
    familySize: 56,
    looks: Object.fromEntries(
      names.map((n) => [
        n,
        [
          { rounds: 3, spent: 0.5 },
          { rounds: 4, spent: 0.7 },
          { rounds: 5, spent: 1 },
        ],
      ]),
    ),
    finalLook: undecided,
    decided: Object.fromEntries(
      names.map((n) => [n, undecided.includes(n) ? ('undecided' as const) : ('within' as const)]),
    ),
    spentSeconds: 252,
    scenarioSeconds: Object.fromEntries(names.map((n) => [n, 40])),
  });
  const { md, verdict } = comment(abRun(demoScenarios(), { rounds: 5, sequential }));

  it('counts the undecided apart, with the time that would decide them', () => {
    expect(verdict.counts.undecidedScenarios).toBe(2);
    const seconds = verdict.scenarios.reduce((a, s) => a + (s.budget?.toDecideSeconds ?? 0), 0);
    expect(seconds).toBeGreaterThan(0);
    expect(md.split('\n')[1]).toBe(
      `### ⚠️ loadgate: 2 undecided: would need about ${roughTime(seconds, 'more')} to decide at a min effect of 3 %; 5 unchanged`,
    );
    expect(roughTime(seconds, 'more')).toMatch(/^\d+ more (second|minute)s?$/);
  });

  it('says what the budget bought in the method line, and why each is open in the table', () => {
    expect(md).toContain(
      '<summary>Method: rounds until decided within 5 min: 5 rounds, 4 min 12 s spent, α 0.01, min effect 3 %',
    );
    expect(md).toMatch(/<summary>5 scenarios unchanged: .*; 2 undecided<\/summary>/);
    expect(md).toMatch(
      /\| list-admins \|.*\| ⏳ undecided after 5 rounds, about \d+ more (minute|second)s? \|/,
    );
    expect(visibleLines(md).length).toBeLessThanOrEqual(30);
  });
});
