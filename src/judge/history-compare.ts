/**
 * The stored-baseline judgement against the history of the default branch, not one run of it.
 *
 * One run of main against one run of the pull request cannot tell a slower machine or another
 * start of the service (run-level noise) from a slower change: both move every trial of a run
 * together, and the Mann-Whitney test on trials sees only the spread within runs. The history
 * holds main's recent runs, so their between-run spread can enter the test:
 *
 * - **Reference runs** (referenceRuns): the newest HISTORY_WINDOW (20) runs with this run's
 *   configuration hash, less the runs whose machine probe is an outlier among those of their
 *   machine type (a machine busy with other work: more than max(3.5 robust SDs, 10 %) from their
 *   median probe). Per scenario and metric, only those since its level last changed
 *   (seriesStart): the last run marked `accepted` for the scenario (an intended change: that run
 *   is the first at the new level) or the last change point of that series
 *   (judge/change-points.ts: a step on main that nobody labelled), whichever is later.
 * - **Per scenario and latency/throughput metric** with ≥ MIN_HISTORY_RUNS (5) reference runs:
 *   this run's median log value against a prediction interval for one new run from the reference
 *   runs' median log values (stats/prediction.ts: Student t with their mean and SD, k − 1 degrees
 *   of freedom), one-sided in both directions; the change is exp(m − m̄) − 1 against the reference
 *   runs' geometric mean. The SD of main's run medians already holds both the run-to-run spread
 *   and the within-run sampling error of a run like them; of this run's own within-run spread
 *   only the excess over theirs is added (stats/prediction.ts says why).
 * - **Error rate**, and any metric with fewer reference runs (a new scenario, a short history):
 *   the one-run Mann-Whitney comparison with the stored baseline run, as without a history.
 *   Errors are failures, not machine speed, and mostly zero: no log scale, no run-level model.
 * - All tests form one Holm family (judge/family.ts), improvements their own.
 * - **Alpha:** 0.01 when none was given (DEFAULT_HISTORY_ALPHA), for the whole family; the
 *   stored baseline run alone keeps 0.05 (with a history too short to use).
 * - **Min effect:** max(min-effect, 2 × the history's noise floor). min-effect defaults to 5 %
 *   against the history (DEFAULT_HISTORY_MIN_EFFECT) instead of 10 %: the 10 % stood in for the
 *   run-to-run spread, which the test now carries. The noise floor (what `calibrate` measures with
 *   two runs) is the median |change| between consecutive reference runs.
 *
 * Why 5 runs at least: with k runs a change must exceed t_{1−α/m, k−1}·√(1 + 1/k) between-run
 * SDs at Holm's first step; for a PR profile's ~30 tests (m = 30) that is 19.9 SDs with 3 runs,
 * 9.6 with 4, 6.9 with 5, 4.2 with 10 and 3.4 with 20. Below 5 the history could flag nothing
 * short of a doubling at the spread of shared runners, and an SD from 4 runs or fewer is too rough
 * to rest a verdict on (its relative error is ~40 %); from 5 it flags large changes safely and it
 * sharpens as the history grows. Until then the one-run comparison stays, with its known weakness.
 */
import { median } from 'simple-statistics';
import type { History, HistoryRun } from '../result/history.js';
import { GATED_METRICS, METRICS, type GatedMetric, type RunResult } from '../result/types.js';
import { detectChangePoints } from './change-points.js';
import { robustSd } from '../stats/index.js';
import { medianVariance, predictionDetectableShift, predictionTest } from '../stats/prediction.js';
import type { ComparisonOutput } from './compare.js';
import { decideFamily, type PendingComparison } from './family.js';
import {
  CONFIDENCE,
  logFloored,
  twoSampleComparison,
  valuesOf,
  type ScenarioPair,
} from './two-sample.js';
import type { HistoryBasis, MetricComparison } from './types.js';

/** Fewest reference runs a comparison against the history needs (see above). */
export const MIN_HISTORY_RUNS = 5;
/** Newest runs of the history a comparison uses at most. */
export const HISTORY_WINDOW = 20;
/** min-effect against a history when none was given (see above). */
export const DEFAULT_HISTORY_MIN_EFFECT = 0.05;
/**
 * alpha against a history when none was given: 0.01, as for A/B (DEFAULT_PAIRED_ALPHA) and for
 * the same reason. The prediction interval is calibrated to main's run-to-run spread, so Holm
 * bounds the share of unchanged pull requests with any false alarm at α: a goal of ≤ 1 % needs
 * 0.01. The cost: with 20 runs and 28 tests a change must exceed 4.1 between-run SDs instead of
 * 3.4 at 0.05.
 */
export const DEFAULT_HISTORY_ALPHA = 0.01;
/** A reference run whose CPU probe is this many robust SDs (and PROBE_OUTLIER_MIN) off: left out. */
const PROBE_OUTLIER_SDS = 3.5;
const PROBE_OUTLIER_MIN = Math.log(1.1);

export const HISTORY_TEST_TEXT =
  "latency and throughput: this run's median (log scale) against a prediction interval for one new run from the per-run medians of the default branch's recent runs (Student t, k − 1 degrees of freedom, this run's excess within-run variance added); error rate and metrics without enough history: one-sided Mann-Whitney U against the stored baseline run";

/** The metrics judged against the history's prediction: every one on a ratio scale. */
const RATIO_METRICS: readonly GatedMetric[] = GATED_METRICS.filter(
  (m) => METRICS[m].scale === 'ratio',
);

/** Where a level changed on main: accepted runs and change points (judge/change-points.ts). */
export interface LevelChanges {
  /** Indexes into `history.runs` of the runs marked `accepted`, with the scenarios they name. */
  accepted: { run: number; scenarios: readonly string[] }[];
  /** The change points of the history: the first run at each new level, by series. */
  steps: { run: number; scenario: string; metric: GatedMetric }[];
}

export function levelChanges(history: History): LevelChanges {
  const accepted = history.runs.flatMap((r, run) =>
    r.accepted === undefined ? [] : [{ run, scenarios: r.accepted.scenarios }],
  );
  // A series needs 2 × 4 runs before a step can be found: skip the search below that.
  const steps =
    history.runs.length >= 8
      ? detectChangePoints(history).changePoints.map(({ run, scenario, metric }) => ({
          run,
          scenario,
          metric,
        }))
      : [];
  return { accepted, steps };
}

/**
 * Where the reference of one series starts (an index into `history.runs`): at the last run
 * marked accepted for this scenario (or for every scenario), or at the last change point of
 * this scenario and metric, whichever is later; 0 when neither.
 */
export function seriesStart(changes: LevelChanges, scenario: string, metric: GatedMetric): number {
  let start = 0;
  for (const a of changes.accepted) {
    if (a.scenarios.length === 0 || a.scenarios.includes(scenario)) start = Math.max(start, a.run);
  }
  for (const s of changes.steps) {
    if (s.scenario === scenario && s.metric === metric) start = Math.max(start, s.run);
  }
  return start;
}

export interface ReferenceRuns {
  /**
   * The newest HISTORY_WINDOW runs of the same configuration, less probe outliers: what the
   * machine rule compares with (judge/machine.ts).
   */
  runs: HistoryRun[];
  /** Per scenario and metric: those of `runs` at or after its start (seriesStart). */
  forSeries(scenario: string, metric: GatedMetric): HistoryRun[];
  /** Runs left out as probe outliers (disturbed machines). */
  probeOutliers: HistoryRun[];
  /** Runs of the history with the same configuration. */
  comparable: number;
}

/**
 * Runs whose CPU probe is far from the other runs of their machine type (each type on its own: a
 * history may mix CPU types whose probes differ, and none of them is an outlier for that). Only
 * the CPU probe: work beside a run shows there in every reading, while the memory probe of one idle
 * machine varies severalfold from one reading to the next (machine.ts), so its outliers would
 * drop quiet runs from the reference.
 */
function probeOutliers(runs: readonly HistoryRun[]): Set<HistoryRun> {
  const out = new Set<HistoryRun>();
  const types = new Map<string, HistoryRun[]>();
  for (const r of runs) types.set(r.machine.hash, [...(types.get(r.machine.hash) ?? []), r]);
  for (const group of types.values()) for (const r of typeOutliers(group)) out.add(r);
  return out;
}

function typeOutliers(runs: readonly HistoryRun[]): Set<HistoryRun> {
  const out = new Set<HistoryRun>();
  // Only scores of the newest run's probe version are comparable with each other.
  const latest = runs.findLast((r) => r.probe !== undefined)?.probe?.version ?? 1;
  const same = runs.filter(
    (r) => r.probe && (r.probe.version ?? 1) === latest && r.probe.cpuMs > 0,
  );
  if (same.length < MIN_HISTORY_RUNS) return out;
  const logs = same.map((r) => Math.log(r.probe?.cpuMs as number));
  const centre = median(logs);
  const limit = Math.max(PROBE_OUTLIER_SDS * robustSd(logs), PROBE_OUTLIER_MIN);
  same.forEach((r, i) => {
    if (Math.abs((logs[i] as number) - centre) > limit) out.add(r);
  });
  return out;
}

/** The runs of `history` a run with this configuration is judged against (see above). */
export function referenceRuns(
  history: History,
  configHash: string,
  changes: LevelChanges = levelChanges(history),
): ReferenceRuns {
  const indexed = history.runs.map((run, index) => ({ run, index }));
  const comparable = indexed.filter((r) => r.run.configHash === configHash);
  const recent = comparable.slice(-HISTORY_WINDOW);
  const outliers = probeOutliers(recent.map((r) => r.run));
  const kept = recent.filter((r) => !outliers.has(r.run));
  return {
    runs: kept.map((r) => r.run),
    forSeries: (scenario, metric) => {
      const start = seriesStart(changes, scenario, metric);
      return kept.filter((r) => r.index >= start).map((r) => r.run);
    },
    probeOutliers: recent.filter((r) => outliers.has(r.run)).map((r) => r.run),
    comparable: comparable.length,
  };
}

/** The median log value of each run that has the metric (its within-run variance beside it). */
function perRun(
  runs: readonly HistoryRun[],
  scenario: string,
  metric: GatedMetric,
): { m: number; w: number; value: number; startedAt: string }[] {
  const out: { m: number; w: number; value: number; startedAt: string }[] = [];
  for (const r of runs) {
    const values = r.scenarios[scenario]?.[metric];
    if (values === undefined || values.length === 0) continue;
    const logs = values.map(logFloored);
    out.push({
      m: median(logs),
      w: medianVariance(logs),
      value: median(values),
      startedAt: r.startedAt,
    });
  }
  return out;
}

/** The median |change| between consecutive runs: what `calibrate` measures with two. */
export function historyNoiseFloor(medians: readonly number[]): number | null {
  if (medians.length < 3) return null;
  const steps = medians.slice(1).map((m, i) => Math.abs(Math.expm1(m - (medians[i] as number))));
  return median(steps);
}

/**
 * One (scenario × latency/throughput metric) comparison against the reference runs; undefined
 * when they are too few or show no spread (the caller then compares with the stored run).
 */
export function historyComparison(
  pair: Pick<ScenarioPair, 'name' | 'current'>,
  metric: GatedMetric,
  reference: readonly HistoryRun[],
  minEffect: number,
): MetricComparison | undefined {
  if (!RATIO_METRICS.includes(metric)) return undefined;
  const cur = valuesOf(pair.current, metric);
  if (!cur || cur.length === 0) return undefined;
  const runs = perRun(reference, pair.name, metric);
  if (runs.length < MIN_HISTORY_RUNS) return undefined;
  const medians = runs.map((r) => r.m);
  const spreadFree = medians.every((m) => m === medians[0]);
  if (spreadFree) return undefined;
  const logs = cur.map(logFloored);
  const m = median(logs);
  const excess = Math.max(0, medianVariance(logs) - median(runs.map((r) => r.w)));
  const test = predictionTest({
    reference: medians,
    value: m,
    extraVariance: excess,
    confidence: CONFIDENCE,
  });
  const higherIsWorse = METRICS[metric].higherIsWorse;
  const floor = historyNoiseFloor(medians);
  const ratio = Math.exp(test.difference);
  const lower = Math.exp(test.lower);
  const upper = Math.exp(test.upper);
  return {
    metric,
    higherIsWorse,
    unit: 'ratio',
    baseline: {
      n: runs.length,
      median: median(runs.map((r) => r.value)),
      values: runs.map((r) => r.value),
    },
    current: { n: cur.length, median: median(cur), values: cur },
    effect: { estimate: ratio, lower, upper, confidence: CONFIDENCE },
    change: { estimate: ratio - 1, lower: lower - 1, upper: upper - 1 },
    test: {
      name: 'history-prediction',
      method: 'student-t',
      statistic: test.t,
      pWorse: higherIsWorse ? test.pGreater : test.pLess,
      pBetter: higherIsWorse ? test.pLess : test.pGreater,
      minAchievableP: 0,
    },
    history: {
      runs: runs.length,
      df: test.df,
      sd: test.sd,
      se: test.se,
      excessVariance: excess,
    },
    // No trial-level spread: what it could detect is set from the prediction (setHistoryDetectable).
    spread: null,
    inFamily: true,
    pWorseAdjusted: null,
    pBetterAdjusted: null,
    pAdjusted: null,
    effectiveMinEffect: Math.max(minEffect, 2 * (floor ?? 0)),
    noiseFloor: floor,
    outcome: 'unchanged',
    severity: null,
    reason: 'no test yet',
  };
}

/** What each history test could have detected at 80 % power, at Holm's first step (α / family). */
function setHistoryDetectable(pending: readonly PendingComparison[], alpha: number): void {
  const family = pending.filter((p) => p.comparison.inFamily && p.comparison.test !== undefined);
  const level = alpha / Math.max(1, family.length);
  for (const { comparison: c } of family) {
    if (c.history === undefined) continue;
    const shift = predictionDetectableShift(c.history.se, c.history.df, level);
    c.detectable = Math.expm1(c.higherIsWorse ? shift : -shift);
  }
}

export interface HistoryComparisonOutput extends ComparisonOutput {
  basis: HistoryBasis;
}

/**
 * Every comparison of the stored-baseline design with the history in it: latency and throughput
 * against the reference runs where there are enough, the rest against the stored run, one family.
 */
export function compareWithHistory(
  pairs: readonly ScenarioPair[],
  current: RunResult,
  history: History,
  alpha: number,
  minEffect: number,
  historyMinEffect: number,
  reference: ReferenceRuns = referenceRuns(history, current.config.hash),
): HistoryComparisonOutput {
  const pending: PendingComparison[] = [];
  let fewest = Number.POSITIVE_INFINITY;
  const used = new Set<HistoryRun>();
  const byScenario = new Map<string, MetricComparison[]>();
  const fellBack: string[] = [];
  for (const pair of pairs) {
    const list: MetricComparison[] = [];
    for (const metric of GATED_METRICS) {
      const series = reference.forSeries(pair.name, metric);
      const fromHistory = historyComparison(pair, metric, series, historyMinEffect);
      const c = fromHistory ?? twoSampleComparison(pair, metric, alpha, minEffect);
      if (!c) continue;
      if (fromHistory) for (const r of series) used.add(r);
      else if (RATIO_METRICS.includes(metric)) {
        fellBack.push(`${pair.name} ${metric}`);
        fewest = Math.min(fewest, series.length);
      }
      list.push(c);
      pending.push({ scenario: pair.name, comparison: c });
    }
    byScenario.set(pair.name, list);
  }
  const decided = decideFamily(pending, alpha, 'two-sample');
  setHistoryDetectable(pending, alpha);
  const starts = reference.runs.filter((r) => used.has(r)).map((r) => r.startedAt);
  return {
    byScenario,
    ...decided,
    basis: {
      runs: history.runs.length,
      used: used.size,
      from: starts[0] ?? null,
      to: starts[starts.length - 1] ?? null,
      minEffect: historyMinEffect,
      fallback: fallbackText(fellBack, fewest, reference),
    },
  };
}

function fallbackText(
  fellBack: readonly string[],
  fewest: number,
  reference: ReferenceRuns,
): string | null {
  if (fellBack.length === 0) return null;
  const why =
    fewest < MIN_HISTORY_RUNS
      ? `the history has as few as ${fewest} comparable run${fewest === 1 ? '' : 's'} for them (same configuration, since the last accepted change or change point${reference.probeOutliers.length > 0 ? ', less disturbed machines' : ''}); it needs ${MIN_HISTORY_RUNS}`
      : `their values never varied across the history's runs`;
  const shown = fellBack.slice(0, 6).join(', ');
  const more = fellBack.length > 6 ? ` and ${fellBack.length - 6} more` : '';
  return `${shown}${more} compared with the stored baseline run alone: ${why}`;
}
