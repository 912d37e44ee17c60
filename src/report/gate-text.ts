/**
 * The wording around a gate run's report (pure): where the baseline came from, the check's
 * failure message, and the report written when the run could not happen at all.
 */
import type { BaselineDescription } from '../baseline/outcome.js';
import type { Verdict } from '../judge/types.js';
import { codeFence } from '../format/escape.js';
import { ERROR_VERDICT_KEY, neutraliseComments, protocolHead } from './comment-protocol.js';

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
    case 'paired':
      return (
        `**Base:** ${d.gitSha ? `\`${clean(d.gitSha).slice(0, 7)}\`` : 'the base checkout'}` +
        `${d.origin ? ` (${clean(d.origin)})` : ''}, started beside the head on this machine and measured in pairs of trials.`
      );
    case 'none':
      return `**No baseline:** ${clean(d.reason)}. SLA checks only.`;
  }
}

/** A caution block under the title (a corrupt baseline file, say). */
export function cautionLine(text: string): string {
  return `> [!CAUTION]\n> ${text.replace(/\n/g, ' ')}`;
}

/** A warning block under the title (a baseline that could not be looked up, say). */
export function warningLine(text: string): string {
  return `> [!WARNING]\n> ${text.replace(/\n/g, ' ')}`;
}

/** The check's failure message: what failed, by scenario, limited to what fail-on names. */
export function failureMessage(verdict: Verdict): string {
  const failOn = new Set(verdict.options.failOn);
  const counted = verdict.findings.filter(
    (f) =>
      (f.kind === 'regression' && failOn.has('regression') && !verdict.accepted) ||
      (f.kind === 'sla-breach' && failOn.has('sla')) ||
      (f.kind === 'scenario-failed' && failOn.size > 0),
  );
  const shown = counted.slice(0, 8).map((f) => `  - ${f.message}`);
  if (counted.length > 8) shown.push(`  - … and ${counted.length - 8} more (see the job summary)`);
  const scenarios = [...new Set(counted.map((f) => f.scenario))];
  const where = scenarios.length > 0 ? ` in ${scenarios.join(', ')}` : '';
  // The machines differ (judge/machine.ts): what the gate could not judge, and what to do.
  const machine = verdict.machine?.differs
    ? [
        `  - the machines differ: ${verdict.machine.summary}; a change cannot be told from the machine (re-run, or use baseline: base-commit)`,
      ]
    : [];
  return [`loadgate: ${verdict.failReasons.join(', ')}${where}`, ...shown, ...machine].join('\n');
}

/**
 * The report when the run itself could not happen (service did not start, crashed, bad config).
 * The message (a service's output may be in it) sits in a fence no line of it can close, and
 * none of its `<!--` stays a comment (comment-protocol.ts `neutraliseComments`).
 */
export function errorReport(markerKey: string, title: string, message: string): string {
  const shown = neutraliseComments(
    message.length > 20_000 ? `${message.slice(0, 20_000)}\n…` : message,
  );
  const fence = codeFence(shown);
  return [
    protocolHead(markerKey, ERROR_VERDICT_KEY),
    `### ❌ loadgate: ${neutraliseComments(title)}`,
    '',
    `${fence}text`,
    shown,
    fence,
    '',
  ].join('\n');
}
