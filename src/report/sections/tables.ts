/**
 * The SLA checks and the service's resources, each collapsed: the SLA in one row per scenario
 * (the comment) or one row per check (the full report), and the resources of the head. Pure text.
 */
import { escapeMarkdown } from '../../format/escape.js';
import {
  formatMb,
  formatPercent,
  formatPercentChange,
  formatUnit,
  plural,
} from '../../format/numbers.js';
import type { SlaCheck, Verdict } from '../../judge/types.js';
import type { RunResult } from '../../result/types.js';
import { name, table } from './cells.js';

interface SlaRow {
  failing: boolean;
  cells: string[];
}

/** Every measured check as a row; the checks with nothing to measure, once by name. */
function slaRows(v: Verdict): { rows: SlaRow[]; unmeasured: string[] } {
  const rows: SlaRow[] = [];
  // Checks with nothing to measure (no postgres-url, say) get one line, not a row per scenario.
  const unmeasured = new Set<string>();
  for (const s of v.scenarios) {
    for (const c of s.sla) {
      if (c.status !== 'pass' && c.status !== 'fail') {
        unmeasured.add(c.label);
        continue;
      }
      const icon = c.status === 'pass' ? '✅' : `❌ ${c.severity ?? ''}`.trim();
      rows.push({
        failing: c.status === 'fail',
        cells: [
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
  return { rows, unmeasured: [...unmeasured] };
}

/** How the measured value stands to the threshold: within it (≤, ≥) or beyond it (>, <). */
function relation(c: SlaCheck): string {
  if (c.status === 'pass') return c.bound === 'max' ? '≤' : '≥';
  return c.bound === 'max' ? '>' : '<';
}

/** One row per scenario: each check in a few characters ("✅ p95 4.2 ms ≤ 500 ms"). */
function compactSlaTable(v: Verdict): string {
  const rows = v.scenarios
    .map((s) => {
      const checks = s.sla
        .filter((c) => c.status === 'pass' || c.status === 'fail')
        .map(
          (c) =>
            `${c.status === 'pass' ? '✅' : '❌'} ${escapeMarkdown(c.label)} ${formatUnit(c.measured, c.unit)} ${relation(c)} ${formatUnit(c.threshold, c.unit)}`,
        );
      return checks.length === 0 ? undefined : [name(s.name), checks.join(' · ')];
    })
    .filter((r): r is string[] => r !== undefined);
  return rows.length === 0 ? '' : table([['Scenario', 'Checks'], ...rows], ['l', 'l']);
}

/**
 * The SLA checks, collapsed under a summary that counts them ("SLA: all 21 checks pass"): a
 * compact row per scenario (`full` false: the comment) or a row per check, failing ones first.
 * `failingOnly`: the failing rows alone (a report trimmed to fit).
 */
export function slaSection(v: Verdict, full: boolean, failingOnly = false): string {
  const { rows, unmeasured } = slaRows(v);
  const notMeasured =
    unmeasured.length === 0
      ? ''
      : `<sub>Not measured: ${unmeasured.map(escapeMarkdown).join(', ')}.</sub>`;
  if (rows.length === 0) {
    return notMeasured === ''
      ? ''
      : `<details><summary>SLA: nothing measured</summary>\n\n${notMeasured}\n\n</details>`;
  }
  const failing = rows.filter((r) => r.failing);
  const summary =
    failing.length === 0
      ? `SLA: ${rows.length === 1 ? 'the check passes' : `all ${rows.length} checks pass`}`
      : `SLA: ${failing.length} of ${plural(rows.length, 'check')} ${failing.length === 1 ? 'fails' : 'fail'}`;
  const header = ['Scenario', 'Check', 'Threshold', 'Measured', 'Margin', ''];
  const align = ['l', 'l', 'r', 'r', 'r', 'l'];
  const shown = failingOnly ? failing : [...failing, ...rows.filter((r) => !r.failing)];
  const body = [
    full || failingOnly
      ? shown.length > 0
        ? table([header, ...shown.map((r) => r.cells)], align)
        : ''
      : compactSlaTable(v),
    failingOnly && rows.length > failing.length
      ? `${plural(rows.length - failing.length, 'passing check')} not shown.`
      : '',
    notMeasured,
  ].filter((b) => b !== '');
  return `<details><summary>${summary}</summary>\n\n${body.join('\n\n')}\n\n</details>`;
}

/** The head's resources per scenario, collapsed. */
export function resourcesSection(current: RunResult): string {
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
  const body = table(
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
  );
  const whose = current.ab ? ' of the head' : '';
  return `<details><summary>Resources${whose}: CPU, memory, connections</summary>\n\n${body}\n\n</details>`;
}
