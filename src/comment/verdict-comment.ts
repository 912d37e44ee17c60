/**
 * The fork commenter's comment, rebuilt in the trusted workflow from a pull request run's verdict
 * (validated by verdict-schema.ts), never copied from the artifact's markdown. Pure.
 *
 * Only what loadgate itself would write gets through: the protocol lines are made here (the
 * marker from the artifact's name, the verdict key from the verdict); the title, scenario and SLA
 * tables come from the same renderers and escaping as every report (report/); findings are
 * re-worded from their structured fields; free texts from the run (warnings, notes, reasons,
 * failure messages) are left out and pointed to. The trusted facts (the run, its commit and its
 * conclusion, from the workflow_run event) are stated beside the verdict, with a caution when the
 * two disagree: the figures are the pull request's run's own claim.
 */
import { escapeMarkdown } from '../format/escape.js';
import { formatP, formatPercentChange, formatUnit, plural } from '../format/numbers.js';
import { changeText } from '../judge/compare.js';
import type { Finding, ScenarioVerdict, Verdict } from '../judge/types.js';
import { protocolHead, verdictKey } from '../report/comment-protocol.js';
import { DEFAULT_MAX_CHARS, titleLine } from '../report/markdown.js';
import { findingsBlock } from '../report/sections/header.js';
import { PLAIN_TEXT_RE } from './verdict-schema.js';
import { hasNews, scenarioTable, slaTable } from '../report/sections/tables.js';

/** What the trusted workflow knows for itself about the run that reported. */
export interface TrustedRunFacts {
  /** The marker key (from the artifact's name). */
  job: string;
  artifactName: string;
  runId: number;
  runUrl: string;
  headSha: string;
  /** `workflow_run.conclusion`: success, failure, cancelled… (null while running). */
  conclusion: string | null;
}

const plainOr = (text: string, otherwise: string): string =>
  PLAIN_TEXT_RE.test(text) ? text : otherwise;

/**
 * The verdict with every free text replaced by what loadgate writes from the structured fields;
 * SLA labels and bases are kept only when they are plain text (else the check's name, or nothing).
 */
export function sanitizeVerdict(v: Verdict): Verdict {
  const scenarios = v.scenarios.map((s): ScenarioVerdict => ({
    ...s,
    sla: s.sla.map((c) => ({
      ...c,
      label: plainOr(c.label, c.check),
      basis: plainOr(c.basis, ''),
    })),
    failure: s.failure === null ? null : 'failed to complete',
    notes: [],
    ...(s.suspect === undefined ? {} : { suspect: 'measurement suspect' }),
    comparisons: s.comparisons.map((c) => ({ ...c, reason: '' })),
    ...(s.kindComparisons === undefined
      ? {}
      : {
          kindComparisons: s.kindComparisons.map((c) => ({
            ...c,
            label: plainOr(c.label, c.metric),
            reason: '',
          })),
        }),
  }));
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  return {
    ...v,
    failReasons: [],
    warnings: [],
    notes: [],
    scenarios,
    findings: v.findings.map((f) => ({ ...f, message: findingText(f, byName.get(f.scenario)) })),
  };
}

/** A finding in loadgate's words (judge/scenario-verdict.ts), from its structured fields only. */
export function findingText(f: Finding, s: ScenarioVerdict | undefined): string {
  const name = `"${f.scenario}"`;
  if (f.kind === 'scenario-failed') {
    return `Scenario ${name} failed to complete (the reason is in the run's job summary)`;
  }
  if (f.kind === 'regression') {
    const c = s?.comparisons.find((x) => x.metric === f.metric);
    if (c)
      return `${name} ${c.metric} regressed ${changeText(c)} (adjusted p ${formatP(c.pAdjusted)})`;
    const k = s?.kindComparisons?.find((x) => x.metric === f.metric);
    if (k) return `${name} ${k.label} regressed ${formatPercentChange(k.change)}`;
    return `${name} regressed`;
  }
  const check = s?.sla.find((x) => x.check === f.metric);
  if (!check) return `${name} breached an SLA`;
  const margin = check.margin === null ? '' : ` (margin ${formatPercentChange(check.margin)})`;
  return `${name} ${check.label} ${formatUnit(check.measured, check.unit)} ${check.bound === 'max' ? '>' : '<'} ${formatUnit(check.threshold, check.unit)}${margin}`;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}/;

function contextLine(v: Verdict): string {
  const bits: string[] = [];
  const sha = (s: string | null | undefined) => (s ? `\`${s.slice(0, 7)}\`` : '(no sha)');
  if (v.mode === 'paired') bits.push(`base ${sha(v.baseline?.gitSha)} and head side by side`);
  else if (v.baseline) {
    const date = DATE_RE.exec(v.baseline.startedAt)?.[0];
    bits.push(`baseline ${sha(v.baseline.gitSha)}${date ? ` from ${date}` : ''}`);
  } else bits.push('no baseline (SLA checks only)');
  bits.push(`α ${v.options.alpha}`);
  bits.push(`min effect ${(v.options.minEffect * 100).toFixed(0)} %`);
  bits.push(
    v.options.failOn.length > 0 ? `fails on ${v.options.failOn.join(', ')}` : 'report only',
  );
  return bits.join(' · ');
}

function provenanceLine(facts: TrustedRunFacts): string {
  const conclusion = facts.conclusion ?? 'not finished';
  return (
    `<sub>Figures reported by the pull request's own [run ${facts.runId}](${encodeURI(facts.runUrl)}) ` +
    `of \`${facts.headSha.replace(/[^0-9a-f]/gi, '').slice(0, 7)}\` (concluded **${escapeMarkdown(conclusion)}**), ` +
    `rebuilt from its verdict by this repository's \`workflow_run\` workflow. ` +
    `The full report is in that run's job summary and artifact \`${facts.artifactName.replace(/`/g, '')}\`.</sub>`
  );
}

/** The run's own conclusion disagrees with the verdict it reported: say so at the top. */
function disagreement(v: Verdict, facts: TrustedRunFacts): string {
  if (facts.conclusion === 'success' && v.failsCheck) {
    return '> [!CAUTION]\n> The verdict says the check fails, but the run concluded **success**.';
  }
  if (facts.conclusion === 'failure' && v.status !== 'fail') {
    return `> [!CAUTION]\n> The run concluded **failure**, but its verdict says **${v.status}**: a step failed, or the verdict is not the run's.`;
  }
  return '';
}

function dropped(v: Verdict): string {
  const n = v.warnings.length + v.notes.length;
  return n === 0
    ? ''
    : `> [!NOTE]\n> ${plural(n, 'warning or note', 'warnings and notes')} of this run are in its job summary.`;
}

/** The comment for one verified artifact, at most `maxChars` long. */
export function forkComment(
  verdict: Verdict,
  facts: TrustedRunFacts,
  maxChars = DEFAULT_MAX_CHARS,
): string {
  const v = sanitizeVerdict(verdict);
  const head = [
    `${protocolHead(facts.job, verdictKey(verdict))}\n${titleLine(v)}`,
    provenanceLine(facts),
    disagreement(verdict, facts),
    contextLine(v),
    dropped(verdict),
    findingsBlock(v),
  ].filter((b) => b.length > 0);
  const build = (rows: ScenarioVerdict[], failingSlaOnly: boolean): string =>
    `${[
      ...head,
      scenarioTable(v, rows, v.scenarios.length - rows.length),
      slaTable({ ...v, scenarios: rows }, failingSlaOnly),
    ]
      .filter((b) => b.length > 0)
      .join('\n\n')}\n`;
  let text = build(v.scenarios, false);
  if (text.length > maxChars) text = build(v.scenarios, true);
  if (text.length > maxChars) text = build(v.scenarios.filter(hasNews), true);
  // Last resort: fewer rows until it fits (the scenarios with news come first).
  for (let keep = v.scenarios.filter(hasNews).length; text.length > maxChars && keep > 0;) {
    keep = Math.floor(keep / 2);
    text = build(v.scenarios.filter(hasNews).slice(0, keep), true);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}\n` : text;
}
