/**
 * The markdown report (PR comment, job summary). Pure: verdict + results in, text out.
 *
 * Layout, most important first: the hidden protocol lines (sticky marker, verdict key), a title
 * with the overall verdict, one context line, the caller's extra lines (where the baseline came
 * from), warnings, the findings (worst first), the scenario table, the SLA table, the trend on
 * main (given a history), the resources table, the test kinds' sections, per-scenario charts,
 * then collapsed details: raw trials and method/provenance. Each part lives in sections/.
 *
 * Size cap (default 60,000 characters, GitHub rejects comments above 65,536): when over, trim
 * in this order and say so at the top: raw trials, charts, trends on main, test kind details,
 * the passing SLA rows, the resources table, then scenario rows that have nothing to report; a
 * last-resort hard cut keeps the text below the cap.
 */
import type { ScenarioVerdict, Verdict } from '../judge/types.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import { protocolHead } from './comment-protocol.js';
import { chartsSection } from './sections/charts.js';
import { methodSection, rawTrialsSection } from './sections/details.js';
import { contextLine, findingsBlock, titleLine, warningsBlock } from './sections/header.js';
import { kindsSection } from './sections/kinds.js';
import { hasNews, resourcesTable, scenarioTable, slaTable } from './sections/tables.js';
import { MAX_TRENDS_CAPPED, trendsSection, type TrendScope } from './sections/trends.js';

export interface MarkdownOptions {
  /** Cap on the report's length in characters (default 60,000). */
  maxChars?: number;
  /** Sticky-comment marker id (default 'loadgate'): first line `<!-- loadgate:<marker> -->`. */
  marker?: string;
  /** The verdict key `comment: on-change` compares, written as the second hidden line. */
  verdictKey?: string;
  /** Paragraphs placed right after the context line (e.g. where the baseline came from). */
  extraLines?: readonly string[];
  /** Where the untrimmed report is, named when trimming (default: job summary / artifact). */
  fullReportHint?: string;
  /** The history of main (result/history.ts), as loaded: a trend of the last runs of main. */
  history?: History;
  /** Trends of the scenarios that changed (default), or of every scenario (a run of main). */
  trends?: TrendScope;
}

export const DEFAULT_MAX_CHARS = 60_000;

export { titleLine } from './sections/header.js';
export { seriesPoints, type ChartPoint } from './sections/charts.js';

interface Parts {
  head: string[];
  scenarioRows: ScenarioVerdict[];
  scenarioOmitted: number;
  sla: string;
  resources: string;
  trends: string;
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
  for (const b of [p.sla, p.trends, p.resources, p.kinds, p.charts, p.raw, p.method]) {
    if (b) blocks.push(b);
  }
  return `${blocks.filter((b) => b.length > 0).join('\n\n')}\n`;
}

/** Cut at a line boundary below `maxChars` and close any open block (the last resort). */
function hardCut(text: string, maxChars: number, hint: string): string {
  const notice = `\n\n> ✂️ Cut at ${maxChars.toLocaleString('en-US')} characters. The full report is in ${hint}.\n`;
  let cut = text.slice(0, Math.max(0, maxChars - notice.length - 20));
  const nl = cut.lastIndexOf('\n');
  if (nl > 0) cut = cut.slice(0, nl);
  const fences = (cut.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) cut += '\n```';
  const opened = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < opened; i++) cut += '\n</details>';
  return cut + notice;
}

export function renderMarkdown(
  verdict: Verdict,
  current: RunResult,
  baseline?: RunResult,
  options: MarkdownOptions = {},
): string {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const hint = options.fullReportHint ?? 'the job summary / report artifact';
  const head = [
    `${protocolHead(options.marker ?? 'loadgate', options.verdictKey)}\n${titleLine(verdict)}`,
    contextLine(verdict, current),
    ...(options.extraLines ?? []),
    warningsBlock(verdict),
    findingsBlock(verdict),
  ].filter((b) => b.length > 0);

  const parts: Parts = {
    head,
    scenarioRows: verdict.scenarios,
    scenarioOmitted: 0,
    sla: slaTable(verdict, false),
    resources: resourcesTable(current),
    trends: trendsSection(
      verdict,
      current,
      options.history,
      options.trends ?? 'changed',
      // The PR comment shows a few; the full report all.
      maxChars <= DEFAULT_MAX_CHARS ? MAX_TRENDS_CAPPED : Number.POSITIVE_INFINITY,
      hint,
    ),
    kinds: kindsSection(verdict, current),
    charts: chartsSection(verdict, current),
    method: methodSection(verdict, current, baseline),
    raw: rawTrialsSection(verdict, current, baseline),
    trimmed: [],
  };

  const steps: [string, () => void][] = [
    ['raw trials', () => (parts.raw = '')],
    ['charts', () => (parts.charts = '')],
    ['trends on main', () => (parts.trends = '')],
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
  return text.length > maxChars ? hardCut(text, maxChars, hint) : text;
}
