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
import { median } from 'simple-statistics';
import type { EnvironmentFingerprint, RunResult, ScenarioResult } from '../result/types.js';
import { formatP, formatPercentChange, formatUnit, plural } from '../report/format.js';
import { CONFIDENCE, ERROR_RATE_MIN_PP, changeText, compareScenarios } from './compare.js';
import type { ScenarioPair } from './compare.js';
import { severityRank, worstSeverity } from './severity.js';
import { checkSla } from './sla.js';
import { compareKind } from './kind-compare.js';
import type {
  Finding,
  JudgeOptions,
  MetricComparison,
  MetricMedians,
  Provenance,
  ScenarioStatus,
  ScenarioVerdict,
  Verdict,
} from './types.js';
import { VERDICT_SCHEMA_VERSION } from './types.js';

export class IncompatibleResultsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompatibleResultsError';
  }
}

export function describeMachine(env: EnvironmentFingerprint): string {
  const gb = env.memoryBytes / 1024 ** 3;
  return `${env.cpuModel} ×${env.cores}, ${gb >= 10 ? Math.round(gb) : gb.toFixed(1)} GB, ${env.os}`;
}

function provenance(r: RunResult): Provenance {
  return {
    toolVersion: r.tool.version,
    gitSha: r.git?.sha ?? null,
    gitRef: r.git?.ref ?? null,
    startedAt: r.startedAt,
    machine: describeMachine(r.environment),
    environmentHash: r.environment.hash,
    configHash: r.config.hash,
    profile: r.config.profile,
  };
}

/** Kinds without trials: the knee step of a stress run, the burst of a spike. */
function kindMedians(s: ScenarioResult): MetricMedians | null {
  const k = s.kindResult;
  const phase =
    k?.kind === 'spike'
      ? k.spike
      : k?.kind === 'stress'
        ? (k.steps.find((step) => step.connections === k.knee?.connections) ?? k.steps[0])
        : undefined;
  if (!phase) return null;
  return {
    p50: phase.p50,
    p95: phase.p95,
    p99: phase.p99,
    throughput: phase.throughput,
    errorRate: phase.errorRate,
    dbP95: null,
  };
}

function medians(s: ScenarioResult): MetricMedians | null {
  if (s.trials.length === 0) return kindMedians(s);
  const m = (pick: (t: ScenarioResult['trials'][number]) => number) => median(s.trials.map(pick));
  const db = s.trials.map((t) => t.metrics.dbP95);
  return {
    p50: m((t) => t.metrics.p50),
    p95: m((t) => t.metrics.p95),
    p99: m((t) => t.metrics.p99),
    throughput: m((t) => t.metrics.throughput),
    errorRate: m((t) => t.metrics.errorRate),
    dbP95: db.every((v) => typeof v === 'number') ? median(db as number[]) : null,
  };
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

function scenarioStatus(comparisons: readonly MetricComparison[]): ScenarioStatus {
  if (comparisons.length === 0) return 'not-compared';
  const has = (o: MetricComparison['outcome']) => comparisons.some((c) => c.outcome === o);
  if (has('regression')) return 'regression';
  if (has('improvement')) return 'improvement';
  if (has('inconclusive')) return 'inconclusive';
  return 'unchanged';
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

export function judge(
  baseline: RunResult | undefined,
  current: RunResult,
  options: JudgeOptions,
): Verdict {
  const { alpha, minEffect } = options;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(minEffect >= 0)) throw new RangeError(`minEffect must be ≥ 0, got ${minEffect}`);
  if (baseline && baseline.schemaVersion !== current.schemaVersion) {
    throw new IncompatibleResultsError(
      `Cannot compare: the baseline has schema version ${String(baseline.schemaVersion)}, the current run ${String(current.schemaVersion)}.`,
    );
  }

  const warnings: string[] = [];
  const notes: string[] = [];
  const cores = current.environment.cores;

  if (!baseline) {
    notes.push('No baseline: SLA checks only, no regression tests.');
  } else {
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
  }

  const currentByName = byName(current.scenarios, warnings, 'current');
  const baselineByName = baseline
    ? byName(baseline.scenarios, warnings, 'baseline')
    : new Map<string, ScenarioResult>();

  const pairs: ScenarioPair[] = [];
  const pairNotes = new Map<string, string[]>();
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
    pairs.push({ name, baseline: base, current: cur, noiseFloor: baseline?.noiseFloor?.[name] });
  }

  const compared = compareScenarios(pairs, alpha, minEffect);
  notes.push(...compared.notes);

  const scenarios: ScenarioVerdict[] = [];
  const findings: Finding[] = [];

  for (const [name, cur] of currentByName) {
    const base = baselineByName.get(name);
    const scenarioNotes = [
      ...(pairNotes.get(name) ?? []),
      ...(compared.scenarioNotes.get(name) ?? []),
    ];
    if (cur.generatorSaturated) {
      const msg = `Load generator saturated in "${name}" (its CPU near one core): figures show loadgate's limit as much as the service's.`;
      scenarioNotes.push(msg);
      notes.push(msg);
    }
    if (cur.failure !== undefined) {
      findings.push({
        severity: 'CRITICAL',
        kind: 'scenario-failed',
        scenario: name,
        metric: null,
        message: `Scenario "${name}" failed to complete: ${cur.failure}`,
      });
      scenarios.push({
        name,
        kind: cur.kind,
        status: 'failed',
        slaBreached: false,
        severity: 'CRITICAL',
        trials: { baseline: base?.trials.length ?? 0, current: cur.trials.length },
        current: null,
        baseline: base && base.failure === undefined ? medians(base) : null,
        comparisons: [],
        sla: [],
        failure: cur.failure,
        generatorSaturated: cur.generatorSaturated,
        notes: scenarioNotes,
      });
      continue;
    }
    if (cur.trials.length === 0 && cur.kindResult === undefined) {
      scenarioNotes.push('No trials recorded: nothing to check.');
    }
    const comparisons = compared.byScenario.get(name) ?? [];
    const kindComparisons =
      base && base.failure === undefined && cur.kindResult ? compareKind(base, cur, minEffect) : [];
    const sla = checkSla(cur, cores);
    const regressionFindings = [
      ...kindComparisons.map((c) => ({ c, message: `"${name}" ${c.reason}` })),
      ...comparisons.map((c) => ({
        c,
        message: `"${name}" ${c.metric} regressed ${changeText(c)} (adjusted p ${formatP(c.pAdjusted)})`,
      })),
    ];
    for (const { c, message } of regressionFindings) {
      if (c.outcome !== 'regression' || c.severity === null) continue;
      findings.push({
        severity: c.severity,
        kind: 'regression',
        scenario: name,
        metric: c.metric,
        message,
      });
    }
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
    let status: ScenarioStatus;
    if (!base) status = baseline ? 'new' : 'not-compared';
    else status = scenarioStatus(comparisons);
    if (kindComparisons.some((c) => c.outcome === 'regression')) status = 'regression';
    else if (status === 'not-compared' || status === 'unchanged') {
      if (kindComparisons.some((c) => c.outcome === 'improvement')) status = 'improvement';
      else if (kindComparisons.length > 0) status = 'unchanged';
    }
    const severities = [
      ...kindComparisons.map((c) => c.severity),
      ...comparisons.filter((c) => c.outcome === 'regression').map((c) => c.severity),
      ...sla.map((c) => c.severity),
    ];
    scenarios.push({
      name,
      kind: cur.kind,
      status,
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
      notes: scenarioNotes,
    });
  }
  for (const [name, base] of baselineByName) {
    if (currentByName.has(name)) continue;
    scenarios.push({
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
    });
  }

  // Worst first; stable, so ties keep scenario order.
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));

  const allComparisons = scenarios.flatMap((s) => s.comparisons);
  const allKind = scenarios.flatMap((s) => s.kindComparisons ?? []);
  const countOutcome = (o: MetricComparison['outcome']) =>
    allComparisons.filter((c) => c.outcome === o).length +
    allKind.filter((c) => c.outcome === o).length;
  const allSla = scenarios.flatMap((s) => s.sla);
  const counts: Verdict['counts'] = {
    scenarios: scenarios.length,
    compared: scenarios.filter(
      (s) => s.comparisons.length > 0 || (s.kindComparisons?.length ?? 0) > 0,
    ).length,
    regressions: countOutcome('regression'),
    improvements: countOutcome('improvement'),
    unchanged: countOutcome('unchanged'),
    inconclusive: countOutcome('inconclusive'),
    slaChecks: allSla.filter((c) => c.status !== 'not-measured').length,
    slaBreaches: allSla.filter((c) => c.status === 'fail').length,
    slaNotMeasured: allSla.filter((c) => c.status === 'not-measured').length,
    newScenarios: scenarios.filter((s) => s.status === 'new').length,
    removedScenarios: scenarios.filter((s) => s.status === 'removed').length,
    failedScenarios: scenarios.filter((s) => s.status === 'failed').length,
    scenariosOk: scenarios.filter(
      (s) =>
        s.status !== 'failed' &&
        s.status !== 'regression' &&
        s.status !== 'removed' &&
        !s.slaBreached,
    ).length,
  };

  const failReasons: string[] = [];
  if (options.failOn.has('regression') && counts.regressions > 0) {
    failReasons.push(plural(counts.regressions, 'regression'));
  }
  if (options.failOn.has('sla') && counts.slaBreaches > 0) {
    failReasons.push(plural(counts.slaBreaches, 'SLA breach', 'SLA breaches'));
  }
  if (options.failOn.size > 0 && counts.failedScenarios > 0) {
    failReasons.push(plural(counts.failedScenarios, 'failed scenario'));
  }

  const hasFindings = findings.length > 0;
  const status: Verdict['status'] = hasFindings
    ? 'fail'
    : warnings.length > 0 || notes.length > 0 || counts.inconclusive > 0
      ? 'warn'
      : 'pass';

  return {
    schemaVersion: VERDICT_SCHEMA_VERSION,
    status,
    failsCheck: failReasons.length > 0,
    failReasons,
    mode: baseline ? 'baseline' : 'sla-only',
    options: {
      alpha,
      minEffect,
      failOn: (['sla', 'regression'] as const).filter((f) => options.failOn.has(f)),
      confidence: CONFIDENCE,
      test: 'one-sided Mann-Whitney U on per-trial values (exact without ties), Hodges-Lehmann ratio with 95 % interval',
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
  };
}
