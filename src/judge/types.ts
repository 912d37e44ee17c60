/**
 * The Verdict: what the judge decides about one RunResult (optionally against a baseline).
 * Plain data, JSON-serializable (no Infinity/NaN: unknown bounds are `null`), written as
 * verdict.json by `--json`. Same inputs → deep-equal Verdict (no clock, no randomness).
 */
import { modeDefaults } from '../config/mode.js';
import type { GatedMetric, SlaThresholds, TestKind } from '../result/types.js';

export const VERDICT_SCHEMA_VERSION = 1 as const;

/**
 * What can fail the check. `failOn` empty = report only (`--fail-on none`). `undecided`: an A/B
 * scenario the budget left undecided (off by default).
 */
export type FailOn = 'sla' | 'regression' | 'undecided';

export interface JudgeOptions {
  /** Family-wise significance level after Holm (default 0.05). */
  alpha: number;
  /** Smallest relative change that counts (default 0.10 = 10 %). */
  minEffect: number;
  failOn: ReadonlySet<FailOn>;
  /** min-effect was not given: against a history it is then DEFAULT_HISTORY_MIN_EFFECT. */
  minEffectIsDefault?: boolean;
  /** alpha was not given: against a history it is then DEFAULT_HISTORY_ALPHA. */
  alphaIsDefault?: boolean;
  /** The pull request carries this label (input accept-label): its regressions are accepted. */
  acceptedBy?: string;
}

// The modes' alpha and min effect are decided in config/mode.ts; re-exported for the judge's readers.
export { DEFAULT_PAIRED_ALPHA, DEFAULT_PAIRED_MIN_EFFECT } from '../config/mode.js';

export const DEFAULT_JUDGE_OPTIONS: JudgeOptions = {
  alpha: modeDefaults('single').alpha,
  minEffect: modeDefaults('single').minEffect,
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
  /** The test; absent when every trial value on both sides was identical. */
  test?: {
    /**
     * Mann-Whitney U on per-trial values (stored baseline); Wilcoxon signed-rank on pairs (A/B);
     * Student's t over the rounds' means of the pairs (A/B in rounds).
     */
    name: 'mann-whitney-u' | 'wilcoxon-signed-rank' | 'history-prediction' | 'round-means-t';
    method: 'exact' | 'normal' | 'student-t';
    statistic: number;
    /** One-sided p for "current is worse". */
    pWorse: number;
    /** One-sided p for "current is better". */
    pBetter: number;
    /** The smallest one-sided p these samples can give: 1 / C(n1 + n2, n1), or 2^-pairs. */
    minAchievableP: number;
  };
  /**
   * Robust SD of what the test compares: per-pair log ratios (paired), pooled per-trial log
   * values (two-sample), or percentage points for the error rate; null without a test.
   */
  spread?: number | null;
  /**
   * The smallest change this test would flag with 80 % power at this run's spread, trials and
   * family (worst case of Holm: α / family size), in the unit of `change` (relative, or pp):
   * what the run could have detected. null when no change could be significant.
   */
  detectable?: number | null;
  /** Whether the test was in the Holm family (see judge/compare.ts for the rule). */
  inFamily: boolean;
  /**
   * Against the history (test 'history-prediction'): the reference runs, the degrees of freedom,
   * the SD of their per-run log medians, the standard error of the prediction and the excess
   * within-run variance of this run that entered it (judge/history-compare.ts).
   */
  history?: { runs: number; df: number; sd: number; se: number; excessVariance: number };
  /**
   * A/B in rounds (test 'round-means-t'): how many rounds the test ran over (its sample size;
   * `spread` is then the SD of the rounds' means).
   */
  rounds?: number;
  /**
   * A/B in rounds: where the spread comes from, pair to pair within a round and round to round
   * (what a restart changes), on the test's scale; null where the data cannot say.
   */
  spreadSplit?: { withinRound: number | null; betweenRounds: number | null; pairsPerRound: number };
  /**
   * A/B with a budget: the scenario was still undecided when the budget ended, and this test
   * could not rule out a change of the min effect (its outcome is then inconclusive).
   */
  undecided?: boolean;
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

/**
 * One endpoint's test inside a scenario that mixes several (judge/endpoints.ts): the scenario's
 * trials as that endpoint alone saw them, tested as the scenario's own are, in a Holm family of
 * the endpoint tests only.
 */
export interface EndpointComparison extends MetricComparison {
  /** The request's name in the scenario (`requests[].name`). */
  endpoint: string;
}

/** A scenario's endpoints (its named requests) and, for a mix of several, each one's tests. */
export interface ScenarioEndpoints {
  /** The endpoints every trial recorded on both sides, in the scenario's order. */
  names: string[];
  /** Per endpoint and latency metric; empty when the scenario calls one endpoint only. */
  comparisons: EndpointComparison[];
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
  /** A/B with a budget: still undecided when the budget ended (judge/sequential.ts). */
  | 'undecided'
  /**
   * Present only in the current run, or one the base cannot serve (judge/unserved-base.ts: a pull
   * request that adds its endpoint): judged on its SLA alone, not compared.
   */
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
  /** Set when some of its measurement cannot be trusted (Little's law): why. */
  suspect?: string;
  /**
   * A/B with a budget: the rounds the scenario got and how it ended; for an undecided one, about
   * how many more seconds of its rounds would decide it at the spread measured (null: unknown).
   */
  budget?: {
    rounds: number;
    decided: 'regression' | 'within' | 'unjudged' | 'undecided';
    toDecideSeconds: number | null;
  };
  /** Compared scenarios: which endpoints changed (judge/endpoints.ts). */
  endpoints?: ScenarioEndpoints;
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
  /**
   * 'baseline': against a stored run; 'paired': base and head side by side in one run (A/B);
   * 'sla-only': no baseline.
   */
  mode: 'baseline' | 'paired' | 'sla-only';
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
    /** A/B with a budget: scenarios still undecided when it ended. */
    undecidedScenarios: number;
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
  /** Present when the stored baseline came with the default branch's history. */
  history?: HistoryBasis;
  /** This run's machine against the baseline's (probe and fingerprint), when they can be compared. */
  machine?: MachineComparison;
  /** The pull request's accept label: its regressions are reported as accepted, not failing. */
  accepted?: { label: string; regressions: number };
  /** A/B with a time budget: the budget and what the rounds spent of it, seconds. */
  budget?: { budgetSeconds: number; spentSeconds: number };
}

/** What the history judgement rested on (judge/history-compare.ts). */
export interface HistoryBasis {
  /** Runs in the history, and how many of them any comparison was judged against. */
  runs: number;
  used: number;
  /** When the oldest and newest run used started (ISO 8601); null when none was used. */
  from: string | null;
  to: string | null;
  /** The min effect of the comparisons against the history. */
  minEffect: number;
  /** What was compared with the stored baseline run alone instead, and why; null when nothing. */
  fallback: string | null;
}

/** This run's machine against the reference's: the history's runs or the baseline run (judge/machine.ts). */
export interface MachineComparison {
  basis: 'history' | 'baseline';
  /** Beyond what the reference shows as normal: latency and throughput are then not judged. */
  differs: boolean;
  /** Probe time of this run ÷ the reference's − 1 (0.18 = this runner 18 % slower); null: no probe. */
  cpu: number | null;
  memory: number | null;
  /** The relative difference the reference counts as normal (±); null without probes. */
  normal: number | null;
  /** Whether the reference ran on this machine type (environment hash). */
  knownMachine: boolean;
  /** One sentence for the report. */
  summary: string;
}
