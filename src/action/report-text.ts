/**
 * Text the action adds around src/report's markdown (pure): the hidden verdict key that
 * `comment: on-change` compares, the baseline provenance line, the check's failure message and
 * the report written when the run could not happen at all.
 */
import { createHash } from 'node:crypto';
import type { Verdict } from '../judge/types.js';
import { sanitizeMarker } from '../report/escape.js';

/** `<!-- loadgate:<key> -->`, exactly as renderMarkdown writes it for `marker: key`. */
export function commentMarker(key: string): string {
  return `<!-- loadgate:${sanitizeMarker(key)} -->`;
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

const KEY_LINE_RE = /^<!-- loadgate-verdict:([A-Za-z0-9:_-]{1,80}) -->$/m;

export function verdictKeyLine(key: string): string {
  return `<!-- loadgate-verdict:${key.replace(/[^A-Za-z0-9:_-]/g, '-').slice(0, 80)} -->`;
}

/** The verdict key embedded in a comment body, if any. */
export function readVerdictKey(body: string): string | undefined {
  return KEY_LINE_RE.exec(body)?.[1];
}

export type BaselineDescription =
  | {
      kind: 'artifact';
      runId: number;
      runUrl: string;
      headSha: string;
      branch: string;
      createdAt: string;
      ageDays: number;
      artifactName: string;
    }
  | { kind: 'file'; display: string; gitSha: string | null; startedAt: string }
  | { kind: 'none'; reason: string };

function ageText(days: number): string {
  if (days < 1 / 24) return 'less than an hour old';
  if (days < 1) return `${Math.round(days * 24)} h old`;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days old`;
}

const clean = (s: string): string => s.replace(/[\r\n`<>|[\]]/g, ' ').trim();

/** One line saying where the baseline came from (or why there is none). */
export function baselineLine(d: BaselineDescription): string {
  switch (d.kind) {
    case 'artifact':
      return (
        `**Baseline:** run [${d.runId}](${encodeURI(d.runUrl)}) on \`${clean(d.branch)}\` at ` +
        `\`${clean(d.headSha).slice(0, 7)}\`, artifact \`${clean(d.artifactName)}\` from ` +
        `${clean(d.createdAt).slice(0, 16).replace('T', ' ')} UTC (${ageText(d.ageDays)}).`
      );
    case 'file':
      return (
        `**Baseline:** file \`${clean(d.display)}\`` +
        `${d.gitSha ? ` (measured at \`${clean(d.gitSha).slice(0, 7)}\`` : ' ('}` +
        `${d.gitSha ? ', ' : ''}${clean(d.startedAt).slice(0, 10)}).`
      );
    case 'none':
      return `**No baseline:** ${clean(d.reason)}. SLA checks only.`;
  }
}

/**
 * Insert the verdict key right after the sticky marker (first line) and the extra lines after
 * the report's context line (the paragraph after the title). Falls back to after the title.
 */
export function decorateReport(markdown: string, key: string, extra: string[]): string {
  const lines = markdown.split('\n');
  const hasMarker = /^<!-- loadgate:.* -->$/.test(lines[0] ?? '');
  const head = hasMarker ? [lines[0] as string, verdictKeyLine(key)] : [verdictKeyLine(key)];
  const rest = hasMarker ? lines.slice(1) : lines;
  if (extra.length > 0) {
    const title = rest.findIndex((l) => l.startsWith('### '));
    let at = title < 0 ? 0 : title + 1;
    // Skip the blank line and the context paragraph that follow the title.
    if (title >= 0 && rest[at] === '' && (rest[at + 1] ?? '') !== '') {
      at += 1;
      while (at < rest.length && rest[at] !== '') at++;
    }
    rest.splice(at, 0, '', ...extra.flatMap((l, i) => (i === 0 ? [l] : ['', l])));
  }
  return [...head, ...rest].join('\n');
}

/** The check's failure message: what failed, by scenario, limited to what fail-on names. */
export function failureMessage(verdict: Verdict): string {
  const failOn = new Set(verdict.options.failOn);
  const counted = verdict.findings.filter(
    (f) =>
      (f.kind === 'regression' && failOn.has('regression')) ||
      (f.kind === 'sla-breach' && failOn.has('sla')) ||
      (f.kind === 'scenario-failed' && failOn.size > 0),
  );
  const shown = counted.slice(0, 8).map((f) => `  - ${f.message}`);
  if (counted.length > 8) shown.push(`  - … and ${counted.length - 8} more (see the job summary)`);
  const scenarios = [...new Set(counted.map((f) => f.scenario))];
  return [`loadgate: ${verdict.failReasons.join(', ')} in ${scenarios.join(', ')}`, ...shown].join(
    '\n',
  );
}

/** The report when the run itself could not happen (service did not start, crashed, bad config). */
export function errorReport(marker: string, title: string, message: string): string {
  const fence = message.includes('```') ? '~~~~' : '```';
  return [
    marker,
    verdictKeyLine('error'),
    `### ❌ loadgate: ${title}`,
    '',
    `${fence}text`,
    message.length > 20_000 ? `${message.slice(0, 20_000)}\n…` : message,
    fence,
    '',
  ].join('\n');
}
