/**
 * The fork commenter's comment, rebuilt in the trusted workflow from a pull request run's verdict
 * (validated by verdict-schema.ts), never copied from the artifact's markdown. Pure.
 *
 * Only what loadgate itself would write gets through: the protocol lines are made here (the
 * marker from the artifact's name, the verdict key from the verdict); the verdict line, the table
 * of what changed, the endpoint to blame, the unchanged scenarios, the method and the SLA come
 * from the same renderers and escaping as every report (report/, the comment's layout); findings are
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
import { changesBlocks, DEFAULT_MAX_CHARS, titleLine } from '../report/markdown.js';
import { contextLine } from '../report/sections/header.js';
import { methodSection } from '../report/sections/method.js';
import { slaSection } from '../report/sections/tables.js';
import { PLAIN_TEXT_RE, SCENARIO_NAME_RE } from './verdict-schema.js';

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
    ...(s.endpoints === undefined ? {} : { endpoints: plainEndpoints(s.endpoints) }),
  }));
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  return {
    ...v,
    options: {
      ...v.options,
      test: plainOr(v.options.test, ''),
      correction: plainOr(v.options.correction, ''),
    },
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

/**
 * Endpoint names are the config's request names (any text): shown when they read like a
 * scenario name, else numbered, so no markup or link gets through.
 */
function plainEndpoints(e: NonNullable<ScenarioVerdict['endpoints']>): typeof e {
  const shown = new Map(
    e.names.map((n, i) => [
      n,
      SCENARIO_NAME_RE.test(n) && !/www\./i.test(n) ? n : `endpoint-${i + 1}`,
    ]),
  );
  const as = (n: string) => shown.get(n) ?? 'endpoint';
  return {
    names: e.names.map(as),
    comparisons: e.comparisons.map((c) => ({ ...c, endpoint: as(c.endpoint), reason: '' })),
  };
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

/** The comment for one verified artifact, at most `maxChars` long: the comment's layout. */
export function forkComment(
  verdict: Verdict,
  facts: TrustedRunFacts,
  maxChars = DEFAULT_MAX_CHARS,
): string {
  const v = sanitizeVerdict(verdict);
  const links = {
    run: facts.runUrl,
    artifact: { name: facts.artifactName, url: `${facts.runUrl}#artifacts` },
  };
  const head = [
    `${protocolHead(facts.job, verdictKey(verdict))}\n${titleLine(v)}`,
    contextLine(v, links),
    provenanceLine(facts),
    disagreement(verdict, facts),
    dropped(verdict),
  ].filter((b) => b.length > 0);
  const build = (quietRows: number, failingSlaOnly: boolean, method: boolean): string =>
    `${[
      ...head,
      ...changesBlocks(v, 'comment', quietRows),
      method ? methodSection(v) : '',
      slaSection(v, false, failingSlaOnly),
    ]
      .filter((b) => b.length > 0)
      .join('\n\n')}\n`;
  let text = build(Number.POSITIVE_INFINITY, false, true);
  if (text.length > maxChars) text = build(Number.POSITIVE_INFINITY, true, true);
  if (text.length > maxChars) text = build(0, true, false);
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}\n` : text;
}
