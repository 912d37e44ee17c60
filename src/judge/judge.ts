/**
 * The judge: SLA checks (absolute, current run) + regression tests (relative to the baseline).
 * Pure and deterministic: same inputs → deep-equal Verdict.
 *
 * Overall status: 'fail' when there is any regression, SLA breach or failed scenario; 'warn'
 * when there is none but there are compatibility warnings or notes (no baseline, too few
 * trials, saturated load generator, inconclusive tests); 'pass' otherwise.
 * `failsCheck` applies `failOn`: regressions fail on 'regression', SLA breaches on 'sla', a
 * scenario that failed to complete on either ('none' = empty set = never fails).
 */
import { abBaseRun } from '../result/ab.js';
import type { History } from '../result/history.js';
import { own } from '../result/own.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import {
  CONFIDENCE,
  ERROR_RATE_MIN_PP,
  type ComparisonOutput,
  type ScenarioPair,
} from './compare.js';
import { countVerdicts } from './counts.js';
import { compareEndpoints } from './endpoints.js';
import type { TestDesign } from './family.js';
import { HISTORY_TEST_TEXT } from './history-compare.js';
import { compareRuns } from './history-verdict.js';
import {
  failedScenarioVerdict,
  removedScenarioVerdict,
  scenarioVerdict,
} from './scenario-verdict.js';
import { testedInRounds } from './paired.js';
import { severityRank } from './severity.js';
import { describeMachine, provenance } from './summaries.js';
import { holdBackMixedImprovements } from './mixed-change.js';
import { discountImprovements, suspicionOf, suspicionText } from './suspicion.js';
import type {
  Finding,
  JudgeOptions,
  ScenarioEndpoints,
  ScenarioVerdict,
  Verdict,
} from './types.js';
import { baseCannotServe } from './unserved-base.js';
import { VERDICT_SCHEMA_VERSION } from './types.js';

export { describeMachine } from './summaries.js';

const TEST_TEXT: Record<TestDesign, string> = {
  'two-sample':
    'one-sided Mann-Whitney U on per-trial values (exact without ties), Hodges-Lehmann ratio with 95 % interval',
  paired:
    'one-sided Wilcoxon signed-rank on the per-pair log ratios head/base of the pairs of trials (exact without ties or equal pairs), Hodges-Lehmann ratio (Walsh averages) with 95 % interval',
};

/** A/B in rounds: the test over the rounds' means (judge/paired.ts). */
const ROUNDS_TEST_TEXT =
  "one-sided Student t over the rounds' means of the per-pair log ratios head/base (both services restarted between rounds, so each round is one independent look), geometric mean ratio with 95 % t interval";

export class IncompatibleResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompatibleResultsError';
  }
}

function settingsDiff(b: ScenarioResult, c: ScenarioResult): string[] {
  const out: string[] = [];
  const keys = ['connections', 'rate', 'warmupSeconds', 'trialSeconds'] as const;
  for (const k of keys) {
    if (b.settings[k] !== c.settings[k]) {
      out.push(`${k} ${b.settings[k] ?? 'none'} → ${c.settings[k] ?? 'none'}`);
    }
  }
  if (b.kind !== c.kind) out.push(`kind ${b.kind} → ${c.kind}`);
  return out;
}

function byName(scenarios: readonly ScenarioResult[], warnings: string[], which: string) {
  const map = new Map<string, ScenarioResult>();
  for (const s of scenarios) {
    if (map.has(s.name)) {
      warnings.push(
        `The ${which} run has two scenarios named "${s.name}": only the first is used.`,
      );
      continue;
    }
    map.set(s.name, s);
  }
  return map;
}

function checkInputs(baseline: RunResult | undefined, current: RunResult, options: JudgeOptions) {
  const { alpha, minEffect } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(minEffect >= 0)) throw new RangeError(`minEffect must be ≥ 0, got ${minEffect}`);
  if (baseline && baseline.schemaVersion !== current.schemaVersion) {
    throw new IncompatibleResultsError(
      `Cannot compare: the baseline has schema version ${String(baseline.schemaVersion)}, the current run ${String(current.schemaVersion)}.`,
    );
  }
}

/** Whether the two runs are comparable at all: same machine type, same configuration. */
function compatibilityWarnings(baseline: RunResult, current: RunResult): string[] {
  const warnings: string[] = [];
  if (baseline.environment.hash !== current.environment.hash) {
    warnings.push(
      `Baseline from a different machine type (baseline: ${describeMachine(baseline.environment)}; current: ${describeMachine(current.environment)}): differences may come from the machine, not the change.`,
    );
  }
  if (baseline.config.hash !== current.config.hash) {
    warnings.push(
      `The baseline ran with a different configuration (config hash ${baseline.config.hash} → ${current.config.hash}): scenarios may not be comparable.`,
    );
  }
  return warnings;
}

/** The scenarios both runs completed, ready to compare; notes for those that cannot be. */
function pairScenarios(
  currentByName: ReadonlyMap<string, ScenarioResult>,
  baselineByName: ReadonlyMap<string, ScenarioResult>,
  baseline: RunResult | undefined,
  warnings: string[],
  side: 'base' | 'baseline',
): { pairs: ScenarioPair[]; pairNotes: Map<string, string[]>; unserved: Map<string, string> } {
  const pairs: ScenarioPair[] = [];
  const pairNotes = new Map<string, string[]>();
  // Scenarios the base cannot serve (a change that adds their endpoint): new, not compared.
  const unserved = new Map<string, string>();
  for (const [name, cur] of currentByName) {
    const base = baselineByName.get(name);
    if (!base || cur.failure !== undefined) continue;
    const diffs = settingsDiff(base, cur);
    if (diffs.length > 0) {
      warnings.push(
        `Scenario "${name}" runs with different settings than the baseline (${diffs.join(', ')}).`,
      );
    }
    if (base.failure !== undefined || base.trials.length === 0) {
      pairNotes.set(name, [
        'The baseline run of this scenario failed or has no trials: not compared.',
      ]);
      continue;
    }
    if (cur.trials.length === 0) continue;
    const why = baseCannotServe(base, cur, side);
    if (why !== undefined) {
      unserved.set(name, why);
      continue;
    }
    pairs.push({ name, baseline: base, current: cur, noiseFloor: own(baseline?.noiseFloor, name) });
  }
  return { pairs, pairNotes, unserved };
}

/**
 * The baseline a run is judged against: an A/B run's own base side (paired), else the stored
 * baseline given (two-sample). Never the one for the other.
 */
function chooseBaseline(
  stored: RunResult | undefined,
  current: RunResult,
): { baseline: RunResult | undefined; design: TestDesign; notes: string[]; warnings: string[] } {
  const base = abBaseRun(current);
  if (base !== undefined) {
    return {
      baseline: base,
      design: 'paired',
      notes: [],
      warnings: stored
        ? [
            'This run measured its base side by side: it is judged against that, not the stored baseline given.',
          ]
        : [],
    };
  }
  return {
    baseline: stored,
    design: 'two-sample',
    notes: !stored
      ? ['No baseline: SLA checks only, no regression tests.']
      : stored.ab
        ? ['The baseline is an A/B run: its head side is the baseline.']
        : [],
    warnings: [],
  };
}

/**
 * Every scenario's verdict, in the current run's order, then those only the baseline has. Adds
 * to `warnings` and `notes` what a scenario says for the whole run (suspect measurements, a
 * saturated load generator).
 */
function scenarioVerdicts(
  paired: {
    currentByName: ReadonlyMap<string, ScenarioResult>;
    baselineByName: ReadonlyMap<string, ScenarioResult>;
    pairNotes: ReadonlyMap<string, string[]>;
    unserved: ReadonlyMap<string, string>;
    compared: ComparisonOutput;
    endpoints: ReadonlyMap<string, ScenarioEndpoints>;
  },
  run: {
    current: RunResult;
    hasBaseline: boolean;
    minEffect: number;
    alpha: number;
    warnings: string[];
    notes: string[];
  },
): { scenarios: ScenarioVerdict[]; findings: Finding[] } {
  const { currentByName, baselineByName, pairNotes, unserved, compared, endpoints } = paired;
  const { warnings, notes } = run;
  const scenarios: ScenarioVerdict[] = [];
  const findings: Finding[] = [];
  for (const [name, cur] of currentByName) {
    const scenarioNotes = [
      ...(pairNotes.get(name) ?? []),
      ...(compared.scenarioNotes.get(name) ?? []),
    ];
    const suspicion = suspicionOf(cur);
    if (suspicion) {
      const msg = suspicionText(name, suspicion);
      scenarioNotes.push(msg);
      warnings.push(msg);
      discountImprovements(compared.byScenario.get(name) ?? []);
    }
    const heldBack = holdBackMixedImprovements(compared.byScenario.get(name) ?? []);
    if (heldBack !== undefined) scenarioNotes.push(heldBack);
    if (cur.generatorSaturated) {
      const msg = `Load generator saturated in "${name}" (its CPU near one core): figures show loadgate's limit as much as the service's.`;
      scenarioNotes.push(msg);
      notes.push(msg);
    }
    const inputs = {
      name,
      current: cur,
      baseline: baselineByName.get(name),
      hasBaseline: run.hasBaseline,
      comparisons: compared.byScenario.get(name) ?? [],
      notes: scenarioNotes,
      minEffect: run.minEffect,
      cores: run.current.environment.cores,
      ...(run.current.ab?.sequential
        ? { sequential: { record: run.current.ab.sequential, alpha: run.alpha } }
        : {}),
      ...optional('baseCannotServe', unserved.get(name)),
      ...optional('endpoints', endpoints.get(name)),
    };
    const one =
      cur.failure !== undefined
        ? failedScenarioVerdict(inputs, cur.failure)
        : scenarioVerdict(inputs);
    if (suspicion) one.verdict.suspect = suspicion.first.message;
    scenarios.push(one.verdict);
    findings.push(...one.findings);
  }
  for (const [name, base] of baselineByName) {
    if (!currentByName.has(name)) scenarios.push(removedScenarioVerdict(name, base));
  }

  return { scenarios, findings };
}

/**
 * `history`: the default branch's (result/history.ts), beside a stored baseline: with enough
 * comparable runs that baseline's latency and throughput are judged against it
 * (judge/history-compare.ts). A run judged against its own base side, or against nothing, does
 * not use it.
 */
export function judge(
  stored: RunResult | undefined,
  current: RunResult,
  options: JudgeOptions,
  history?: History,
): Verdict {
  checkInputs(stored, current, options);
  const { minEffect } = options;
  const chosen = chooseBaseline(stored, current);
  const { baseline, design } = chosen;
  const warnings: string[] = [
    // What the run could not measure (a monitor that lost Postgres or Redis): said first.
    ...(current.warnings ?? []),
    ...chosen.warnings,
    ...(baseline ? compatibilityWarnings(baseline, current) : []),
  ];
  const notes: string[] = [...chosen.notes];

  const currentByName = byName(current.scenarios, warnings, 'current');
  const baselineByName = baseline
    ? byName(baseline.scenarios, warnings, 'baseline')
    : new Map<string, ScenarioResult>();
  const { pairs, pairNotes, unserved } = pairScenarios(
    currentByName,
    baselineByName,
    baseline,
    warnings,
    design === 'paired' ? 'base' : 'baseline',
  );
  // A stored baseline with a history is judged against the history; then the machine rule.
  const judged = compareRuns(pairs, baseline, current, design, options, history);
  const { compared } = judged;
  if (judged.warning) warnings.unshift(judged.warning);
  notes.push(...compared.notes);

  // Which endpoints of a mix changed: not judged where the machines differ (latency is not).
  const endpoints = judged.machine?.differs
    ? new Map<string, ScenarioEndpoints>()
    : compareEndpoints(pairs, design, judged.alpha, minEffect);

  const { scenarios, findings } = scenarioVerdicts(
    { currentByName, baselineByName, pairNotes, unserved, compared, endpoints },
    {
      current,
      hasBaseline: baseline !== undefined,
      minEffect,
      alpha: judged.alpha,
      warnings,
      notes,
    },
  );

  // Worst first; stable, so ties keep scenario order.
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const counts = countVerdicts(scenarios);
  // The accept label: regressions are reported, not failing; the rest fails as fail-on says.
  const { accepted, failReasons, machinesFail } = judged.settle(counts);
  const failing = accepted ? findings.filter((f) => f.kind !== 'regression') : findings;
  const status: Verdict['status'] =
    failing.length > 0 || machinesFail
      ? 'fail'
      : findings.length > 0 || warnings.length > 0 || notes.length > 0 || counts.inconclusive > 0
        ? 'warn'
        : 'pass';

  return {
    schemaVersion: VERDICT_SCHEMA_VERSION,
    status,
    failsCheck: failReasons.length > 0,
    failReasons,
    mode: design === 'paired' ? 'paired' : baseline ? 'baseline' : 'sla-only',
    options: {
      alpha: judged.alpha,
      minEffect,
      failOn: (['sla', 'regression', 'undecided'] as const).filter((f) => options.failOn.has(f)),
      confidence: CONFIDENCE,
      test:
        judged.history && judged.history.used > 0
          ? HISTORY_TEST_TEXT
          : testedInRounds(compared.byScenario.values())
            ? ROUNDS_TEST_TEXT
            : TEST_TEXT[design],
      correction: 'Holm, across all tests of the comparison (improvements: their own family)',
      errorRateMinEffectPp: ERROR_RATE_MIN_PP,
    },
    counts,
    scenarios,
    findings,
    warnings,
    notes,
    current: provenance(current),
    baseline: baseline ? provenance(baseline) : null,
    ...(judged.history ? { history: judged.history } : {}),
    ...(judged.machine ? { machine: judged.machine } : {}),
    ...(accepted ? { accepted } : {}),
    ...(current.ab?.sequential
      ? {
          budget: {
            budgetSeconds: current.ab.sequential.budgetSeconds,
            spentSeconds: current.ab.sequential.spentSeconds,
          },
        }
      : {}),
  };
}

/** `{ [key]: value }` when the value is there, else nothing (optional fields stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
