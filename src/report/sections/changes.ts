/**
 * What changed, in one table: the regressions, SLA breaches, failures, new and removed scenarios
 * and improvements, each with the base's and the head's figures in their own units, the change
 * with its interval and the severity; then, for a scenario that mixes endpoints, which of them
 * changed; then the unchanged scenarios in one line, their table one click away. Pure text.
 */
import { formatMs, formatPercentChange, formatUnit, plural } from '../../format/numbers.js';
import { describeChange } from '../../judge/change-text.js';
import { MACHINES_DIFFER } from '../../judge/machine.js';
import { GENERATOR_SATURATED_PAIRS } from '../../judge/paired.js';
import { HELD_BACK } from '../../judge/mixed-change.js';
import { SUSPECT_NOT_COUNTED } from '../../judge/suspicion.js';
import type {
  EndpointComparison,
  KindComparison,
  MetricComparison,
  ScenarioVerdict,
  Verdict,
} from '../../judge/types.js';
import { METRICS } from '../../result/metrics.js';
import { formatMetric, name, SEVERITY_ICON, table } from './cells.js';
import { roughTime } from './durations.js';
import { blamedEndpoints, groupScenarios, regressionsOf, shortChange } from './scenario-groups.js';

/** A row without its scenario cell: metric, base → head, change, severity. */
type Cells = [string, string, string, string];

const severityCell = (s: ScenarioVerdict['severity']): string =>
  s === null ? '' : `${SEVERITY_ICON[s]} ${s}`;

function regressionRow(c: MetricComparison | KindComparison): Cells {
  if ('label' in c) {
    return [
      name(c.label),
      `${formatUnit(c.baseline, c.unit)} → ${formatUnit(c.current, c.unit)}`,
      `${formatPercentChange(c.change)} (one measurement)`,
      severityCell(c.severity),
    ];
  }
  return [
    METRICS[c.metric].label,
    `${formatMetric(c.baseline.median, c.metric)} → ${formatMetric(c.current.median, c.metric)}`,
    describeChange(c),
    severityCell(c.severity),
  ];
}

function slaRows(s: ScenarioVerdict): Cells[] {
  return s.sla
    .filter((c) => c.status === 'fail')
    .map((c) => [
      `SLA: ${name(c.label)}`,
      formatUnit(c.measured, c.unit),
      `limit ${c.bound === 'max' ? '≤' : '≥'} ${formatUnit(c.threshold, c.unit)}${c.margin === null ? '' : ` (${formatPercentChange(c.margin)})`}`,
      severityCell(c.severity),
    ]);
}

function improvementRows(s: ScenarioVerdict): Cells[] {
  return s.comparisons
    .filter((c) => c.outcome === 'improvement')
    .map((c) => [
      METRICS[c.metric].label,
      `${formatMetric(c.baseline.median, c.metric)} → ${formatMetric(c.current.median, c.metric)}`,
      describeChange(c),
      '✨ better',
    ]);
}

/** Why a new scenario is new, from its notes' structured cause (never free text). */
function newRow(s: ScenarioVerdict, v: Verdict): Cells {
  const unserved = s.baseline !== null;
  const head = s.current ? `p95 ${formatMs(s.current.p95)}` : '–';
  const base = v.mode === 'paired' ? 'base' : 'baseline';
  return [
    'new',
    unserved ? `fails → ${head}` : `– → ${head}`,
    unserved ? `the ${base} cannot serve it: SLA only` : `not in the ${base}: SLA only`,
    '🆕',
  ];
}

/** A scenario's rows: its regressions (worst first), SLA breaches, or what it is. */
function rowsOf(s: ScenarioVerdict, v: Verdict): Cells[] {
  switch (s.status) {
    case 'failed':
      return [['failed to complete', '–', 'see the run details', severityCell('CRITICAL')]];
    case 'new':
      return [newRow(s, v), ...slaRows(s)];
    case 'removed':
      return [['removed', '', `not in this run`, '🗑️']];
    default:
      return [
        ...regressionsOf(s).map(regressionRow),
        ...slaRows(s),
        ...(s.status === 'improvement' ? improvementRows(s) : []),
      ];
  }
}

/** Names in the row that stands for the rest, short so the table stays narrow. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  'p50 at a steady rate': 'steady p50',
  'p95 at a steady rate': 'steady p95',
  'CPU per request': 'CPU/request',
};
const MORE_MAX = 40;

/** "and 5 more: p99, steady p95, steady p50, …": the rows left out, as many names as fit. */
function moreText(metrics: readonly string[]): string {
  const names = metrics.map((m) => SHORT_NAMES[m] ?? m);
  let shown = names.join(', ');
  for (let k = names.length - 1; shown.length > MORE_MAX && k > 0; k--) {
    shown = `${names.slice(0, k).join(', ')}, …`;
  }
  return `and ${metrics.length} more: ${shown}`;
}

/**
 * The table of what changed; empty when nothing did. `perScenario` caps a scenario's rows (the
 * comment): the rest are named in one row.
 */
export function changesTable(v: Verdict, perScenario = Number.POSITIVE_INFINITY): string {
  const g = groupScenarios(v);
  const scenarios = [
    ...g.failed,
    ...g.slower,
    ...g.breached,
    ...g.added,
    ...g.removed,
    ...g.faster,
  ];
  const rows: string[][] = [];
  for (const s of scenarios) {
    let list = rowsOf(s, v);
    if (list.length > perScenario) {
      const kept = list.slice(0, Math.max(1, perScenario - 1));
      const more = list.slice(kept.length).map((r) => r[0]);
      list = [...kept, [moreText(more), '', '', '']];
    }
    list.forEach((r, i) => rows.push([i === 0 ? name(s.name) : '', ...r]));
  }
  if (rows.length === 0) return '';
  const sides =
    v.mode === 'paired' ? 'Base → head' : v.mode === 'baseline' ? 'Baseline → now' : 'Measured';
  return table(
    [['Scenario', 'Metric', sides, 'Change [95 % CI]', 'Severity'], ...rows],
    ['l', 'l', 'r', 'r', 'l'],
  );
}

// ---------------------------------------------------------------- the endpoint to blame

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "its search requests p95 +190 %". */
function endpointChange(c: EndpointComparison): string {
  return `its ${name(c.endpoint)} requests ${METRICS[c.metric].label} ${shortChange(c)}`;
}

/**
 * What the scenario's other endpoints did: unchanged when each one's interval rules out a change
 * of the min effect; else not told apart, with the range of their p95 changes.
 */
function restText(s: ScenarioVerdict, blamed: ReadonlySet<string>): string {
  const rest = (s.endpoints?.comparisons ?? []).filter((c) => !blamed.has(c.endpoint));
  if (rest.length === 0) return '';
  const faster = [
    ...new Set(rest.filter((c) => c.outcome === 'improvement').map((c) => c.endpoint)),
  ];
  if (faster.length > 0) return `, ${faster.map(name).join(', ')} faster`;
  const within = (c: EndpointComparison) =>
    c.change.upper !== null && c.change.upper <= c.effectiveMinEffect;
  if (rest.every(within)) return ', the rest unchanged';
  const p95 = rest.filter((c) => c.metric === 'p95').map((c) => c.change.estimate);
  if (p95.length === 0) return ', the rest not told apart';
  const lo = formatPercentChange(Math.min(...p95)).replace(/\.\d %$/, ' %');
  const hi = formatPercentChange(Math.max(...p95)).replace(/\.\d %$/, ' %');
  return `, the rest not told apart (p95 ${lo === hi ? lo : `${lo.replace(/ %$/, '')} to ${hi}`})`;
}

/**
 * For each scenario that mixes endpoints and changed (or whose endpoint did): which of its
 * endpoints changed, from their own tests. "concurrent-admins: its search requests p95 +190 %,
 * the rest unchanged".
 */
export function endpointLines(v: Verdict): string {
  const lines: string[] = [];
  for (const s of v.scenarios) {
    const tests = s.endpoints?.comparisons ?? [];
    if (tests.length === 0) continue;
    const blamed = blamedEndpoints(s);
    const changed = s.status === 'regression' || s.status === 'improvement';
    if (blamed.length === 0 && !changed) continue;
    const names = new Set(blamed.map((c) => c.endpoint));
    const what =
      blamed.length > 0
        ? `${listed(blamed.map(endpointChange))}${restText(s, names)}`
        : `none of its ${s.endpoints?.names.length ?? 0} endpoints changed enough on its own to tell`;
    lines.push(`**${name(s.name)}**: ${what}.`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- unchanged, in one line

/** The range of what the run could have seen in these scenarios' p95 ("2.1 % to 4.2 %"). */
function detectableRange(list: readonly ScenarioVerdict[]): string {
  const values = list
    .map((s) => s.comparisons.find((c) => c.metric === 'p95')?.detectable)
    .filter((d): d is number => typeof d === 'number' && Number.isFinite(d) && d > 0);
  if (values.length === 0 || values.length < list.length) return '';
  const pct = (d: number) => formatPercentChange(d).replace(/^\+/, '');
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return pct(lo) === pct(hi) ? pct(hi) : `${pct(lo).replace(/ %$/, '')} to ${pct(hi)}`;
}

/** Why a scenario without news was not judged, in a few words. */
function quietNote(s: ScenarioVerdict): string {
  if (s.status === 'undecided') {
    const b = s.budget;
    const more =
      b?.toDecideSeconds === null || b?.toDecideSeconds === undefined
        ? ''
        : `, about ${roughTime(b.toDecideSeconds, 'more')}`;
    return `⏳ undecided after ${plural(b?.rounds ?? 0, 'round')}${more}`;
  }
  const reasons = s.comparisons.filter((c) => c.outcome === 'inconclusive').map((c) => c.reason);
  if (s.generatorSaturated || reasons.some((r) => r === GENERATOR_SATURATED_PAIRS))
    return '⚠️ generator saturated';
  if (reasons.some((r) => r.endsWith(MACHINES_DIFFER))) return '⚠️ machines differ';
  if (s.suspect !== undefined || reasons.some((r) => r.endsWith(SUSPECT_NOT_COUNTED)))
    return '⚠️ measurement suspect';
  if (reasons.some((r) => r.includes(HELD_BACK))) return '⚠️ better tails, may be slower';
  if (s.status === 'inconclusive') return '⚠️ too few trials';
  if (s.status === 'not-compared') return 'not compared';
  return '✅';
}

/** The scenarios with nothing to report: unchanged, undecided, inconclusive, not compared. */
export function quietScenarios(v: Verdict): ScenarioVerdict[] {
  const g = groupScenarios(v);
  return [...g.unchanged, ...g.undecided, ...g.inconclusive, ...g.uncompared];
}

function quietRow(s: ScenarioVerdict): string[] {
  const p95 = s.comparisons.find((c) => c.metric === 'p95');
  const head = formatMs(s.current?.p95);
  const figures = p95
    ? `${formatMs(p95.baseline.median)} → ${formatMs(p95.current.median)}`
    : s.baseline
      ? `${formatMs(s.baseline.p95)} → ${head}`
      : head;
  const detectable =
    p95?.detectable === undefined
      ? '–'
      : p95.detectable === null
        ? 'nothing'
        : `≥ ${formatPercentChange(p95.detectable)}`;
  return [name(s.name), figures, p95 ? describeChange(p95) : '–', detectable, quietNote(s)];
}

/** The summary line of the quiet scenarios: how many, and what the run could have seen. */
function quietSummary(v: Verdict, quiet: readonly ScenarioVerdict[]): string {
  const g = groupScenarios(v);
  if (v.mode === 'sla-only' || g.uncompared.length === quiet.length)
    return `${plural(quiet.length, 'scenario')} measured, nothing to compare with`;
  const parts: string[] = [];
  if (g.unchanged.length > 0) {
    const range = detectableRange(g.unchanged);
    parts.push(
      `${plural(g.unchanged.length, 'scenario')} unchanged${range ? `: this run would have seen a p95 change of ${range} in ${g.unchanged.length === 1 ? 'it' : 'each'}` : ''}`,
    );
  }
  if (g.undecided.length > 0) parts.push(`${g.undecided.length} undecided`);
  if (g.inconclusive.length > 0) parts.push(`${g.inconclusive.length} inconclusive`);
  if (g.uncompared.length > 0) parts.push(`${g.uncompared.length} not compared`);
  return parts.join('; ');
}

/**
 * The quiet scenarios in one line (a collapsed block's summary), their table inside: p95 base →
 * head, the change with its interval, what the run could have detected, and why not judged.
 */
export function quietSection(v: Verdict, maxRows = Number.POSITIVE_INFINITY): string {
  const quiet = quietScenarios(v);
  if (quiet.length === 0) return '';
  const shown = quiet.slice(0, maxRows);
  const rows = shown.map(quietRow);
  const more = quiet.length - shown.length;
  const sides = v.mode === 'paired' ? 'p95 base → head' : 'p95 baseline → now';
  const body = [
    ...(rows.length > 0
      ? [
          table(
            [['Scenario', sides, 'Change [95 % CI]', 'Could detect', ''], ...rows],
            ['l', 'r', 'r', 'r', 'l'],
          ),
          '<sub>Could detect: the smallest p95 slowdown the test would flag with 80 % power at the spread this run measured.</sub>',
        ]
      : []),
    ...(more > 0 ? [`${plural(more, 'scenario')} in the full report.`] : []),
  ].join('\n\n');
  return `<details><summary>${quietSummary(v, quiet)}</summary>\n\n${body}\n\n</details>`;
}
