import { describe, expect, it } from 'vitest';
import { changePointReport } from '../../../src/judge/change-point-report.js';
import { judge } from '../../../src/judge/judge.js';
import type { FailOn, JudgeOptions } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import {
  changePointsOnMain,
  changePointsSection,
  MAX_TRENDS_CAPPED,
  niceCeiling,
  TREND_RUNS,
  trendsSection,
  withChangePoints,
} from '../../../src/report/sections/trends.js';
import type { History } from '../../../src/result/history.js';
import { buildRun, noisy, type ScenarioSpec } from '../helpers/results.js';
import { flat, sha, stepAt, syntheticHistory } from '../judge/change-point-fixtures.js';

const opts: JudgeOptions = {
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
};

const spec = (name: string, p95: number, seed: number): ScenarioSpec => ({
  name,
  p95: noisy(p95, 10, 0.03, seed),
  p99: noisy(p95 * 1.6, 10, 0.03, seed + 1),
  throughput: noisy(1000, 10, 0.03, seed + 2),
});

const PR = { sha: 'fedcba9876543210fedcba9876543210fedcba98', ref: 'refs/pull/7/merge' };

/** `search` regresses by ~30 % on this pull request; `list` does not move. */
function prCase(searchName = 'search') {
  const base = buildRun([spec('list', 20, 1), spec(searchName, 40, 2)]);
  const cur = buildRun([spec('list', 20, 11), spec(searchName, 52, 12)], PR);
  const history = syntheticHistory({
    runs: 30,
    scenarios: {
      list: { p95: flat(20), p99: flat(32), throughput: flat(1000) },
      [searchName]: { p95: flat(40), p99: flat(64), throughput: flat(1000) },
    },
    seed: 4,
    extra: () => ({ profile: 'pr' }),
  });
  return { base, cur, verdict: judge(base, cur, opts), history };
}

/** The numbers inside the chart's `bar [...]` and `line [...]`. */
function series(chart: string, kind: 'bar' | 'line'): number[] {
  const m = new RegExp(`^  ${kind} \\[(.*)\\]$`, 'm').exec(chart);
  return (m?.[1] ?? '').split(', ').map(Number);
}

describe('trendsSection (pull request)', () => {
  const { cur, verdict, history } = prCase();
  const md = trendsSection(verdict, cur, history, 'changed');

  it('shows the changed scenario and metrics only, with the last runs of main as bars', () => {
    expect(md).toMatch(/^#### Trend on main/);
    expect(md).toContain('##### search: p95');
    expect(md).toContain('##### search: p99');
    expect(md).not.toContain('##### list');
    expect(md).toContain('xychart-beta');
    const bars = series(md, 'bar');
    expect(bars).toHaveLength(TREND_RUNS);
  });

  it('marks the pull request’s value as a flat line, and says which is which', () => {
    const line = series(md, 'line');
    const pr = verdict.scenarios
      .find((s) => s.name === 'search')
      ?.comparisons.find((c) => c.metric === 'p95')?.current.median as number;
    expect(new Set(line).size).toBe(1);
    expect(line[0]).toBeCloseTo(pr, 1);
    expect(md).toContain('title "search p95: runs of main (bars) vs this pull request (line)"');
    expect(md).toMatch(/the line: this pull request \(#7\), \d+\.\d ms, drawn flat across/);
    // The table fallback names the line's row.
    expect(md).toMatch(
      /^\| \*\*line\*\* \| this pull request \(#7\) \| \| \*\*\d+\.\d ms\*\* \| \|$/m,
    );
  });

  it('has a table fallback with the same numbers as the chart, oldest first', () => {
    const block = md.slice(md.indexOf('##### search: p95'), md.indexOf('##### search: p99'));
    const bars = series(block, 'bar');
    const rows = [
      ...block.matchAll(/^\| (\d+) \| `([0-9a-f]{7})` \| [^|]+ \| ([\d.]+) ms \| 5 \|$/gm),
    ];
    expect(rows.map((r) => Number(r[1]))).toEqual(bars.map((_, i) => i + 1));
    rows.forEach((r, i) => expect(Number(r[3])).toBeCloseTo(bars[i] as number, 1));
    // The newest of the 30 runs last: commits of runs 10..29.
    expect(rows.map((r) => r[2])).toEqual(
      Array.from({ length: TREND_RUNS }, (_, i) => sha(30 - TREND_RUNS + i).slice(0, 7)),
    );
    expect(block).toContain('x-axis "run of main" ["1", "2"');
  });

  it('starts the y axis at zero and ends it on a round number above every value', () => {
    const axis = /y-axis "ms" 0 --> ([\d.]+)/.exec(md);
    const top = Number(axis?.[1]);
    expect(Math.max(...series(md, 'bar'), ...series(md, 'line'))).toBeLessThan(top);
    expect(niceCeiling(57.3)).toBe(60);
    expect(niceCeiling(0.83)).toBe(1);
    expect(niceCeiling(101)).toBe(120);
    expect(niceCeiling(0)).toBe(1);
  });

  it('is empty without a history, or with fewer than two runs of the profile', () => {
    expect(trendsSection(verdict, cur, undefined, 'changed')).toBe('');
    expect(
      trendsSection(verdict, cur, { ...history, runs: history.runs.slice(0, 1) }, 'changed'),
    ).toBe('');
    const other: History = {
      ...history,
      runs: history.runs.map((r) => ({ ...r, profile: 'full' })),
    };
    expect(trendsSection(verdict, cur, other, 'changed')).toBe('');
  });

  it('never counts this run twice when the history already holds it', () => {
    const withThis: History = {
      ...history,
      runs: [
        ...history.runs,
        {
          ...(history.runs[29] as History['runs'][number]),
          commit: cur.git?.sha ?? null,
          startedAt: cur.startedAt,
        },
      ],
    };
    expect(trendsSection(verdict, cur, withThis, 'changed')).toBe(md);
  });
});

describe('trendsSection (a run of main: every scenario)', () => {
  it('shows the p95 trend of every scenario, with "this run" as the line', () => {
    const { base, history } = prCase();
    const main = buildRun([spec('list', 20, 21), spec('search', 40, 22)], {
      sha: sha(40),
      ref: 'refs/heads/main',
    });
    const md = trendsSection(judge(base, main, opts), main, history, 'all');
    expect(md).toContain('##### list: p95');
    expect(md).toContain('##### search: p95');
    expect(md).toContain('vs this run (line)');
    expect(md).toContain('| **line** | this run |');
  });
});

describe('escaping', () => {
  it('keeps hostile scenario names from breaking the markdown or the chart', () => {
    const evil = 'x|y <!-- loadgate:hijack --> `rm` @octocat\n"quote"';
    const { cur, verdict, history } = prCase(evil);
    const md = trendsSection(verdict, cur, history, 'changed');
    expect(md).not.toContain('<!--');
    expect(md).not.toContain('@octocat');
    expect(md).toContain(
      '##### x\\|y &lt;!-- loadgate:hijack --&gt; \\`rm\\` &#64;octocat "quote": p95',
    );
    // The mermaid title: plain characters only, no quote that could end the string.
    const title = /^ {2}title "(.*)"$/m.exec(md)?.[1] ?? '';
    expect(title).not.toMatch(/["`|<>@]/);
    expect(title).toContain('x y -- loadgate:hijack -- rm octocat quote p95');
    expect(md).toContain(
      '<summary>x|y &lt;!-- loadgate:hijack --&gt; `rm` &#64;octocat &quot;quote&quot; p95',
    );
  });
});

describe('renderMarkdown with a history', () => {
  it('collapses the trend after the SLA and keeps the comment within its cap', () => {
    const { base, cur, verdict, history } = prCase();
    const md = renderMarkdown(verdict, cur, base, { history });
    const trend = md.indexOf('<details><summary>Trend on main</summary>\n\n#### Trend on main');
    expect(trend).toBeGreaterThan(md.indexOf('<summary>SLA: '));
    expect(trend).toBeLessThan(md.indexOf('<summary>Resources'));
    expect(md).toContain('##### search: p95');
    // A tight cap drops the trends (after raw trials and charts) and says so.
    const full = md.length;
    const capped = renderMarkdown(verdict, cur, base, { history, maxChars: full - 200 });
    expect(capped.length).toBeLessThanOrEqual(full - 200);
    const tiny = renderMarkdown(verdict, cur, base, { history, maxChars: 6_000 });
    expect(tiny.length).toBeLessThanOrEqual(6_000);
    expect(tiny).toMatch(/Trimmed to fit: raw trials, charts, trends on main/);
    expect(tiny).not.toContain('#### Trend on main');
  });

  it('shows at most a few trends in the comment and all in the full report', () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const base = buildRun(names.map((n, i) => spec(n, 20, 100 + i)));
    const cur = buildRun(
      names.map((n, i) => spec(n, 30, 200 + i)),
      PR,
    );
    const history = syntheticHistory({
      runs: 10,
      scenarios: Object.fromEntries(
        names.map((n) => [n, { p95: flat(20), p99: flat(32), throughput: flat(1000) }]),
      ),
      extra: () => ({ profile: 'pr' }),
    });
    const verdict = judge(base, cur, opts);
    const comment = renderMarkdown(verdict, cur, base, { history, layout: 'comment' });
    expect(comment.match(/^##### s\d+: /gm)).toHaveLength(MAX_TRENDS_CAPPED);
    expect(comment).toMatch(/\d+ more trends in the job summary \/ report artifact/);
    const full = renderMarkdown(verdict, cur, base, { history, maxChars: 400_000 });
    expect((full.match(/^##### s\d+: /gm) ?? []).length).toBeGreaterThan(MAX_TRENDS_CAPPED);
    expect(comment.length).toBeLessThanOrEqual(60_000);
  });
});

describe('changePointsSection', () => {
  // `list|all` steps at run 20 and the history ends at run 22: found by this refresh.
  const history = syntheticHistory({
    runs: 23,
    scenarios: {
      'list|all': { p95: stepAt(20, 20, 24) },
      search: { p95: stepAt(10, 40, 30) },
      create: { p95: stepAt(16, 40, 50) },
    },
    seed: 6,
    extra: (i) =>
      i === 16 ? { accepted: { label: 'perf-ok', pullRequest: 42, scenarios: ['create'] } } : {},
  });
  const report = changePointReport(history, 1);

  it('lists new steps first, with their range, levels and p-value', () => {
    const md = changePointsSection(report, { repositoryUrl: 'https://github.com/acme/app/' });
    expect(md).toMatch(
      /^#### Change points on main\n\n\*\*1 new change point\*\* found by this run, 2 known before\./,
    );
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| :'));
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(
      /^\| 🆕 ❌ regression \| list\\\|all \| p95 \| \*\*\+\d+\.\d %\*\* \| \d+\.\d ms → \d+\.\d ms \|/,
    );
    expect(rows[1]).toContain(
      `[\`${sha(19).slice(0, 7)}…${sha(20).slice(0, 7)}\`](https://github.com/acme/app/compare/${sha(19)}...${sha(20)})`,
    );
    expect(md).toContain(
      '☑️ expected: label `perf-ok` in [#42](https://github.com/acme/app/pull/42)',
    );
    expect(md).toContain('✨ improvement');
    expect(md).toContain(
      'permutation test at α = 0.05 over 3 series (Bonferroni), at least 4 runs each side, steps of at least 10 %',
    );
  });

  it('names commits without links when the repository is unknown', () => {
    const md = changePointsSection(report);
    expect(md).toContain(`after \`${sha(19).slice(0, 7)}\`, up to \`${sha(20).slice(0, 7)}\``);
    expect(md).toContain('label `perf-ok` in #42');
  });

  it('says when there is nothing, or not enough history yet', () => {
    const flatHistory = syntheticHistory({ runs: 12, scenarios: { a: { p95: flat(20) } } });
    expect(changePointsSection(changePointReport(flatHistory, 1))).toMatch(
      /No step over the last 12 runs of main\./,
    );
    const zeros = syntheticHistory({ runs: 10, scenarios: { a: { errorRate: flat(0) } } });
    expect(changePointsSection(changePointReport(zeros, 1))).toMatch(
      /No step over the last 10 runs/,
    );
    const short = syntheticHistory({ runs: 5, scenarios: { a: { p95: flat(20) } } });
    expect(changePointsSection(changePointReport(short, 1))).toContain(
      'Not searched yet: a series needs 8 runs of main (5 runs so far).',
    );
  });

  it('explains steps that coincide with a configuration change', () => {
    const h = syntheticHistory({
      runs: 30,
      scenarios: { a: { p95: stepAt(20, 20, 24) } },
      seed: 7,
      extra: (i) => (i >= 20 ? { configHash: 'cfg2' } : {}),
    });
    const md = changePointsSection(changePointReport(h, 1));
    expect(md).toContain('❌ regression (see below)');
    expect(md).toContain(
      '- a p95: the configuration changed there (config hash cfg000000001 → cfg2).',
    );
  });
});

describe('changePointsOnMain and withChangePoints', () => {
  it('gives the summary section, the output and a headline for the log', () => {
    const h = syntheticHistory({
      runs: 23,
      scenarios: { list: { p95: stepAt(20, 20, 24) } },
      seed: 3,
    });
    const previous: History = { ...h, runs: h.runs.slice(0, 22) };
    const out = changePointsOnMain(h, previous);
    expect(out.headline).toMatch(
      /^1 new change point on the default branch: list p95 \+\d+\.\d % \(regression, since 0000015\)$/,
    );
    expect(JSON.parse(out.output)).toHaveLength(1);
    expect(out.markdown).toContain('🆕 ❌ regression');
    const later = changePointsOnMain(h, h);
    expect(later.headline).toBeUndefined();
    expect(later.output).toBe('');
  });

  it('puts the section after the title and the context line', () => {
    const report = '<!-- loadgate:x -->\n### ✅ title\n\ncontext line\n\n| Scenario |\n| :- |\n';
    expect(withChangePoints(report, '#### CP')).toBe(
      '<!-- loadgate:x -->\n### ✅ title\n\ncontext line\n\n#### CP\n\n| Scenario |\n| :- |\n',
    );
    expect(withChangePoints(report, '')).toBe(report);
    expect(withChangePoints('just a title\n', '#### CP')).toBe('just a title\n\n#### CP\n');
  });
});
