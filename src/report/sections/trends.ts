/**
 * Trends on main and its change points. Pure text.
 *
 * - `trendsSection`: per scenario that changed (a pull request), or every scenario (a run of
 *   main), a mermaid xychart-beta of the last runs of main (bars: each run's median of its trials)
 *   with this run's value as a flat line across (xychart has no single-point marker; a flat line
 *   compares it with every run at a glance), and the same numbers as a collapsed table that says
 *   which is which.
 * - `changePointsSection`: the change points of the history a refresh stores
 *   (judge/change-points.ts), new ones first, for the job summary of a run of main;
 *   `withChangePoints` puts it right under the report's title.
 */
import { median } from 'simple-statistics';
import { clip, escapeHtml, escapeMarkdown, escapeMermaid } from '../../format/escape.js';
import {
  formatMs,
  formatP,
  formatPercentChange,
  formatPp,
  formatRate,
  formatShare,
  formatUs,
  plural,
} from '../../format/numbers.js';
import {
  historySeries,
  type ChangePoint,
  type ChangePointOptions,
  type ChangePointReport,
  type SeriesPoint,
} from '../../judge/change-points.js';
import { changePointReport, changePointsOutput } from '../../judge/change-point-report.js';
import { valuesOf } from '../../judge/two-sample.js';
import type { Verdict } from '../../judge/types.js';
import type { History } from '../../result/history.js';
import { METRICS, type GatedMetric, type MetricInfo, type RunResult } from '../../result/types.js';
import { name, NAME_MAX, num3, table } from './cells.js';

/** Runs of main a trend shows (the newest). */
export const TREND_RUNS = 20;
/** Trend charts a capped report (the PR comment) shows at most; the rest are counted. */
export const MAX_TRENDS_CAPPED = 8;

export type TrendScope = 'changed' | 'all';

const METRIC_LABEL = (metric: GatedMetric) => METRICS[metric].label;

const AXIS_UNIT: Record<MetricInfo['unit'], string> = {
  ms: 'ms',
  'req/s': 'req/s',
  share: '%',
  µs: 'µs',
};

function formatMetric(metric: GatedMetric, v: number): string {
  const unit = METRICS[metric].unit;
  if (unit === 'req/s') return formatRate(v);
  if (unit === 'share') return formatShare(v);
  if (unit === 'µs') return formatUs(v);
  return formatMs(v);
}

/** The value as plotted: the error rate in percent, the rest as measured. */
const plotted = (metric: GatedMetric, v: number) =>
  METRICS[metric].unit === 'share' ? v * 100 : v;

const shortSha = (sha: string | null) => (sha ? sha.replace(/[^0-9a-fA-F]/g, '').slice(0, 7) : '');

/** A round top for the y axis: the first of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k ≥ `v`. */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Who "this" run is: the pull request it measured, or just this run. */
function subjectOf(current: RunResult): string {
  const pr = /^refs\/pull\/(\d+)\//.exec(current.git?.ref ?? '');
  return pr ? `this pull request (#${pr[1]})` : 'this run';
}

interface Trend {
  scenario: string;
  metric: GatedMetric;
  points: SeriesPoint[];
  current: number;
}

function trendOf(
  history: History,
  current: RunResult,
  scenario: string,
  metric: GatedMetric,
): Trend | undefined {
  const s = current.scenarios.find((x) => x.name === scenario);
  const values = s && s.failure === undefined ? valuesOf(s, metric) : undefined;
  if (!values || values.length === 0) return undefined;
  let points = historySeries(history, scenario, metric, current.config.profile);
  // The history may already hold this very run (appended before rendering): not twice.
  const last = points[points.length - 1];
  if (last && last.startedAt === current.startedAt && last.commit === (current.git?.sha ?? null)) {
    points = points.slice(0, -1);
  }
  if (points.length < 2) return undefined;
  return { scenario, metric, points: points.slice(-TREND_RUNS), current: median(values) };
}

/** Bars in a light blue, the line in red: told apart without a legend (xychart has none). */
const CHART_INIT =
  '%%{init: {"xyChart": {"width": 640, "height": 300}, "themeVariables": {"xyChart": {"plotColorPalette": "#8cb4e0, #cf222e"}}}}%%';

/** The mermaid chart: bars for main's runs (numbered as in the table), a flat line at this run's value. */
export function trendChart(t: Trend, subject: string): string {
  const unit = AXIS_UNIT[METRICS[t.metric].unit];
  const bars = t.points.map((p) => plotted(t.metric, p.median));
  const mark = plotted(t.metric, t.current);
  const top = niceCeiling(Math.max(...bars, mark) * 1.1);
  const who = subject.replace(/ \(#\d+\)$/, '');
  const title = `${t.scenario} ${METRIC_LABEL(t.metric)}: runs of main (bars) vs ${who} (line)`;
  return [
    '```mermaid',
    CHART_INIT,
    'xychart-beta',
    `  title "${escapeMermaid(title)}"`,
    `  x-axis "run of main" [${t.points.map((_, i) => `"${i + 1}"`).join(', ')}]`,
    `  y-axis "${unit}" 0 --> ${num3(top)}`,
    `  bar [${bars.map(num3).join(', ')}]`,
    `  line [${bars.map(() => num3(mark)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** The same numbers as a table, saying which is which. */
export function trendTable(t: Trend, subject: string): string {
  const label = METRIC_LABEL(t.metric);
  const rows = t.points.map((p, i) => [
    String(i + 1),
    shortSha(p.commit) ? `\`${shortSha(p.commit)}\`` : '–',
    p.startedAt.slice(0, 16).replace('T', ' '),
    formatMetric(t.metric, p.median),
    String(p.trials),
  ]);
  rows.push([
    '**line**',
    escapeMarkdown(subject),
    '',
    `**${formatMetric(t.metric, t.current)}**`,
    '',
  ]);
  return table(
    [['bar', 'commit (main)', 'started (UTC)', `median ${label}`, 'trials'], ...rows],
    ['r', 'l', 'l', 'r', 'r'],
  );
}

function trendBlock(t: Trend, subject: string): string {
  const label = METRIC_LABEL(t.metric);
  const caption =
    `<sub>Bars: the median ${label} of each of main's last ${plural(t.points.length, 'run')}, oldest first; ` +
    `the line: ${escapeHtml(subject)}, ${formatMetric(t.metric, t.current)}, drawn flat across to compare with every run.</sub>`;
  const summary = `${clip(t.scenario, NAME_MAX)} ${label}: the same numbers as a table`;
  return [
    `##### ${name(t.scenario)}: ${label}`,
    trendChart(t, subject),
    caption,
    `<details><summary>${escapeHtml(summary)}</summary>\n\n${trendTable(t, subject)}\n\n</details>`,
  ].join('\n\n');
}

/** Which (scenario, metric) pairs to show: the changed ones, or p95 of every scenario too. */
function pairsOf(verdict: Verdict, current: RunResult, scope: TrendScope) {
  const pairs: { scenario: string; metric: GatedMetric }[] = [];
  const seen = new Set<string>();
  const add = (scenario: string, metric: GatedMetric) => {
    const key = `${scenario}\u0000${metric}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push({ scenario, metric });
  };
  const changed = (scenario: string) =>
    verdict.scenarios
      .find((s) => s.name === scenario)
      ?.comparisons.filter((c) => c.outcome === 'regression' || c.outcome === 'improvement')
      .map((c) => c.metric) ?? [];
  for (const s of current.scenarios) {
    if (scope === 'all') add(s.name, 'p95');
    for (const metric of changed(s.name)) add(s.name, metric);
  }
  return pairs;
}

/**
 * The trend section: for `scope` 'changed' the scenarios × metrics that regressed or improved,
 * for 'all' (a run of main) also every scenario's p95. `maxCharts` caps the charts shown (the
 * rest are counted, naming `fullReportHint`). Empty without history or without any trend to show.
 */
export function trendsSection(
  verdict: Verdict,
  current: RunResult,
  history: History | undefined,
  scope: TrendScope,
  maxCharts = Number.POSITIVE_INFINITY,
  /** Where the full report is, named when charts are left out. */
  fullReportHint = 'the job summary',
): string {
  if (!history || history.runs.length === 0) return '';
  const subject = subjectOf(current);
  const trends = pairsOf(verdict, current, scope)
    .map((p) => trendOf(history, current, p.scenario, p.metric))
    .filter((t): t is Trend => t !== undefined);
  if (trends.length === 0) return '';
  const shown = trends.slice(0, maxCharts);
  const parts = ['#### Trend on main', ...shown.map((t) => trendBlock(t, subject))];
  const more = trends.length - shown.length;
  if (more > 0) {
    parts.push(`<sub>${plural(more, 'more trend')} in ${escapeHtml(fullReportHint)}.</sub>`);
  }
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------- change points on main

export interface ChangePointsSectionOptions {
  /** e.g. https://github.com/owner/repo: commits and pull requests become links. */
  repositoryUrl?: string;
}

function commitLink(sha: string | null, repo: string | undefined): string {
  const short = shortSha(sha);
  if (!short) return '(unknown)';
  const clean = (sha ?? '').replace(/[^0-9a-fA-F]/g, '');
  return repo ? `[\`${short}\`](${repo}/commit/${clean})` : `\`${short}\``;
}

/** The commit range a step started in: after `from`, up to and including `to`. */
export function rangeText(cp: ChangePoint, repo?: string): string {
  const { from, to } = cp.commits;
  const clean = (s: string | null) => (s ?? '').replace(/[^0-9a-fA-F]/g, '');
  if (repo && clean(from) && clean(to)) {
    return `[\`${shortSha(from)}…${shortSha(to)}\`](${repo}/compare/${clean(from)}...${clean(to)})`;
  }
  return from
    ? `after ${commitLink(from, repo)}, up to ${commitLink(to, repo)}`
    : commitLink(to, repo);
}

function changeOf(cp: ChangePoint): string {
  return cp.unit === 'pp' ? formatPp(cp.change) : formatPercentChange(cp.change);
}

function levelText(cp: ChangePoint): string {
  return `${formatMetric(cp.metric, cp.before.median)} → ${formatMetric(cp.metric, cp.after.median)}`;
}

function statusOf(cp: ChangePoint & { isNew?: boolean }, repo?: string): string {
  const fresh = cp.isNew ? '🆕 ' : '';
  if (cp.expected) {
    const pr =
      cp.expected.pullRequest === undefined
        ? ''
        : repo
          ? ` in [#${cp.expected.pullRequest}](${repo}/pull/${cp.expected.pullRequest})`
          : ` in #${cp.expected.pullRequest}`;
    return `${fresh}☑️ expected: label \`${escapeMarkdown(cp.expected.label).replace(/`/g, '')}\`${pr}`;
  }
  const icon = cp.direction === 'regression' ? '❌' : '✨';
  const explained = cp.coincides.length > 0 ? ' (see below)' : '';
  return `${fresh}${icon} ${cp.direction}${explained}`;
}

/**
 * The change points a refresh found (judge/change-points.ts changePointReport), new ones first,
 * with the method in one line; or that the history is still too short to search.
 */
export function changePointsSection(
  report: ChangePointReport,
  options: ChangePointsSectionOptions = {},
): string {
  const repo = options.repositoryUrl?.replace(/\/+$/, '');
  const o = report.options;
  const method =
    `<sub>E-Divisive means on each run's median (log scale; error rate in pp) over ${plural(report.profileRuns, 'run')} of main, ` +
    `permutation test at α = ${o.alpha} over ${plural(report.series, 'series', 'series')} (Bonferroni), ` +
    `at least ${o.minSegment} runs each side, steps of at least ${num3(o.minEffect * 100)} %; seed ${o.seed}.</sub>`;
  if (report.series === 0 && report.profileRuns < 2 * o.minSegment) {
    return `#### Change points on main\n\nNot searched yet: a series needs ${2 * o.minSegment} runs of main (${plural(report.profileRuns, 'run')} so far).`;
  }
  const list = [...report.changePoints].sort(
    (a, b) => Number(b.isNew) - Number(a.isNew) || b.run - a.run,
  );
  if (list.length === 0) {
    return `#### Change points on main\n\nNo step over the last ${plural(report.profileRuns, 'run')} of main.\n\n${method}`;
  }
  const fresh = list.filter((c) => c.isNew).length;
  const lead =
    fresh > 0
      ? `**${plural(fresh, 'new change point')}** found by this run${list.length > fresh ? `, ${list.length - fresh} known before` : ''}.`
      : `No new change point; ${plural(list.length, 'step')} known before.`;
  const rows = list.map((cp) => [
    statusOf(cp, repo),
    name(cp.scenario),
    METRIC_LABEL(cp.metric),
    `**${changeOf(cp)}**`,
    levelText(cp),
    rangeText(cp, repo),
    cp.startedAt.slice(0, 10),
    formatP(cp.pValue),
  ]);
  const notes = list
    .filter((cp) => cp.coincides.length > 0)
    .map(
      (cp) =>
        `- ${name(cp.scenario)} ${METRIC_LABEL(cp.metric)}: ${cp.coincides.map(escapeMarkdown).join('; ')}.`,
    );
  return [
    '#### Change points on main',
    lead,
    table(
      [
        ['', 'scenario', 'metric', 'step', 'median before → after', 'started in', 'since', 'p'],
        ...rows,
      ],
      ['l', 'l', 'l', 'r', 'l', 'l', 'l', 'r'],
    ),
    ...(notes.length > 0
      ? [`Coinciding with other changes (likely not the code):\n\n${notes.join('\n')}`]
      : []),
    method,
  ].join('\n\n');
}

/**
 * The report with `section` after its title and context line (the first two blocks), where a
 * reader of a run of main looks first.
 */
export function withChangePoints(report: string, section: string): string {
  if (!section) return report;
  const blocks = report.split('\n\n');
  if (blocks.length < 3) return `${report.replace(/\n+$/, '')}\n\n${section}\n`;
  return [...blocks.slice(0, 2), section, ...blocks.slice(2)].join('\n\n');
}

export interface ChangePointsOnMain {
  report: ChangePointReport;
  /** The section for the job summary (withChangePoints). */
  markdown: string;
  /** The action's `change-points` output (judge/change-points.ts changePointsOutput). */
  output: string;
  /** One line for the log when there is something new, else undefined. */
  headline?: string;
}

/**
 * A refresh's change points, ready to publish: `stored` the history it stores (its run appended),
 * `previous` the history as it loaded it (or how many runs it appended).
 */
export function changePointsOnMain(
  stored: History,
  previous: History | number,
  options: ChangePointOptions = {},
  section: ChangePointsSectionOptions = {},
): ChangePointsOnMain {
  const report = changePointReport(stored, previous, options);
  const output = changePointsOutput(report);
  const fresh = report.changePoints.filter((c) => c.isNew);
  const headline =
    fresh.length === 0
      ? undefined
      : `${plural(fresh.length, 'new change point')} on the default branch: ${fresh
          .map(
            (c) =>
              `${c.scenario} ${METRIC_LABEL(c.metric)} ${changeOf(c)} (${c.expected ? 'expected' : c.direction}, since ${shortSha(c.commits.to) || 'an unknown commit'})`,
          )
          .join('; ')}`;
  return {
    report,
    markdown: changePointsSection(report, section),
    output,
    ...(headline === undefined ? {} : { headline }),
  };
}
