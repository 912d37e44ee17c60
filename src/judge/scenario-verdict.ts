/**
 * The verdict of one scenario: its SLA checks, its comparisons with the baseline (decided over
 * the whole family in compare.ts), a kind's single-figure comparisons, and the findings they
 * produce. A scenario that failed to complete, or that only the baseline has, gets its own shape.
 */
import { roundsToDecide } from './sequential.js';
import { formatP, formatPercentChange, formatUnit } from '../format/numbers.js';
import type { AbSequential, ScenarioResult } from '../result/types.js';
import { own } from '../result/own.js';
import { changeText } from './change-text.js';
import { compareKind } from './kind-compare.js';
import { worstSeverity } from './severity.js';
import { checkSla } from './sla.js';
import { medians } from './summaries.js';
import type {
  Finding,
  KindComparison,
  MetricComparison,
  ScenarioEndpoints,
  ScenarioStatus,
  ScenarioVerdict,
  SlaCheck,
} from './types.js';

export interface ScenarioInputs {
  name: string;
  current: ScenarioResult;
  baseline: ScenarioResult | undefined;
  /** Whether the run had a baseline at all (a scenario missing from it is "new"). */
  hasBaseline: boolean;
  comparisons: MetricComparison[];
  notes: string[];
  minEffect: number;
  cores: number;
  /** A/B with a budget: the run's looks and how its scenarios ended. */
  sequential?: { record: AbSequential; alpha: number };
  /** Why the base cannot serve this scenario (judge/unserved-base.ts): then it is new. */
  baseCannotServe?: string;
  /** Its endpoints and their tests (judge/endpoints.ts), when it was compared. */
  endpoints?: ScenarioEndpoints;
}

export function failedScenarioVerdict(
  s: ScenarioInputs,
  failure: string,
): {
  verdict: ScenarioVerdict;
  findings: Finding[];
} {
  const { name, baseline: base } = s;
  return {
    findings: [
      {
        severity: 'CRITICAL',
        kind: 'scenario-failed',
        scenario: name,
        metric: null,
        message: `Scenario "${name}" failed to complete: ${failure}`,
      },
    ],
    verdict: {
      name,
      kind: s.current.kind,
      status: 'failed',
      slaBreached: false,
      severity: 'CRITICAL',
      trials: { baseline: base?.trials.length ?? 0, current: s.current.trials.length },
      current: null,
      baseline: base && base.failure === undefined ? medians(base) : null,
      comparisons: [],
      sla: [],
      failure,
      generatorSaturated: s.current.generatorSaturated,
      notes: s.notes,
    },
  };
}

/**
 * SLA checks judge what the service does alone: in a duet A/B run that is the head's solo
 * trials, since in the pairs each side had half the CPU.
 */
function slaChecks(cur: ScenarioResult, cores: number) {
  if (cur.solo === undefined) return checkSla(cur, cores);
  return checkSla(cur.solo, cores).map((c) => ({ ...c, basis: `${c.basis}, head alone` }));
}

export function scenarioVerdict(s: ScenarioInputs): {
  verdict: ScenarioVerdict;
  findings: Finding[];
} {
  const { name, current: cur, baseline: base, comparisons } = s;
  const notes = [...s.notes];
  if (cur.trials.length === 0 && cur.kindResult === undefined) {
    notes.push('No trials recorded: nothing to check.');
  }
  if (s.baseCannotServe !== undefined) {
    notes.push(
      `New in this change: ${s.baseCannotServe}, so it is judged on its SLA alone, not compared.`,
    );
  }
  const kindComparisons =
    base && base.failure === undefined && cur.kindResult && s.baseCannotServe === undefined
      ? compareKind(base, cur, s.minEffect)
      : [];
  const sla = slaChecks(cur, s.cores);
  const severities = [
    ...kindComparisons.map((c) => c.severity),
    ...comparisons.filter((c) => c.outcome === 'regression').map((c) => c.severity),
    ...sla.map((c) => c.severity),
  ];
  return {
    findings: [
      ...regressionFindings(name, comparisons, kindComparisons),
      ...slaFindings(name, sla),
    ],
    verdict: {
      name,
      kind: cur.kind,
      status: statusOf(s, kindComparisons),
      slaBreached: sla.some((c) => c.status === 'fail'),
      severity: worstSeverity(severities),
      trials: { baseline: base?.trials.length ?? 0, current: cur.trials.length },
      current: medians(cur),
      baseline: base && base.failure === undefined ? medians(base) : null,
      comparisons,
      ...(cur.kindResult === undefined ? {} : { kindComparisons }),
      sla,
      failure: null,
      generatorSaturated: cur.generatorSaturated,
      ...(s.baseCannotServe === undefined ? budgetOf(s) : {}),
      ...(s.endpoints === undefined ? {} : { endpoints: s.endpoints }),
      notes,
    },
  };
}

/** What the budget bought this scenario: its rounds, how it ended, and what deciding would take. */
function budgetOf(s: ScenarioInputs): Pick<ScenarioVerdict, 'budget'> {
  const seq = s.sequential;
  const decided = own(seq?.record.decided, s.name);
  if (seq === undefined || decided === undefined) return {};
  const rounds = s.current.trials.reduce((most, t) => Math.max(most, (t.round ?? 0) + 1), 0);
  let toDecideSeconds: number | null = null;
  if (decided === 'undecided' && rounds > 0) {
    const needed = roundsToDecide(s.comparisons, seq.alpha, seq.record.familySize);
    const perRound = (own(seq.record.scenarioSeconds, s.name) ?? 0) / rounds;
    if (needed !== null && perRound > 0) toDecideSeconds = Math.max(0, needed - rounds) * perRound;
  }
  return { budget: { rounds, decided, toDecideSeconds } };
}

/** A scenario only the baseline has: reported, not compared. */
export function removedScenarioVerdict(name: string, base: ScenarioResult): ScenarioVerdict {
  return {
    name,
    kind: base.kind,
    status: 'removed',
    slaBreached: false,
    severity: null,
    trials: { baseline: base.trials.length, current: 0 },
    current: null,
    baseline: base.failure === undefined ? medians(base) : null,
    comparisons: [],
    sla: [],
    failure: null,
    generatorSaturated: false,
    notes: [],
  };
}

function comparisonStatus(comparisons: readonly MetricComparison[]): ScenarioStatus {
  if (comparisons.length === 0) return 'not-compared';
  const has = (o: MetricComparison['outcome']) => comparisons.some((c) => c.outcome === o);
  if (has('regression')) return 'regression';
  if (has('improvement')) return 'improvement';
  if (comparisons.some((c) => c.undecided)) return 'undecided';
  if (has('inconclusive')) return 'inconclusive';
  return 'unchanged';
}

function statusOf(s: ScenarioInputs, kindComparisons: readonly KindComparison[]): ScenarioStatus {
  let status: ScenarioStatus;
  if (s.baseCannotServe !== undefined) return 'new';
  if (!s.baseline) status = s.hasBaseline ? 'new' : 'not-compared';
  else status = comparisonStatus(s.comparisons);
  if (kindComparisons.some((c) => c.outcome === 'regression')) return 'regression';
  if (status === 'not-compared' || status === 'unchanged') {
    if (kindComparisons.some((c) => c.outcome === 'improvement')) return 'improvement';
    if (kindComparisons.length > 0) return 'unchanged';
  }
  return status;
}

function regressionFindings(
  name: string,
  comparisons: readonly MetricComparison[],
  kindComparisons: readonly KindComparison[],
): Finding[] {
  const candidates = [
    ...kindComparisons.map((c) => ({ c, message: `"${name}" ${c.reason}` })),
    ...comparisons.map((c) => ({
      c,
      message: `"${name}" ${c.metric} regressed ${changeText(c)} (adjusted p ${formatP(c.pAdjusted)})`,
    })),
  ];
  const findings: Finding[] = [];
  for (const { c, message } of candidates) {
    if (c.outcome !== 'regression' || c.severity === null) continue;
    findings.push({
      severity: c.severity,
      kind: 'regression',
      scenario: name,
      metric: c.metric,
      message,
    });
  }
  return findings;
}

function slaFindings(name: string, sla: readonly SlaCheck[]): Finding[] {
  const findings: Finding[] = [];
  for (const check of sla) {
    if (check.status !== 'fail' || check.severity === null) continue;
    const margin = check.margin === null ? '' : ` (margin ${formatPercentChange(check.margin)})`;
    findings.push({
      severity: check.severity,
      kind: 'sla-breach',
      scenario: name,
      metric: check.check,
      message: `"${name}" ${check.label} ${formatUnit(check.measured, check.unit)} ${check.bound === 'max' ? '>' : '<'} ${formatUnit(check.threshold, check.unit)}${margin}`,
    });
  }
  return findings;
}
