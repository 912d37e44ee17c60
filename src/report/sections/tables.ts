/**
 * The report's tables: one row per scenario (medians and the p95 change), the SLA checks, and
 * the service's resources. Pure text.
 */
import { escapeMarkdown } from '../../format/escape.js';
import {
  formatMb,
  formatMs,
  formatP,
  formatPercent,
  formatPercentChange,
  formatRate,
  formatShare,
  formatUnit,
  plural,
} from '../../format/numbers.js';
import { changeText } from '../../judge/compare.js';
import { MACHINES_DIFFER } from '../../judge/machine.js';
import { GENERATOR_SATURATED_PAIRS, testedInRounds } from '../../judge/paired.js';
import { SUSPECT_NOT_COUNTED } from '../../judge/suspicion.js';
import type { MetricComparison, ScenarioVerdict, Verdict } from '../../judge/types.js';
import type { RunResult } from '../../result/types.js';
import { name, table } from './cells.js';

function comparisonOf(s: ScenarioVerdict, metric: MetricComparison['metric']) {
  return s.comparisons.find((c) => c.metric === metric);
}

function scenarioIcon(s: ScenarioVerdict): string {
  const regressed = s.comparisons.filter((c) => c.outcome === 'regression').map((c) => c.metric);
  const improved = s.comparisons.filter((c) => c.outcome === 'improvement').map((c) => c.metric);
  const parts: string[] = [];
  if (s.status === 'failed') return '❌ failed';
  if (regressed.length > 0) parts.push(`❌ ${regressed.join(', ')}`);
  if (s.slaBreached) parts.push('❌ SLA');
  if (parts.length > 0) return parts.join(' ');
  switch (s.status) {
    case 'improvement':
      return `✨ ${improved.join(', ')}`;
    case 'inconclusive':
      return `⚠️ ${inconclusiveWhy(s)}`;
    case 'new':
      return '🆕 new';
    case 'removed':
      return '🗑️ removed';
    default:
      if (s.suspect) return '⚠️ measurement suspect';
      return s.generatorSaturated ? '⚠️ generator saturated' : '✅';
  }
}

/** Why a scenario's tests were not decided, in a few words for its table cell. */
function inconclusiveWhy(s: ScenarioVerdict): string {
  const reasons = s.comparisons.filter((c) => c.outcome === 'inconclusive').map((c) => c.reason);
  if (reasons.some((r) => r === GENERATOR_SATURATED_PAIRS)) return 'generator saturated';
  if (reasons.some((r) => r.endsWith(MACHINES_DIFFER))) return 'machines differ';
  if (reasons.some((r) => r.endsWith(SUSPECT_NOT_COUNTED))) return 'measurement suspect';
  return 'too few trials';
}

function changeCell(s: ScenarioVerdict): string {
  if (s.status === 'new') return 'new';
  if (s.status === 'removed') return 'removed';
  const c = comparisonOf(s, 'p95');
  if (!c) return '–';
  return changeText(c);
}

/** What the p95 test of this run could have detected ("≥ +4.2 %"), or why not. */
export function detectableText(c: MetricComparison | undefined): string {
  if (!c || !c.test) return '–';
  if (c.detectable === undefined) return '–';
  if (c.detectable === null) return 'nothing (too few trials)';
  return `≥ ${formatPercentChange(c.detectable)}`;
}

function scenarioRow(s: ScenarioVerdict): string[] {
  const m = s.current ?? (s.status === 'removed' ? s.baseline : null);
  const c = comparisonOf(s, 'p95');
  return [
    name(s.name),
    formatMs(m?.p50),
    formatMs(m?.p95),
    formatMs(m?.p99),
    formatRate(m?.throughput, false),
    formatShare(m?.errorRate),
    changeCell(s),
    formatP(c?.pAdjusted),
    detectableText(c),
    scenarioIcon(s),
  ];
}

function scenarioHeader(v: Verdict): string[] {
  const change = v.mode === 'paired' ? 'p95 head ÷ base' : 'p95 vs baseline';
  return ['Scenario', 'p50', 'p95', 'p99', 'req/s', 'errors', change, 'adj. p', 'could detect', ''];
}
const SCENARIO_ALIGN = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'];

const SCENARIO_NOTE = {
  rounds:
    "Head's medians across trials. Change: geometric mean of p95 head ÷ base over the rounds (both services restarted between them), with its 95 % interval; adj. p: Holm-adjusted one-sided Student t over the rounds' means of the per-pair log ratios.",
  paired:
    "Head's medians across trials. Change: Hodges-Lehmann estimate of p95 head ÷ base over the pairs of trials, with its 95 % interval; adj. p: Holm-adjusted one-sided Wilcoxon signed-rank test on the per-pair log ratios.",
  stored:
    'Medians across trials. Change: Hodges-Lehmann estimate of p95 current ÷ baseline with its 95 % interval; adj. p: Holm-adjusted one-sided Mann-Whitney U on trial values.',
  history:
    "Medians across trials. Change: this run's median p95 ÷ the geometric mean of the default branch's recent runs, with its 95 % prediction interval; adj. p: Holm-adjusted one-sided Student t prediction test against those runs (run-to-run spread included).",
};
const DETECT_NOTE =
  'Could detect: the smallest p95 slowdown this run would flag with 80 % power at the spread it measured (α split over all its tests).';

export function scenarioTable(v: Verdict, rows: ScenarioVerdict[], omitted: number): string {
  const body = table([scenarioHeader(v), ...rows.map(scenarioRow)], SCENARIO_ALIGN);
  const design =
    v.mode === 'paired'
      ? testedInRounds(rows.map((r) => r.comparisons))
        ? 'rounds'
        : 'paired'
      : v.history && v.history.used > 0
        ? 'history'
        : 'stored';
  const note = `${SCENARIO_NOTE[design]} ${DETECT_NOTE}`;
  const more =
    omitted > 0 ? `\n\n${plural(omitted, 'more scenario')} with nothing to report not shown.` : '';
  return v.scenarios.length === 0 ? '_No scenarios._' : `${body}\n\n<sub>${note}</sub>${more}`;
}

export function hasNews(s: ScenarioVerdict): boolean {
  return s.status !== 'unchanged' && s.status !== 'not-compared' ? true : s.slaBreached;
}

// ---------------------------------------------------------------- SLA and resources

/** Beyond this many rows, the visible SLA table lists the failing checks; all are collapsed below. */
const SLA_VISIBLE_ROWS = 20;

export function slaTable(v: Verdict, failingOnly: boolean): string {
  const all: { failing: boolean; row: string[] }[] = [];
  // Checks with nothing to measure (no postgres-url, say) get one line, not a row per scenario.
  const unmeasured = new Set<string>();
  for (const s of v.scenarios) {
    for (const c of s.sla) {
      if (c.status !== 'pass' && c.status !== 'fail') {
        unmeasured.add(c.label);
        continue;
      }
      const icon = c.status === 'pass' ? '✅' : `❌ ${c.severity ?? ''}`.trim();
      all.push({
        failing: c.status === 'fail',
        row: [
          name(s.name),
          escapeMarkdown(c.label),
          `${c.bound === 'max' ? '≤' : '≥'} ${formatUnit(c.threshold, c.unit)}`,
          `${formatUnit(c.measured, c.unit)} <sub>${escapeMarkdown(c.basis)}</sub>`,
          formatPercentChange(c.margin),
          icon,
        ],
      });
    }
  }
  const notMeasured =
    unmeasured.size === 0
      ? []
      : [`<sub>Not measured: ${[...unmeasured].map(escapeMarkdown).join(', ')}.</sub>`];
  if (all.length === 0)
    return notMeasured.length === 0 ? '' : ['#### SLA', ...notMeasured].join('\n\n');
  const header = ['Scenario', 'Check', 'Threshold', 'Measured', 'Margin', ''];
  const align = ['l', 'l', 'r', 'r', 'r', 'l'];
  const failing = all.filter((r) => r.failing).map((r) => r.row);
  const parts = ['#### SLA'];
  if (!failingOnly && all.length <= SLA_VISIBLE_ROWS) {
    parts.push(table([header, ...all.map((r) => r.row)], align), ...notMeasured);
    return parts.join('\n\n');
  }
  if (failing.length > 0) parts.push(table([header, ...failing], align));
  else parts.push(`All ${plural(all.length, 'check')} pass.`);
  if (failingOnly) {
    if (all.length > failing.length)
      parts.push(`${plural(all.length - failing.length, 'other check')} not shown.`);
  } else {
    parts.push(
      `<details><summary>All ${plural(all.length, 'SLA check')}</summary>\n\n${table([header, ...all.map((r) => r.row)], align)}\n\n</details>`,
    );
  }
  parts.push(...notMeasured);
  return parts.join('\n\n');
}

export function resourcesTable(current: RunResult): string {
  const cores = Math.max(1, current.environment.cores);
  const rows = current.scenarios
    .filter((s) => s.resources.samples > 0)
    .map((s) => [
      name(s.name),
      formatPercent(s.resources.cpuPercentMean / cores),
      formatPercent(s.resources.cpuPercentPeak / cores),
      formatMb(s.resources.rssBytesPeak / 1024 ** 2),
      s.resources.pgConnectionsPeak === undefined ? '–' : String(s.resources.pgConnectionsPeak),
      s.resources.redisUsedBytesPeak === undefined
        ? '–'
        : formatMb(s.resources.redisUsedBytesPeak / 1024 ** 2),
    ]);
  if (rows.length === 0) return '';
  return [
    '#### Resources',
    table(
      [
        [
          'Scenario',
          `CPU mean (% of ${cores} cores)`,
          'CPU peak',
          'RSS peak',
          'PG connections peak',
          'Redis peak',
        ],
        ...rows,
      ],
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n\n');
}
