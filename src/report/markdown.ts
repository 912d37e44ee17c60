/**
 * The markdown report: the PR comment (`layout: 'comment'`) and the full report of the job
 * summary and the artifact (`'full'`). Pure: verdict + results in, text out.
 *
 * One shape for both, the decision first (docs/comment.md): the hidden protocol lines (sticky
 * marker, verdict key), the verdict line in scenarios, one context line with the links, the
 * caller's extra lines (where the baseline came from), warnings, the table of what changed (base
 * → head in absolute units, the change with its interval, the severity), the endpoint to blame,
 * and the unchanged scenarios in one line. Everything else is collapsed: the method, the SLA
 * checks, test kinds, the trend on main, resources, per-second charts, and (full report) the raw
 * trials and tests, then the run's details. The comment keeps at most 3 rows per scenario, 2
 * warnings, charts of the flagged scenarios only and a compact SLA table; the full report all.
 *
 * Size cap (comment 60,000 characters: GitHub rejects more than 65,536): when over, trim in this
 * order and say so at the top: raw trials, charts, trends on main, test kind details, the passing
 * SLA rows, the resources table, the unchanged scenarios' table, the method's details and the
 * run details; a last-resort hard cut keeps the text below the cap.
 */
import type { Verdict } from '../judge/types.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import { protocolHead } from './comment-protocol.js';
import { folded } from './sections/cells.js';
import { changesTable, endpointLines, quietSection } from './sections/changes.js';
import { chartsSection } from './sections/charts.js';
import { rawTrialsSection } from './sections/details.js';
import { acceptedNote, contextLine, warningsBlock, type ReportLinks } from './sections/header.js';
import { kindsSection } from './sections/kinds.js';
import { profileSection } from './sections/profile.js';
import { methodSection, runDetailsSection } from './sections/method.js';
import { resourcesSection, slaSection } from './sections/tables.js';
import { MAX_TRENDS_CAPPED, trendsSection, type TrendScope } from './sections/trends.js';
import { verdictLine } from './sections/verdict-line.js';

export interface MarkdownOptions {
  /** 'comment': the PR comment's budget; 'full' (default): the job summary and the artifact. */
  layout?: 'comment' | 'full';
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
  /** The workflow run, the report artifact and the statistics doc (none in the CLI). */
  links?: ReportLinks;
}

export const DEFAULT_MAX_CHARS = 60_000;
/** The comment: rows of one scenario in the change table, warnings and notes shown. */
export const COMMENT_ROWS_PER_SCENARIO = 3;
export const COMMENT_WARNINGS = 2;
const COMMENT_NOTES = 8;

export { titleLine } from './sections/header.js';
export { seriesPoints, type ChartPoint } from './sections/charts.js';
export type { ReportLinks } from './sections/header.js';

/** The collapsed parts, in order; each can be trimmed to fit. */
interface Collapsed {
  method: string;
  sla: string;
  kinds: string;
  trends: string;
  resources: string;
  charts: string;
  raw: string;
  details: string;
}

/**
 * The visible part both layouts and the fork commenter share, from the verdict alone: what
 * changed, the endpoint to blame, the unchanged scenarios in one line (their table collapsed).
 */
export function changesBlocks(
  v: Verdict,
  layout: 'comment' | 'full',
  quietRows?: number,
  /** Right under the table: the CPU profile's collapsed section (sections/profile.ts). */
  underTable = '',
): string[] {
  const perScenario = layout === 'comment' ? COMMENT_ROWS_PER_SCENARIO : Number.POSITIVE_INFINITY;
  return [
    acceptedNote(v),
    changesTable(v, perScenario),
    underTable,
    endpointLines(v),
    quietSection(v, quietRows),
  ].filter((b) => b.length > 0);
}

function assemble(
  head: string[],
  body: string[],
  c: Collapsed,
  trimmed: string[],
  hint: string,
): string {
  const blocks = [...head];
  if (trimmed.length > 0) {
    blocks.push(`> ✂️ Trimmed to fit: ${trimmed.join(', ')}. The full report is in ${hint}.`);
  }
  blocks.push(...body);
  blocks.push(c.method, c.sla, c.kinds, c.trends, c.resources, c.charts, c.raw, c.details);
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

function wrapped(summary: string, body: string): string {
  return body === '' ? '' : folded(summary, body);
}

export function renderMarkdown(
  verdict: Verdict,
  current: RunResult,
  baseline?: RunResult,
  options: MarkdownOptions = {},
): string {
  const layout = options.layout ?? 'full';
  const comment = layout === 'comment';
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const hint = options.fullReportHint ?? 'the job summary / report artifact';
  const links = options.links ?? {};
  const head = [
    `${protocolHead(options.marker ?? 'loadgate', options.verdictKey)}\n${verdictLine(verdict)}`,
    contextLine(verdict, links),
    ...(options.extraLines ?? []),
    warningsBlock(verdict, comment ? COMMENT_WARNINGS : 5),
  ].filter((b) => b.length > 0);
  const trends = trendsSection(
    verdict,
    current,
    options.history,
    options.trends ?? 'changed',
    // The PR comment shows a few; the full report all.
    comment ? MAX_TRENDS_CAPPED : Number.POSITIVE_INFINITY,
    hint,
  );
  const c: Collapsed = {
    method: methodSection(verdict, links.statisticsDoc, { current, baseline }),
    sla: slaSection(verdict, !comment),
    kinds: wrapped('Test kinds', kindsSection(verdict, current)),
    trends: wrapped('Trend on main', trends),
    resources: resourcesSection(current),
    charts: chartsSection(verdict, current, comment),
    raw: comment ? '' : rawTrialsSection(verdict, current, baseline),
    details: runDetailsSection(verdict, comment ? COMMENT_NOTES : Number.POSITIVE_INFINITY),
  };
  const profile = profileSection(current);
  let body = changesBlocks(verdict, layout, undefined, profile);
  const trimmed: string[] = [];

  const steps: [string, () => void][] = [
    ['raw trials', () => (c.raw = '')],
    ['charts', () => (c.charts = '')],
    ['trends on main', () => (c.trends = '')],
    ['test kind details', () => (c.kinds = '')],
    ['passing SLA checks', () => (c.sla = slaSection(verdict, true, true))],
    ['resources table', () => (c.resources = '')],
    ["the unchanged scenarios' table", () => (body = changesBlocks(verdict, layout, 0, profile))],
    ['method details', () => (c.method = '')],
    ['run details', () => (c.details = '')],
  ];

  let text = assemble(head, body, c, trimmed, hint);
  for (const [label, apply] of steps) {
    if (text.length <= maxChars) break;
    apply();
    trimmed.push(label);
    text = assemble(head, body, c, trimmed, hint);
  }
  return text.length > maxChars ? hardCut(text, maxChars, hint) : text;
}
