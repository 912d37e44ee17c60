/**
 * The sticky comment's protocol, in one place (pure): the hidden marker that finds a job's
 * comment, and the hidden verdict key that `comment: on-change` compares. The report renderer
 * writes both; the action, the sticky-comment adapter and the fork commenter (comment/) read them.
 */
import { createHash } from 'node:crypto';
import type { Verdict } from '../judge/types.js';

/** The marker id: [A-Za-z0-9._:/-] only, never "--" (which would end the HTML comment). */
export function sanitizeMarker(key: string): string {
  const s = key.replace(/[^A-Za-z0-9._:/-]/g, '-').replace(/-{2,}/g, '-');
  return s.length > 0 ? s.slice(0, 100) : 'loadgate';
}

/** `<!-- loadgate:<key> -->`: the first line of every report, one per job (and name). */
export function commentMarker(key: string): string {
  return `<!-- loadgate:${sanitizeMarker(key)} -->`;
}

export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.includes(marker);
}

/**
 * What `on-change` compares: the status, whether there was a baseline, and which scenarios
 * regressed, breached an SLA or failed (counts plus a short hash of the names). Metric-level
 * counts are left out on purpose: whether p99 joins p95 in a regression flickers between runs.
 */
export function verdictKey(verdict: Verdict): string {
  const names = (pick: (s: Verdict['scenarios'][number]) => boolean): string[] =>
    verdict.scenarios
      .filter(pick)
      .map((s) => s.name)
      .sort();
  const regressed = names((s) => s.comparisons.some((c) => c.outcome === 'regression'));
  const breached = names((s) => s.slaBreached);
  const failed = names((s) => s.status === 'failed');
  const hash = createHash('sha256')
    .update(JSON.stringify([regressed, breached, failed]))
    .digest('hex')
    .slice(0, 8);
  return [
    verdict.status,
    verdict.mode,
    `r${regressed.length}`,
    `s${breached.length}`,
    `f${failed.length}`,
    hash,
  ].join(':');
}

/** The key an error report carries (the run could not happen). */
export const ERROR_VERDICT_KEY = 'error';

const KEY_LINE_RE = /^<!-- loadgate-verdict:([A-Za-z0-9:_-]{1,80}) -->$/m;

export function verdictKeyLine(key: string): string {
  return `<!-- loadgate-verdict:${key.replace(/[^A-Za-z0-9:_-]/g, '-').slice(0, 80)} -->`;
}

/** The verdict key embedded in a comment body, if any. */
export function readVerdictKey(body: string): string | undefined {
  return KEY_LINE_RE.exec(body)?.[1];
}

/** A line of the protocol head: the marker or the verdict key, as the renderers write them. */
const PROTOCOL_LINE_RE = /^<!-- loadgate(?:-verdict)?:[A-Za-z0-9._:/-]{1,100} -->$/;

/**
 * `text` with every `<!--` broken by a zero-width space (shown the same, never an HTML comment):
 * text loadgate does not control (an error message in a code block, a service's output) could
 * otherwise carry `<!-- loadgate:<another job> -->` and make its comment another job's sticky
 * comment, or open a comment that hides the rest of the report.
 */
export function neutraliseComments(text: string): string {
  return text.replace(/<!--/g, '<\u200B!--');
}

/** A report's body as posted: its protocol head kept, every other `<!--` neutralised. */
export function neutraliseBody(body: string): string {
  const lines = body.split('\n');
  let head = 0;
  while (head < lines.length && PROTOCOL_LINE_RE.test(lines[head] as string)) head++;
  if (head === lines.length) return body;
  return [...lines.slice(0, head), neutraliseComments(lines.slice(head).join('\n'))].join('\n');
}

/** The first lines of a report: its marker and, when given, its verdict key. */
export function protocolHead(markerKey: string, key?: string): string {
  return key === undefined
    ? commentMarker(markerKey)
    : `${commentMarker(markerKey)}\n${verdictKeyLine(key)}`;
}
