/**
 * The markdown report (PR comment, job summary). Pure: verdict + results in, text out.
 *
 * Layout, most important first: hidden sticky marker, a title with the overall verdict, one
 * context line, warnings, the findings (worst first), the scenario table, the SLA table, the
 * resources table, the test kinds' sections (report/kinds.ts), per-scenario charts (mermaid xychart-beta, each with a collapsed table of the
 * same numbers), then collapsed details: raw trials and method/provenance.
 *
 * Size cap (default 60,000 characters, GitHub rejects comments above 65,536): when over, trim
 * in this order and say so at the top: raw trials, charts, test kind details, the passing SLA rows, the
 * resources table, then scenario rows that have nothing to report; a last-resort hard cut
 * keeps the text below the cap.
 */
import { markdownTable } from 'markdown-table';
import { changeText } from '../judge/compare.js';
import type { MetricComparison, ScenarioVerdict, Severity, Verdict } from '../judge/types.js';
import type { RunResult, ScenarioResult, TrialResult } from '../result/types.js';
import { clip, escapeHtml, escapeMarkdown, escapeMermaid, sanitizeMarker } from './escape.js';
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
} from './format.js';
import { kindsSection } from './kinds.js';

export interface MarkdownOptions {
  /** Cap on the report's length in characters (default 60,000). */
  maxChars?: number;
  /** Sticky-comment marker id (default 'loadgate'): first line `<!-- loadgate:<marker> -->`. */
  marker?: string;
  /** Where the untrimmed report is, named when trimming (default: job summary / artifact). */
  fullReportHint?: string;
}

export const DEFAULT_MAX_CHARS = 60_000;
const MAX_CHART_POINTS = 60;
const MAX_FINDINGS = 10;
const NAME_MAX = 80;

const SEVERITY_ICON: Record<Severity, string> = {
  CRITICAL: '🔴',
  HIGH: '🟠',
  MEDIUM: '🟡',
  LOW: '⚪',
};

const table = (rows: string[][], align?: string[]) =>
  markdownTable(rows, { alignDelimiters: false, ...(align ? { align } : {}) });

const name = (s: string) => escapeMarkdown(clip(s, NAME_MAX));

// ---------------------------------------------------------------- title and context

export function titleLine(v: Verdict): string {
  const c = v.counts;
  const icon = v.status === 'fail' ? '❌' : v.status === 'warn' ? '⚠️' : '✅';
  const parts: string[] = [];
  if (c.regressions > 0) parts.push(plural(c.regressions, 'regression'));
  if (c.slaBreaches > 0) parts.push(plural(c.slaBreaches, 'SLA breach', 'SLA breaches'));
  if (c.failedScenarios > 0) parts.push(plural(c.failedScenarios, 'failed scenario'));
  if (parts.length > 0) {
    parts.push(`${c.scenariosOk} of ${plural(c.scenarios, 'scenario')} ok`);
  } else {
    if (v.mode === 'sla-only') parts.push('no baseline');
    else if (c.inconclusive > 0 && c.unchanged + c.improvements === 0)
      parts.push('no regressions detectable (too few trials)');
    else parts.push('no regressions');
    if (c.slaChecks > 0) {
      parts.push(c.slaChecks === 1 ? 'the SLA check passes' : `all ${c.slaChecks} SLA checks pass`);
    }
  }
  if (c.improvements > 0) parts.push(plural(c.improvements, 'improvement'));
  let title = `### ${icon} loadgate: ${parts.join(', ')}`;
  if (v.status === 'fail' && !v.failsCheck) title += ' (report only, not failing the check)';
  return title;
}

function shortSha(sha: string | null): string | null {
  return sha ? sha.slice(0, 7) : null;
}

function contextLine(v: Verdict, current: RunResult): string {
  const bits: string[] = [];
  if (v.baseline) {
    const sha = shortSha(v.baseline.gitSha);
    const ref = v.baseline.gitRef ? ` ${escapeMarkdown(v.baseline.gitRef)}` : '';
    bits.push(
      `baseline ${sha ? `\`${sha.replace(/[^0-9a-fA-F]/g, '')}\`` : '(no sha)'}${ref} from ${escapeMarkdown(v.baseline.startedAt.slice(0, 10))}`,
    );
  } else {
    bits.push('no baseline (SLA checks only)');
  }
  const trials = new Set(current.scenarios.map((s) => s.trials.length));
  if (trials.size === 1) bits.push(`${plural([...trials][0] ?? 0, 'trial')} per scenario`);
  bits.push(`α ${v.options.alpha}`);
  bits.push(`min effect ${(v.options.minEffect * 100).toFixed(0)} %`);
  bits.push(
    v.options.failOn.length > 0 ? `fails on ${v.options.failOn.join(', ')}` : 'report only',
  );
  return bits.join(' · ');
}

function findingsBlock(v: Verdict): string {
  if (v.findings.length === 0) return '';
  const lines = v.findings
    .slice(0, MAX_FINDINGS)
    .map(
      (f) =>
        `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${escapeMarkdown(clip(f.message, 300))}`,
    );
  if (v.findings.length > MAX_FINDINGS) {
    lines.push(`- … and ${v.findings.length - MAX_FINDINGS} more in the tables below`);
  }
  return lines.join('\n');
}

function warningsBlock(v: Verdict): string {
  if (v.warnings.length === 0) return '';
  const shown = v.warnings.slice(0, 5).map((w) => `> ${escapeMarkdown(clip(w, 400))}`);
  if (v.warnings.length > 5) shown.push(`> … and ${v.warnings.length - 5} more (see details)`);
  return ['> [!WARNING]', ...shown.flatMap((l, i) => (i === 0 ? [l] : ['>', l]))].join('\n');
}

// ---------------------------------------------------------------- scenario table

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
      return '⚠️ too few trials';
    case 'new':
      return '🆕 new';
    case 'removed':
      return '🗑️ removed';
    default:
      return s.generatorSaturated ? '⚠️ generator saturated' : '✅';
  }
}

function changeCell(s: ScenarioVerdict): string {
  if (s.status === 'new') return 'new';
  if (s.status === 'removed') return 'removed';
  const c = comparisonOf(s, 'p95');
  if (!c) return '–';
  return changeText(c);
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
    scenarioIcon(s),
  ];
}

const SCENARIO_HEADER = [
  'Scenario',
  'p50',
  'p95',
  'p99',
  'req/s',
  'errors',
  'p95 vs baseline',
  'adj. p',
  '',
];
const SCENARIO_ALIGN = ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'];

function scenarioTable(v: Verdict, rows: ScenarioVerdict[], omitted: number): string {
  const body = table([SCENARIO_HEADER, ...rows.map(scenarioRow)], SCENARIO_ALIGN);
  const note =
    'Medians across trials. Change: Hodges-Lehmann estimate of p95 current ÷ baseline with its 95 % interval; adj. p: Holm-adjusted one-sided Mann-Whitney U on trial values.';
  const more =
    omitted > 0 ? `\n\n${plural(omitted, 'more scenario')} with nothing to report not shown.` : '';
  return v.scenarios.length === 0 ? '_No scenarios._' : `${body}\n\n<sub>${note}</sub>${more}`;
}

function hasNews(s: ScenarioVerdict): boolean {
  return s.status !== 'unchanged' && s.status !== 'not-compared' ? true : s.slaBreached;
}

// ---------------------------------------------------------------- SLA and resources

/** Beyond this many rows, the visible SLA table lists the failing checks; all are collapsed below. */
const SLA_VISIBLE_ROWS = 20;

function slaTable(v: Verdict, failingOnly: boolean): string {
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

function resourcesTable(current: RunResult): string {
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

// ---------------------------------------------------------------- charts

export interface ChartPoint {
  t: number;
  p95: number;
  rps: number;
}

/** All trials' per-second points on one time axis (trial after trial), ≤ `max` points. */
export function seriesPoints(s: ScenarioResult, max = MAX_CHART_POINTS): ChartPoint[] {
  const raw: ChartPoint[] = [];
  let offset = 0;
  for (const trial of s.trials) {
    let last = 0;
    for (const p of trial.series) {
      raw.push({ t: offset + p.t, p95: p.p95, rps: p.requests });
      last = Math.max(last, p.t);
    }
    offset += Math.max(trial.durationSeconds, last + 1);
  }
  if (raw.length <= max) return raw;
  // Bucket means: ceil(n / max) consecutive seconds per point.
  const size = Math.ceil(raw.length / max);
  const out: ChartPoint[] = [];
  for (let i = 0; i < raw.length; i += size) {
    const bucket = raw.slice(i, i + size);
    const mean = (f: (p: ChartPoint) => number) =>
      bucket.reduce((a, p) => a + f(p), 0) / bucket.length;
    out.push({ t: bucket[0]?.t ?? 0, p95: mean((p) => p.p95), rps: mean((p) => p.rps) });
  }
  return out;
}

const num3 = (v: number) => (v === 0 ? '0' : Number(v.toPrecision(3)).toString());

function mermaidChart(
  title: string,
  yLabel: string,
  t0: number,
  t1: number,
  values: number[],
): string {
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${escapeMermaid(title)}"`,
    `  x-axis "time (s)" ${Math.floor(t0)} --> ${Math.ceil(t1)}`,
    `  y-axis "${yLabel}"`,
    `  line [${values.map(num3).join(', ')}]`,
    '```',
  ].join('\n');
}

function chartBlock(s: ScenarioResult): string {
  const points = seriesPoints(s);
  if (points.length < 2) return '';
  const t0 = points[0]?.t ?? 0;
  const t1 = points[points.length - 1]?.t ?? 0;
  const bucket =
    s.trials.reduce((a, t) => a + t.series.length, 0) > MAX_CHART_POINTS ? ' (bucket means)' : '';
  const fallback = table(
    [
      ['t (s)', 'p95', 'req/s'],
      ...points.map((p) => [String(Math.round(p.t)), formatMs(p.p95), formatRate(p.rps, false)]),
    ],
    ['r', 'r', 'r'],
  );
  return [
    `##### ${name(s.name)}`,
    mermaidChart(
      `${s.name}: p95 per second${bucket}`,
      'ms',
      t0,
      t1,
      points.map((p) => p.p95),
    ),
    mermaidChart(
      `${s.name}: requests per second${bucket}`,
      'req/s',
      t0,
      t1,
      points.map((p) => p.rps),
    ),
    `<details><summary>${escapeHtml(clip(s.name, NAME_MAX))}: the same numbers as a table</summary>\n\n${fallback}\n\n</details>`,
  ].join('\n\n');
}

/** Charts of scenarios with findings are shown; the others are collapsed. */
function chartsSection(v: Verdict, current: RunResult): string {
  const flagged = new Set(
    v.scenarios.filter((s) => s.severity !== null || s.status === 'regression').map((s) => s.name),
  );
  const shown: string[] = [];
  const folded: string[] = [];
  for (const s of current.scenarios) {
    if (s.failure !== undefined) continue;
    const block = chartBlock(s);
    if (!block) continue;
    (flagged.has(s.name) ? shown : folded).push(block);
  }
  if (shown.length + folded.length === 0) return '';
  const parts = ['#### Over time', ...shown];
  if (folded.length > 0) {
    parts.push(
      `<details><summary>${shown.length > 0 ? 'Other scenarios' : 'All scenarios'} (${folded.length})</summary>\n\n${folded.join('\n\n')}\n\n</details>`,
    );
  }
  return parts.join('\n\n');
}

// ---------------------------------------------------------------- details

function trialRow(label: string, t: TrialResult): string[] {
  return [
    label,
    formatMs(t.metrics.p50),
    formatMs(t.metrics.p95),
    formatMs(t.metrics.p99),
    formatRate(t.metrics.throughput, false),
    formatShare(t.metrics.errorRate),
    formatMs(t.metrics.dbP95),
  ];
}

function testsTable(s: ScenarioVerdict): string {
  if (s.comparisons.length === 0) return '';
  const rows = s.comparisons.map((c) => [
    c.metric,
    c.test ? `U ${c.test.statistic} (${c.test.method})` : 'none (identical)',
    formatP(c.test?.pWorse),
    formatP(c.pWorseAdjusted),
    formatP(c.test?.pBetter),
    formatP(c.pBetterAdjusted),
    changeText(c),
    c.unit === 'pp'
      ? `${c.effectiveMinEffect.toFixed(2)} pp`
      : `${(c.effectiveMinEffect * 100).toFixed(1)} %`,
    c.outcome,
  ]);
  return table(
    [
      [
        'Metric',
        'Test',
        'p worse',
        'adj.',
        'p better',
        'adj.',
        'Change [95 % CI]',
        'Min effect',
        'Outcome',
      ],
      ...rows,
    ],
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

function rawTrialsSection(v: Verdict, current: RunResult, baseline: RunResult | undefined): string {
  const baseByName = new Map(baseline?.scenarios.map((s) => [s.name, s]) ?? []);
  const verdictByName = new Map(v.scenarios.map((s) => [s.name, s]));
  const blocks: string[] = [];
  for (const s of current.scenarios) {
    const b = baseByName.get(s.name);
    const sv = verdictByName.get(s.name);
    const tests = sv ? testsTable(sv) : '';
    const rows: string[][] = [
      ...(b?.trials ?? []).map((t, i) => trialRow(`baseline #${i + 1}`, t)),
      ...s.trials.map((t, i) => trialRow(`current #${i + 1}`, t)),
    ];
    if (rows.length === 0) continue;
    blocks.push(
      `**${name(s.name)}**\n\n${table([['Trial', 'p50', 'p95', 'p99', 'req/s', 'errors', 'db p95'], ...rows], ['l', 'r', 'r', 'r', 'r', 'r', 'r'])}${tests ? `\n\n${tests}` : ''}`,
    );
  }
  if (blocks.length === 0) return '';
  return `<details><summary>Raw trials and tests per scenario</summary>\n\n${blocks.join('\n\n')}\n\n</details>`;
}

function methodSection(v: Verdict, current: RunResult, baseline: RunResult | undefined): string {
  const lines: string[] = [];
  lines.push(`- Test: ${escapeMarkdown(v.options.test)}.`);
  lines.push(`- Correction: ${escapeMarkdown(v.options.correction)}.`);
  lines.push(
    `- Regression: adjusted p < α ${v.options.alpha} and the change beyond the effective min effect = max(${(v.options.minEffect * 100).toFixed(0)} %, 2 × noise floor); error rate: an increase beyond max(${v.options.errorRateMinEffectPp} pp, min effect × baseline error rate), in percentage points.`,
  );
  lines.push(
    '- SLA values: median across trials for latency, throughput and error rate; slowest request of any trial; peaks for RSS, Postgres connections and Redis; mean CPU as a share of the machine.',
  );
  const noise = baseline?.noiseFloor;
  if (noise && Object.keys(noise).length > 0) {
    const rows = Object.entries(noise).map(([scenario, m]) => [
      name(scenario),
      Object.entries(m)
        .map(
          ([metric, value]) =>
            `${escapeMarkdown(metric)} ${formatPercentChange(value ?? null).replace('+', '±')}`,
        )
        .join(', '),
    ]);
    lines.push(
      '- Noise floor (A/A, from the baseline):\n\n' + table([['Scenario', 'Noise floor'], ...rows]),
    );
  } else {
    lines.push(
      '- Noise floor: not calibrated (run `loadgate calibrate`); the min effect applies as is.',
    );
  }
  const prov = (label: string, r: RunResult) => {
    const sha = r.git?.sha ? ` · git ${escapeMarkdown(r.git.sha.slice(0, 12))}` : '';
    const ref = r.git?.ref ? ` (${escapeMarkdown(r.git.ref)})` : '';
    const env = r.environment;
    return `- ${label}: loadgate ${escapeMarkdown(r.tool.version)}${sha}${ref} · ${escapeMarkdown(r.startedAt)} · ${escapeMarkdown(`${env.cpuModel} ×${env.cores}, ${env.os}, node ${env.nodeVersion}`)} (machine ${escapeMarkdown(env.hash)}) · profile ${escapeMarkdown(r.config.profile)}, config ${escapeMarkdown(r.config.hash)}`;
  };
  lines.push(prov('Current', current));
  lines.push(baseline ? prov('Baseline', baseline) : '- Baseline: none.');
  for (const w of v.warnings) lines.push(`- ⚠️ ${escapeMarkdown(clip(w, 500))}`);
  for (const n of v.notes) lines.push(`- ℹ️ ${escapeMarkdown(clip(n, 500))}`);
  for (const s of v.scenarios) {
    if (s.failure)
      lines.push(`- ❌ ${name(s.name)} failed: ${escapeMarkdown(clip(s.failure, 500))}`);
  }
  return `<details><summary>Method, provenance and notes</summary>\n\n${lines.join('\n')}\n\n</details>`;
}

// ---------------------------------------------------------------- assembly and cap

interface Parts {
  head: string[];
  scenarioRows: ScenarioVerdict[];
  scenarioOmitted: number;
  sla: string;
  resources: string;
  kinds: string;
  charts: string;
  method: string;
  raw: string;
  trimmed: string[];
}

function assemble(v: Verdict, p: Parts, hint: string): string {
  const blocks = [...p.head];
  if (p.trimmed.length > 0) {
    blocks.push(`> ✂️ Trimmed to fit: ${p.trimmed.join(', ')}. The full report is in ${hint}.`);
  }
  blocks.push(scenarioTable(v, p.scenarioRows, p.scenarioOmitted));
  for (const b of [p.sla, p.resources, p.kinds, p.charts, p.raw, p.method]) if (b) blocks.push(b);
  return `${blocks.filter((b) => b.length > 0).join('\n\n')}\n`;
}

export function renderMarkdown(
  verdict: Verdict,
  current: RunResult,
  baseline?: RunResult,
  options: MarkdownOptions = {},
): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const hint = options.fullReportHint ?? 'the job summary / report artifact';
  const marker = `<!-- loadgate:${sanitizeMarker(options.marker ?? 'loadgate')} -->`;
  const head = [
    `${marker}\n${titleLine(verdict)}`,
    contextLine(verdict, current),
    warningsBlock(verdict),
    findingsBlock(verdict),
  ].filter((b) => b.length > 0);

  const parts: Parts = {
    head,
    scenarioRows: verdict.scenarios,
    scenarioOmitted: 0,
    sla: slaTable(verdict, false),
    resources: resourcesTable(current),
    kinds: kindsSection(verdict, current),
    charts: chartsSection(verdict, current),
    method: methodSection(verdict, current, baseline),
    raw: rawTrialsSection(verdict, current, baseline),
    trimmed: [],
  };

  const steps: [string, () => void][] = [
    ['raw trials', () => (parts.raw = '')],
    ['charts', () => (parts.charts = '')],
    ['test kind details', () => (parts.kinds = '')],
    ['passing SLA checks', () => (parts.sla = slaTable(verdict, true))],
    ['resources table', () => (parts.resources = '')],
    [
      'scenario rows with nothing to report',
      () => {
        parts.scenarioRows = verdict.scenarios.filter(hasNews);
        parts.scenarioOmitted = verdict.scenarios.length - parts.scenarioRows.length;
      },
    ],
    ['method details', () => (parts.method = '')],
  ];

  let text = assemble(verdict, parts, hint);
  for (const [label, apply] of steps) {
    if (text.length <= maxChars) break;
    apply();
    parts.trimmed.push(label);
    text = assemble(verdict, parts, hint);
  }
  if (text.length > maxChars) {
    // Last resort: cut at a line boundary and close any open block.
    const notice = `\n\n> ✂️ Cut at ${maxChars.toLocaleString('en-US')} characters. The full report is in ${hint}.\n`;
    let cut = text.slice(0, Math.max(0, maxChars - notice.length - 20));
    const nl = cut.lastIndexOf('\n');
    if (nl > 0) cut = cut.slice(0, nl);
    const fences = (cut.match(/^```/gm) ?? []).length;
    if (fences % 2 === 1) cut += '\n```';
    const opened =
      (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
    for (let i = 0; i < opened; i++) cut += '\n</details>';
    text = cut + notice;
  }
  return text;
}
