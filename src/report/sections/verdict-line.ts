/**
 * The verdict line, the report's title: what the reader asks first, counted in scenarios, not
 * in metrics. "❌ loadgate: search-admins got slower (p95 +206 %), and 1 scenario that calls it;
 * 5 unchanged". The worst scenario is named with its worst change; the scenarios that got slower
 * through the same endpoint are counted as calling it; SLA breaches, failures, new, faster,
 * undecided and inconclusive scenarios are counted apart. Pure.
 */
import { clip } from '../../format/escape.js';
import { formatUnit, plural } from '../../format/numbers.js';
import type { ScenarioVerdict, Verdict } from '../../judge/types.js';
import { name as escapedName } from './cells.js';
import { roughTime } from './durations.js';
import {
  blamedEndpoints,
  groupScenarios,
  labelOf,
  shortChange,
  slowerVerb,
  worstRegression,
  type ScenarioGroups,
} from './scenario-groups.js';

/** Names in the title are plain (escaped by the caller's markdown rules) and short. */
const TITLE_NAME_MAX = 60;

export function verdictIcon(v: Verdict): string {
  if (v.status === 'fail') return v.failsCheck ? '❌' : '⚠️';
  return v.status === 'warn' ? '⚠️' : '✅';
}

/** The endpoints a scenario is known to call the slow way: its blamed ones, or its only one. */
function slowEndpoints(s: ScenarioVerdict): Set<string> {
  const blamed = blamedEndpoints(s).map((c) => c.endpoint);
  if (blamed.length > 0) return new Set(blamed);
  const names = s.endpoints?.names ?? [];
  return new Set(names.length === 1 ? names : []);
}

/** "search-admins got slower (p95 +206 %), and 1 scenario that calls it, and 1 other scenario". */
function slowerPhrase(slower: readonly ScenarioVerdict[], name: (s: string) => string): string {
  const [lead, ...rest] = slower;
  if (lead === undefined) return '';
  const worst = worstRegression(lead);
  let text = worst
    ? `${name(lead.name)} ${slowerVerb(worst)} (${labelOf(worst)} ${shortChange(worst)})`
    : `${name(lead.name)} got slower`;
  const leadEndpoints = slowEndpoints(lead);
  const callers = rest.filter((s) => blamedEndpoints(s).some((c) => leadEndpoints.has(c.endpoint)));
  const others = rest.length - callers.length;
  if (callers.length > 0) {
    text += `, and ${plural(callers.length, 'scenario')} that call${callers.length === 1 ? 's' : ''} it`;
  }
  if (others > 0) text += `, and ${plural(others, 'other scenario')}`;
  return text;
}

function breachPhrase(breached: readonly ScenarioVerdict[], name: (s: string) => string): string {
  if (breached.length !== 1) return `${breached.length} scenarios breach their SLA`;
  const s = breached[0] as ScenarioVerdict;
  const check = s.sla.find((c) => c.status === 'fail');
  if (!check) return `${name(s.name)} breaches its SLA`;
  const bound = check.bound === 'max' ? 'over' : 'under';
  return `${name(s.name)} breaches its SLA (${name(check.label)} ${formatUnit(check.measured, check.unit)}, ${bound} ${formatUnit(check.threshold, check.unit)})`;
}

/** "2 undecided: would need about 9 more minutes to decide at a min effect of 3 %". */
export function undecidedPhrase(v: Verdict, undecided: readonly ScenarioVerdict[]): string {
  const head = `${undecided.length} undecided`;
  // Stored mode has no budget: its undecided scenarios changed less than one run can tell.
  if (v.mode !== 'paired') return `${head} (within what one stored run can tell)`;
  const times = undecided.map((s) => s.budget?.toDecideSeconds ?? null);
  if (times.some((t) => t === null)) return `${head} (the budget ended first)`;
  const seconds = times.reduce<number>((sum, t) => sum + (t ?? 0), 0);
  return `${head}: would need about ${roughTime(seconds, 'more')} to decide at a min effect of ${(v.options.minEffect * 100).toFixed(0)} %`;
}

/** Why inconclusive scenarios could not be judged, in a few words. */
function inconclusivePhrase(inconclusive: readonly ScenarioVerdict[]): string {
  const saturated = inconclusive.every((s) => s.generatorSaturated);
  const why = saturated ? 'the load generator was saturated' : 'too few trials to tell';
  return `${inconclusive.length} inconclusive (${why})`;
}

function parts(v: Verdict, g: ScenarioGroups, name: (s: string) => string): string[] {
  const out: string[] = [];
  if (v.machine?.differs) out.push('machines differ, latency not judged');
  if (g.slower.length > 0) {
    const accepted = v.accepted ? `, accepted by the label ${name(v.accepted.label)}` : '';
    out.push(`${slowerPhrase(g.slower, name)}${accepted}`);
  }
  if (g.breached.length > 0) out.push(breachPhrase(g.breached, name));
  if (g.failed.length > 0) {
    out.push(
      g.failed.length === 1
        ? `${name((g.failed[0] as ScenarioVerdict).name)} failed to run`
        : `${g.failed.length} scenarios failed to run`,
    );
  }
  const problems = out.length > 0;
  // "Nothing got slower" only when every scenario was decided.
  const open = g.undecided.length + g.inconclusive.length > 0;
  if (!problems && !open && v.mode !== 'sla-only') out.push('nothing got slower');
  if (g.added.length > 0) {
    out.push(
      g.added.length === 1
        ? `${name((g.added[0] as ScenarioVerdict).name)} is new (judged on its SLA alone)`
        : `${g.added.length} new scenarios (judged on their SLA alone)`,
    );
  }
  if (g.faster.length > 0) {
    const first = g.faster[0] as ScenarioVerdict;
    const best = first.comparisons.find((c) => c.outcome === 'improvement');
    out.push(
      g.faster.length === 1 && best
        ? `${name(first.name)} got faster (${labelOf(best)} ${shortChange(best)})`
        : `${g.faster.length} faster`,
    );
  }
  if (g.undecided.length > 0) out.push(undecidedPhrase(v, g.undecided));
  if (g.inconclusive.length > 0) out.push(inconclusivePhrase(g.inconclusive));
  if (g.removed.length > 0) out.push(`${g.removed.length} removed`);
  if (g.unchanged.length > 0) out.push(`${g.unchanged.length} unchanged`);
  if (v.mode === 'sla-only') out.push(slaOnlyPhrase(v, problems));
  return out;
}

function slaOnlyPhrase(v: Verdict, problems: boolean): string {
  const checks = v.counts.slaChecks;
  if (problems) return 'no baseline, SLA checks only';
  return `no baseline, SLA checks only: ${checks === 1 ? 'the check passes' : `all ${checks} pass`}`;
}

/**
 * The title: icon, "loadgate:", the verdict in scenarios. `name` renders a name (escaped for the
 * report's markdown by default).
 */
export function verdictLine(v: Verdict, name: (s: string) => string = escapedName): string {
  const clipped = (s: string) => name(clip(s, TITLE_NAME_MAX));
  const g = groupScenarios(v);
  const list = parts(v, g, clipped);
  // The lead clause, then the rest after a semicolon: "A got slower (…); 5 unchanged"; a run
  // where only unchanged scenarios follow says "nothing got slower: 7 scenarios unchanged".
  const [lead, ...rest] = list;
  const onlyUnchanged = rest.length === 1 && g.unchanged.length > 0;
  let text =
    lead === 'nothing got slower' && rest.length > 0
      ? `${lead}: ${onlyUnchanged ? `${plural(g.unchanged.length, 'scenario')} unchanged` : rest.join('; ')}`
      : list.join('; ');
  if (v.status === 'fail' && !v.failsCheck && !v.accepted)
    text += ' (report only, not failing the check)';
  return `### ${verdictIcon(v)} loadgate: ${text}`;
}
