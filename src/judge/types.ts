/**
 * The Verdict: what the judge decides about one RunResult (optionally against a baseline).
 * Plain data, JSON-serializable (no Infinity/NaN: unknown bounds are `null`), written as
 * verdict.json by `--json`. Same inputs → deep-equal Verdict (no clock, no randomness).
 */
import type { GatedMetric, SlaThresholds, TestKind } from '../result/types.js';

export const VERDICT_SCHEMA_VERSION = 1 as const;

/** What can fail the check. `failOn` empty = report only (`--fail-on none`). */
export type FailOn = 'sla' | 'regression';

export interface JudgeOptions {
  /** Family-wise significance level after Holm (default 0.05). */
  alpha: number;
  /** Smallest relative change that counts (default 0.10 = 10 %). */
  minEffect: number;
  failOn: ReadonlySet<FailOn>;
}

export const DEFAULT_JUDGE_OPTIONS: JudgeOptions = {
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
};

/**
 * Severity of a finding (the seed's scale). Rules (see judge/severity.ts):
 * - regression (relative change c of the Hodges-Lehmann estimate): LOW |c| < 15 %,
 *   MEDIUM < 30 %, HIGH < 60 %, CRITICAL ≥ 60 %; any error-rate regression is CRITICAL;
 * - SLA breach: HIGH; CRITICAL when beyond 2× the threshold (below half of it for minimums)
 *   or when the error rate is above 5 %;
 * - a scenario that failed to complete: CRITICAL.
 */
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export type Status = 'pass' | 'warn' | 'fail';

/** Outcome of one (scenario × metric) comparison. */
export type Outcome = 'regression' | 'improvement' | 'unchanged' | 'inconclusive';

export interface SampleSummary {
  n: number;
  median: number;
  /** The trial values (one per trial, in trial order): the samples of the test. */
  values: number[];
}

export interface MetricComparison {
  metric: GatedMetric;
  /** false for throughput: lower is worse. */
  higherIsWorse: boolean;
  /**
   * 'ratio': effect is the Hodges-Lehmann ratio current/baseline, change = ratio − 1 (0.12 = +12 %).
   * 'pp': error rate; effect and change are the Hodges-Lehmann shift current − baseline in
   * percentage points (0.6 = +0.6 pp), since ratios of (mostly zero) error rates are undefined.
   */
  unit: 'ratio' | 'pp';
  baseline: SampleSummary;
  current: SampleSummary;
  /** Point estimate and 95 % interval of the effect (ratio, or difference in pp). */
  effect: { estimate: number; lower: number | null; upper: number | null; confidence: number };
  /** The change as displayed: relative (ratio − 1) for 'ratio', percentage points for 'pp'. */
  change: { estimate: number; lower: number | null; upper: number | null };
  /** The exact test; absent when every trial value on both sides was identical. */
  test?: {
    name: 'mann-whitney-u';
    method: 'exact' | 'normal';
    statistic: number;
    /** One-sided p for "current is worse". */
    pWorse: number;
    /** One-sided p for "current is better". */
    pBetter: number;
    /** 1 / C(n1 + n2, n1): the smallest one-sided p this sample size can give. */
    minAchievableP: number;
  };
  /** Whether the test was in the Holm family (see judge/compare.ts for the rule). */
  inFamily: boolean;
  /** Holm-adjusted p of the regression family / the improvement family. */
  pWorseAdjusted: number | null;
  pBetterAdjusted: number | null;
  /** The adjusted p that matters for the outcome (better-direction for improvements). */
  pAdjusted: number | null;
  /** Relative for 'ratio'; percentage points for 'pp'. */
  effectiveMinEffect: number;
  /** Noise floor of the baseline for this scenario/metric (relative), when calibrated. */
  noiseFloor: number | null;
  outcome: Outcome;
  severity: Severity | null;
  /** One sentence on why this outcome. */
  reason: string;
}

export type SlaCheckName = keyof SlaThresholds;

/** Single figures of non-load kinds compared with the baseline (see judge/kind-compare.ts). */
export type KindMetric = 'kneeThroughput' | 'recoverySeconds' | 'seedSeconds' | 'bulkMs';

export interface KindComparison {
  metric: KindMetric;
  label: string;
  unit: 'req/s' | 's' | 'ms';
  higherIsWorse: boolean;
  baseline: number;
  current: number;
  /** current ÷ baseline − 1; null when the baseline is 0. */
  change: number | null;
  /** The relative threshold applied: max(25 %, 2 × min effect). */
  minEffect: number;
  /** Absolute changes at or below this (in `unit`) never count. */
  floor: number;
  method: 'single measurement, no significance test';
  outcome: 'regression' | 'improvement' | 'unchanged';
  severity: Severity | null;
  reason: string;
}

export interface SlaCheck {
  check: SlaCheckName;
  label: string;
  bound: 'max' | 'min';
  unit: 'ms' | 'req/s' | 'ratio' | 'MB' | '%' | 'connections' | 's' | 'MB/min' | 'ms/min' | 'count';
  threshold: number;
  /** null when the value is not measured (e.g. no Server-Timing, no Postgres probe). */
  measured: number | null;
  /** How the measured value was obtained, e.g. "median of 10 trials", "peak". */
  basis: string;
  /** Relative headroom: (threshold − measured) / threshold for maximums, the reverse for minimums. */
  margin: number | null;
  status: 'pass' | 'fail' | 'not-measured';
  severity: Severity | null;
}

export interface MetricMedians {
  p50: number;
  p95: number;
  p99: number;
  throughput: number;
  errorRate: number;
  dbP95: number | null;
}

export type ScenarioStatus =
  | 'regression'
  | 'improvement'
  | 'unchanged'
  | 'inconclusive'
  /** Present only in the current run: reported, not compared. */
  | 'new'
  /** Present only in the baseline: reported, not compared. */
  | 'removed'
  /** The current run's scenario failed to complete. */
  | 'failed'
  /** No comparison possible (no baseline, or the baseline's scenario failed / had no trials). */
  | 'not-compared';

export interface ScenarioVerdict {
  name: string;
  kind: TestKind;
  status: ScenarioStatus;
  slaBreached: boolean;
  /** Worst severity among this scenario's findings. */
  severity: Severity | null;
  trials: { baseline: number; current: number };
  current: MetricMedians | null;
  baseline: MetricMedians | null;
  comparisons: MetricComparison[];
  /** Present for non-load kinds compared with a baseline of the same kind. */
  kindComparisons?: KindComparison[];
  sla: SlaCheck[];
  failure: string | null;
  generatorSaturated: boolean;
  notes: string[];
}

export interface Finding {
  severity: Severity;
  kind: 'regression' | 'sla-breach' | 'scenario-failed';
  scenario: string;
  metric: GatedMetric | SlaCheckName | KindMetric | null;
  message: string;
}

export interface Provenance {
  toolVersion: string;
  gitSha: string | null;
  gitRef: string | null;
  startedAt: string;
  /** Human description of the machine, e.g. "AMD EPYC 7763 ×4, 16 GB, linux". */
  machine: string;
  environmentHash: string;
  configHash: string;
  profile: string;
}

export interface Verdict {
  schemaVersion: typeof VERDICT_SCHEMA_VERSION;
  status: Status;
  /** Whether the check fails given `failOn`. */
  failsCheck: boolean;
  /** What fails it, e.g. ["2 regressions", "1 SLA breach"]; empty when it passes. */
  failReasons: string[];
  /** 'sla-only' when there was no baseline. */
  mode: 'baseline' | 'sla-only';
  options: {
    alpha: number;
    minEffect: number;
    failOn: FailOn[];
    confidence: number;
    test: string;
    correction: string;
    errorRateMinEffectPp: number;
  };
  counts: {
    scenarios: number;
    compared: number;
    /** Metric-level counts over all comparisons. */
    regressions: number;
    improvements: number;
    unchanged: number;
    inconclusive: number;
    slaChecks: number;
    slaBreaches: number;
    slaNotMeasured: number;
    newScenarios: number;
    removedScenarios: number;
    failedScenarios: number;
    /** Scenarios with no regression, no SLA breach and no failure. */
    scenariosOk: number;
  };
  scenarios: ScenarioVerdict[];
  /** Regressions, SLA breaches and failures, worst first. */
  findings: Finding[];
  /** Compatibility warnings (different machine type, config, settings). */
  warnings: string[];
  /** Everything else worth knowing (too few trials, generator saturated, no baseline). */
  notes: string[];
  current: Provenance;
  baseline: Provenance | null;
}
