/**
 * The top of the report under the verdict line: one context line (what was compared with what,
 * what fails the check, links to the workflow run and the full report), the warnings and the
 * accept label's note. Pure text.
 */
import { clip, escapeMarkdown } from '../../format/escape.js';
import { plural } from '../../format/numbers.js';
import type { Verdict } from '../../judge/types.js';

export { verdictLine as titleLine } from './verdict-line.js';

/** Where a reader goes from the comment: the workflow run, the full report, the method's doc. */
export interface ReportLinks {
  /** The workflow run (`${serverUrl}/${repo}/actions/runs/${runId}`). */
  run?: string;
  /** The report artifact: its name and where to get it. */
  artifact?: { name: string; url: string };
  /** The statistics doc (docs/statistics.md of loadgate); a default is used without it. */
  statisticsDoc?: string;
}

/** Where loadgate's statistics doc is when the front end does not say. */
export const STATISTICS_DOC_URL =
  'https://github.com/loadgate/loadgate/blob/main/docs/statistics.md';

const sha7 = (sha: string | null | undefined): string | null => {
  const hex = (sha ?? '').replace(/[^0-9a-fA-F]/g, '').slice(0, 7);
  return hex.length > 0 ? `\`${hex}\`` : null;
};

/** A link with escaped text and an encoded URL (only http(s) URLs are linked). */
export function link(text: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMarkdown(text);
  return `[${escapeMarkdown(text)}](${encodeURI(url).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))})`;
}

/** What was compared with what, in a few words. */
function comparedText(v: Verdict): string {
  if (v.mode === 'paired') {
    return `base ${sha7(v.baseline?.gitSha) ?? '(no sha)'} → head ${sha7(v.current.gitSha) ?? '(no sha)'}, side by side`;
  }
  if (v.baseline) {
    const ref = v.baseline.gitRef ? ` ${escapeMarkdown(clip(v.baseline.gitRef, 60))}` : '';
    const day = /^\d{4}-\d{2}-\d{2}/.exec(v.baseline.startedAt)?.[0];
    const history =
      v.history && v.history.used > 0 ? `, and ${v.history.used} runs of its history` : '';
    return `baseline ${sha7(v.baseline.gitSha) ?? '(no sha)'}${ref}${day ? ` from ${day}` : ''}${history}`;
  }
  return 'no baseline';
}

/** One line under the verdict: what was compared, what fails the check, the links. */
export function contextLine(v: Verdict, links: ReportLinks = {}): string {
  const bits = [comparedText(v)];
  bits.push(
    v.options.failOn.length > 0 ? `fails on ${v.options.failOn.join(', ')}` : 'report only',
  );
  if (links.run) bits.push(link('workflow run', links.run));
  if (links.artifact) bits.push(link(`full report (${links.artifact.name})`, links.artifact.url));
  return bits.join(' · ');
}

/** The accept label's note, when regressions were accepted. */
export function acceptedNote(v: Verdict): string {
  if (!v.accepted || v.counts.regressions === 0) return '';
  return `> [!NOTE]\n> ${plural(v.counts.regressions, 'regression')} accepted by the label \`${v.accepted.label.replace(/[`\r\n]/g, '')}\`: reported, not failing the check. SLA breaches and failed scenarios still fail as fail-on says.`;
}

/** The run's warnings, at most `max` visible (the rest are in the run details). */
export function warningsBlock(v: Verdict, max = 5): string {
  if (v.warnings.length === 0) return '';
  const shown = v.warnings.slice(0, max).map((w) => `> ${escapeMarkdown(clip(w, 400))}`);
  if (v.warnings.length > max)
    shown.push(`> … and ${v.warnings.length - max} more in the run details`);
  return ['> [!WARNING]', ...shown.flatMap((l, i) => (i === 0 ? [l] : ['>', l]))].join('\n');
}
