/**
 * The top of the report, most important first: the title with the overall verdict, one context
 * line, the warnings and the findings (worst first). Pure text.
 */
import { clip, escapeMarkdown } from '../../format/escape.js';
import { plural } from '../../format/numbers.js';
import type { Verdict } from '../../judge/types.js';
import type { RunResult } from '../../result/types.js';
import { SEVERITY_ICON } from './cells.js';

const MAX_FINDINGS = 10;

export function titleLine(v: Verdict): string {
  const c = v.counts;
  const icon = v.status === 'fail' ? '❌' : v.status === 'warn' ? '⚠️' : '✅';
  const parts: string[] = [];
  const accepted = v.accepted !== undefined && c.regressions > 0 ? ' (accepted)' : '';
  if (c.regressions > 0) parts.push(`${plural(c.regressions, 'regression')}${accepted}`);
  if (c.slaBreaches > 0) parts.push(plural(c.slaBreaches, 'SLA breach', 'SLA breaches'));
  if (c.failedScenarios > 0) parts.push(plural(c.failedScenarios, 'failed scenario'));
  if (v.machine?.differs) parts.push('machines differ');
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

/** How the pairs were measured, in a few words. */
function scheduleText(ab: NonNullable<RunResult['ab']>): string {
  if (ab.schedule !== 'duet') return 'one side after the other';
  const cpus = ab.serviceCpus?.replace(/[^0-9,-]/g, '');
  return `both sides at once${cpus ? ` on CPU ${cpus}` : ''}, SLA on the head alone`;
}

export function contextLine(v: Verdict, current: RunResult): string {
  const bits: string[] = [];
  if (v.mode === 'paired') {
    const sha = shortSha(v.baseline?.gitSha ?? null);
    bits.push(
      `base ${sha ? `\`${sha.replace(/[^0-9a-fA-F]/g, '')}\`` : '(no sha)'} and head side by side`,
    );
    const trials = new Set(current.scenarios.map((s) => s.trials.length));
    const rounds = current.ab?.rounds ?? 1;
    if (trials.size === 1)
      bits.push(
        `${plural([...trials][0] ?? 0, 'pair')} of trials per scenario${rounds > 1 ? ` in ${rounds} rounds (services restarted between them)` : ''}`,
      );
    if (current.ab) bits.push(scheduleText(current.ab));
  } else if (v.baseline) {
    const sha = shortSha(v.baseline.gitSha);
    const ref = v.baseline.gitRef ? ` ${escapeMarkdown(v.baseline.gitRef)}` : '';
    bits.push(
      `baseline ${sha ? `\`${sha.replace(/[^0-9a-fA-F]/g, '')}\`` : '(no sha)'}${ref} from ${escapeMarkdown(v.baseline.startedAt.slice(0, 10))}`,
    );
    if (v.history && v.history.used > 0)
      bits.push(`judged against ${v.history.used} runs of its history`);
  } else {
    bits.push('no baseline (SLA checks only)');
  }
  if (v.mode !== 'paired') {
    const trials = new Set(current.scenarios.map((s) => s.trials.length));
    if (trials.size === 1) bits.push(`${plural([...trials][0] ?? 0, 'trial')} per scenario`);
  }
  bits.push(`α ${v.options.alpha}`);
  const history = v.history && v.history.used > 0 ? v.history : undefined;
  bits.push(`min effect ${((history ?? v.options).minEffect * 100).toFixed(0)} %`);
  bits.push(
    v.options.failOn.length > 0 ? `fails on ${v.options.failOn.join(', ')}` : 'report only',
  );
  return bits.join(' · ');
}

export function findingsBlock(v: Verdict): string {
  if (v.findings.length === 0) return '';
  const accepted =
    v.accepted && v.counts.regressions > 0
      ? `> [!NOTE]\n> ${plural(v.counts.regressions, 'regression')} accepted by the label \`${v.accepted.label.replace(/[`\r\n]/g, '')}\`: reported, not failing the check. SLA breaches and failed scenarios still fail as fail-on says.\n\n`
      : '';
  const lines = v.findings
    .slice(0, MAX_FINDINGS)
    .map(
      (f) =>
        `- ${SEVERITY_ICON[f.severity]} **${f.severity}** ${escapeMarkdown(clip(f.message, 300))}`,
    );
  if (v.findings.length > MAX_FINDINGS) {
    lines.push(`- … and ${v.findings.length - MAX_FINDINGS} more in the tables below`);
  }
  return accepted + lines.join('\n');
}

export function warningsBlock(v: Verdict): string {
  if (v.warnings.length === 0) return '';
  const shown = v.warnings.slice(0, 5).map((w) => `> ${escapeMarkdown(clip(w, 400))}`);
  if (v.warnings.length > 5) shown.push(`> … and ${v.warnings.length - 5} more (see details)`);
  return ['> [!WARNING]', ...shown.flatMap((l, i) => (i === 0 ? [l] : ['>', l]))].join('\n');
}
