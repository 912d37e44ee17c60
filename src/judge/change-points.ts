/**
 * Change points on the default branch: steps in the history of main (result/history.ts) that no
 * single pull request crossed the threshold for, found by E-Divisive means (stats/e-divisive.ts,
 * the method of MongoDB's performance CI and Apache Otava) with a seeded permutation test. Pure
 * and deterministic: same history and options → deep-equal result.
 *
 * The method, per scenario and gated metric:
 * - The series: one value per run of main that measured it, the median of its per-trial values,
 *   on the log scale for latencies and throughput (a step is a ratio whatever the level) and in
 *   percentage points for the error rate (mostly zeros: no logs). Only runs of the newest run's
 *   profile count (another profile runs other settings).
 * - E-Divisive with at least `minSegment` runs on each side of a step (default 4): a step is
 *   announced once four runs show it, and one or two slow runs of a noisy runner at the end can
 *   move the median of the last four by at most half their excess (three of four must agree for
 *   a full step).
 * - Multiple testing: every series with enough runs that is not constant is one member of the
 *   family; each permutation test runs at α / family (Bonferroni), so under "nothing changed
 *   anywhere" (and runs that vary independently) the chance of reporting any step is ≤ α (default
 *   0.05). Later steps in a series are only sought once its first test rejected (the
 *   bisection's own stopping rule).
 * - A significant step is reported only when it is at least the min effect (the judge's, default
 *   10 %; for the error rate max(0.5 pp, min effect × the level before)). Its size is the larger
 *   of two medians-of-runs comparisons across it: between its neighbouring segments (the local
 *   step) and between the two sides of the segment it split when found (a creeping change that the
 *   bisection later cut into several small steps is still seen whole at its first split).
 * - Its place: E-Divisive's split, with the runs right next to it that sit closer to the other
 *   side's level moved over (at most minSegment − 1 of them): a split leaves minSegment runs on each
 *   side, so a step seen by only three runs so far is split one run early. Its size stays that of
 *   the split as found.
 * - Expected: a run marked `accepted` (a pull request's accept label) for this scenario (or with
 *   no scenario named: for all) within one run of the step's start, since a step's place is
 *   uncertain by about a run.
 * - Coincides: when every run after the step has a configuration (or machine) that no run before
 *   it had, the step is likely that change rather than the code; the report says so.
 */
import { median } from 'simple-statistics';
import type { History, HistoryRun } from '../result/history.js';
import { GATED_METRICS, type GatedMetric } from '../result/types.js';
import { deriveSeed, eDivisive, type EDivisiveChangePoint } from '../stats/e-divisive.js';
import { DEFAULT_JUDGE_OPTIONS } from './types.js';
import {
  fromScale,
  HIGHER_IS_WORSE,
  historyScenarios,
  historySeries,
  toScale,
  unitOf,
  type SeriesPoint,
} from './history-series.js';
import { ERROR_RATE_MIN_PP } from './two-sample.js';

export interface ChangePointOptions {
  /** Family-wise significance level over all series (default 0.05). */
  alpha?: number;
  /** Smallest relative step reported (default the judge's 0.10). */
  minEffect?: number;
  /** Fewest runs on each side of a step (default 4). */
  minSegment?: number;
  /** Seed of the permutation tests (default 13). */
  seed?: number;
  /** Metrics searched (default all gated metrics). */
  metrics?: readonly GatedMetric[];
  /** Most shuffles per permutation test (default from the level, see stats/e-divisive.ts). */
  permutations?: number;
}

export const DEFAULT_CHANGE_POINT_OPTIONS = {
  alpha: 0.05,
  minEffect: DEFAULT_JUDGE_OPTIONS.minEffect,
  minSegment: 4,
  seed: 13,
} as const;

/** A later refresh finds the same step within this many runs of where it was (see isNew). */
export const SAME_STEP_RUNS = 2;

export interface ChangePoint {
  scenario: string;
  metric: GatedMetric;
  /** 'ratio': `change` is relative (0.12 = +12 %); 'pp': percentage points (error rate). */
  unit: 'ratio' | 'pp';
  higherIsWorse: boolean;
  direction: 'regression' | 'improvement';
  /** Index into `history.runs` of the first run at the new level. */
  run: number;
  /**
   * The commit range the step started in: after `from` (the last run at the old level, excluded)
   * up to `to` (the first run at the new level, included). null where a run has no commit.
   */
  commits: { from: string | null; to: string | null };
  /** The first run at the new level: when it started and its workflow run, when known. */
  startedAt: string;
  runId?: number;
  /** Medians of the per-run medians on each side (in the metric's unit) and how many runs. */
  before: { median: number; runs: number };
  after: { median: number; runs: number };
  /** after ÷ before − 1 ('ratio') or after − before in percentage points ('pp'). */
  change: number;
  /** The min effect applied, in the unit of `change`. */
  minEffect: number;
  pValue: number;
  /** The level the test ran at: α / family. */
  level: number;
  /** Shuffles of its permutation test. */
  permutations: number;
  /** A run marked accepted for this scenario at the step. */
  expected?: { label: string; pullRequest?: number; commit: string | null; run: number };
  /** What else changed at the step (the configuration, the machine), in words. */
  coincides: string[];
}

export interface ChangePointAnalysis {
  /** Significant steps of at least the min effect, by run, scenario and metric. */
  changePoints: ChangePoint[];
  /** Significant steps smaller than the min effect (not reported). */
  small: ChangePoint[];
  /** Series tested (the family). */
  series: number;
  /** The per-test level, α / series (null when nothing was tested). */
  level: number | null;
  /** Runs in the history and of those, runs of the profile searched. */
  runs: number;
  profileRuns: number;
  profile: string | null;
  options: Required<Omit<ChangePointOptions, 'permutations'>> & { permutations?: number };
}

export interface ReportedChangePoint extends ChangePoint {
  /** First reported by this refresh (see `changePointReport`). */
  isNew: boolean;
}

export interface ChangePointReport extends Omit<ChangePointAnalysis, 'changePoints'> {
  changePoints: ReportedChangePoint[];
  /** Runs this refresh added to the history. */
  newRuns: number;
}

function resolveOptions(options: ChangePointOptions): ChangePointAnalysis['options'] {
  const alpha = options.alpha ?? DEFAULT_CHANGE_POINT_OPTIONS.alpha;
  const minEffect = options.minEffect ?? DEFAULT_CHANGE_POINT_OPTIONS.minEffect;
  const minSegment = options.minSegment ?? DEFAULT_CHANGE_POINT_OPTIONS.minSegment;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1) (got ${alpha})`);
  if (!(minEffect >= 0)) throw new RangeError(`minEffect must be ≥ 0 (got ${minEffect})`);
  if (!Number.isInteger(minSegment) || minSegment < 2) {
    throw new RangeError(`minSegment must be an integer ≥ 2 (got ${minSegment})`);
  }
  return {
    alpha,
    minEffect,
    minSegment,
    seed: options.seed ?? DEFAULT_CHANGE_POINT_OPTIONS.seed,
    metrics: options.metrics ?? GATED_METRICS,
    ...(options.permutations === undefined ? {} : { permutations: options.permutations }),
  };
}

interface Series {
  scenario: string;
  metric: GatedMetric;
  points: SeriesPoint[];
  scaled: number[];
}

function collectSeries(history: History, opts: ChangePointAnalysis['options'], profile?: string) {
  const all: Series[] = [];
  for (const scenario of historyScenarios(history, profile)) {
    for (const metric of opts.metrics) {
      const points = historySeries(history, scenario, metric, profile);
      if (points.length < 2 * opts.minSegment) continue;
      const scaled = points.map((p) => toScale(metric, p.median));
      // A constant series (an error rate of 0 in every run) has no step to find.
      if (scaled.every((v) => v === scaled[0])) continue;
      all.push({ scenario, metric, points, scaled });
    }
  }
  return all;
}

/** The level change across `at` from the values in [from, at) to those in [at, to), on the scale. */
function stepOf(scaled: readonly number[], from: number, at: number, to: number) {
  const before = median(scaled.slice(from, at));
  const after = median(scaled.slice(at, to));
  return { before, after, runsBefore: at - from, runsAfter: to - at };
}

/** The history runs whose commits may have brought the step at series index `at` (± one run). */
function runsAround(points: readonly SeriesPoint[], at: number): number[] {
  const first = at >= 2 ? (points[at - 2] as SeriesPoint).run + 1 : 0;
  const last = (points[Math.min(at + 1, points.length - 1)] as SeriesPoint).run;
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}

function expectedAt(
  history: History,
  scenario: string,
  points: readonly SeriesPoint[],
  at: number,
): ChangePoint['expected'] {
  const start = (points[at] as SeriesPoint).run;
  // The accepted run nearest the step's start.
  const candidates = runsAround(points, at)
    .filter((r) => {
      const accepted = history.runs[r]?.accepted;
      return (
        accepted !== undefined &&
        (accepted.scenarios.length === 0 || accepted.scenarios.includes(scenario))
      );
    })
    .sort((a, b) => Math.abs(a - start) - Math.abs(b - start) || a - b);
  const r = candidates[0];
  if (r === undefined) return undefined;
  const run = history.runs[r] as HistoryRun;
  const accepted = run.accepted as NonNullable<HistoryRun['accepted']>;
  return {
    label: accepted.label,
    ...(accepted.pullRequest === undefined ? {} : { pullRequest: accepted.pullRequest }),
    commit: run.commit,
    run: r,
  };
}

/** Configuration or machine changes that line up with the step (see the file's head). */
function coincidences(
  history: History,
  points: readonly SeriesPoint[],
  from: number,
  at: number,
  to: number,
): string[] {
  const runsOf = (a: number, b: number) =>
    points.slice(a, b).map((p) => history.runs[p.run] as HistoryRun);
  const before = runsOf(from, at);
  const after = runsOf(at, to);
  const out: string[] = [];
  const check = (key: (r: HistoryRun) => string, say: (old: string, now: string) => string) => {
    const now = key(after[0] as HistoryRun);
    if (!after.every((r) => key(r) === now) || before.some((r) => key(r) === now)) return;
    out.push(say(key(before[before.length - 1] as HistoryRun), now));
  };
  check(
    (r) => r.configHash,
    (old, now) => `the configuration changed there (config hash ${old} → ${now})`,
  );
  check(
    (r) => r.machine.hash,
    (old, now) => {
      const describe = (hash: string) =>
        [...before, ...after].find((r) => r.machine.hash === hash)?.machine.description ?? hash;
      return `the machine changed there (${describe(old)} → ${describe(now)})`;
    },
  );
  return out;
}

/**
 * The split E-Divisive placed, moved onto the runs: the first runs after it that sit closer to the
 * level before (or the last runs before it that sit closer to the level after) change sides, at
 * most `maxShift` of them. A split must leave `minSegment` runs on each side, so a step with fewer
 * runs after it so far is placed early; its size is still measured on the split as found.
 */
function placeStep(
  scaled: readonly number[],
  at: number,
  from: number,
  to: number,
  levels: { before: number; after: number },
  maxShift: number,
): number {
  const nearBefore = (v: number) => Math.abs(v - levels.before) < Math.abs(v - levels.after);
  const nearAfter = (v: number) => Math.abs(v - levels.after) < Math.abs(v - levels.before);
  let t = at;
  while (t - at < maxShift && t + 1 < to && nearBefore(scaled[t] as number)) t++;
  if (t !== at) return t;
  while (at - t < maxShift && t - 1 > from && nearAfter(scaled[t - 1] as number)) t--;
  return t;
}

function changePointOf(
  history: History,
  series: Series,
  found: EDivisiveChangePoint,
  cuts: readonly number[],
  level: number,
  opts: { minEffect: number; minSegment: number },
): ChangePoint {
  const { scenario, metric, points, scaled } = series;
  const k = cuts.indexOf(found.index);
  const from = k > 0 ? (cuts[k - 1] as number) : 0;
  const to = k + 1 < cuts.length ? (cuts[k + 1] as number) : scaled.length;
  const local = stepOf(scaled, from, found.index, to);
  const split = stepOf(scaled, found.segment[0], found.index, found.segment[1]);
  // The larger of the local step and the step across the segment it split (see the file's head).
  const step =
    Math.abs(split.after - split.before) > Math.abs(local.after - local.before) ? split : local;
  const at = placeStep(scaled, found.index, from, to, local, opts.minSegment - 1);
  const minEffect = opts.minEffect;
  const unit = unitOf(metric);
  const before = fromScale(metric, step.before);
  const after = fromScale(metric, step.after);
  const change = unit === 'pp' ? step.after - step.before : after / before - 1;
  const higherIsWorse = HIGHER_IS_WORSE[metric];
  const first = points[at] as SeriesPoint;
  const last = points[at - 1] as SeriesPoint;
  const firstRun = history.runs[first.run] as HistoryRun;
  const expected = expectedAt(history, scenario, points, at);
  return {
    scenario,
    metric,
    unit,
    higherIsWorse,
    direction: change > 0 === higherIsWorse ? 'regression' : 'improvement',
    run: first.run,
    commits: { from: last.commit, to: first.commit },
    startedAt: first.startedAt,
    ...(firstRun.runId === undefined ? {} : { runId: firstRun.runId }),
    before: { median: before, runs: step.runsBefore },
    after: { median: after, runs: step.runsAfter },
    change,
    minEffect: unit === 'pp' ? Math.max(ERROR_RATE_MIN_PP, minEffect * before * 100) : minEffect,
    pValue: found.pValue,
    level,
    permutations: found.permutations,
    ...(expected ? { expected } : {}),
    coincides: coincidences(history, points, from, at, to),
  };
}

const byPlace = (a: ChangePoint, b: ChangePoint) =>
  a.run - b.run ||
  (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0) ||
  GATED_METRICS.indexOf(a.metric) - GATED_METRICS.indexOf(b.metric);

/** Change points of every scenario and metric of `history` (see the file's head). */
export function detectChangePoints(
  history: History,
  options: ChangePointOptions = {},
): ChangePointAnalysis {
  return detectIn(history, options);
}

export const seriesKey = (scenario: string, metric: GatedMetric) => `${scenario}\u0000${metric}`;

/** `only`: search just these series (by seriesKey); the family is still every series. */
export function detectIn(
  history: History,
  options: ChangePointOptions,
  only?: ReadonlySet<string>,
): ChangePointAnalysis {
  const opts = resolveOptions(options);
  const newest = history.runs[history.runs.length - 1];
  const profile = newest?.profile;
  const series = collectSeries(history, opts, profile);
  const level = series.length > 0 ? opts.alpha / series.length : null;
  const changePoints: ChangePoint[] = [];
  const small: ChangePoint[] = [];
  for (const s of series) {
    if (only !== undefined && !only.has(seriesKey(s.scenario, s.metric))) continue;
    const found = eDivisive(s.scaled, {
      level: level as number,
      minSegment: opts.minSegment,
      seed: deriveSeed(opts.seed, seriesKey(s.scenario, s.metric)),
      ...(opts.permutations === undefined ? {} : { permutations: opts.permutations }),
    }).changePoints;
    const cuts = found.map((f) => f.index);
    for (const f of found) {
      const cp = changePointOf(history, s, f, cuts, level as number, opts);
      // Rounding: a step of exactly the min effect counts.
      (Math.abs(cp.change) >= cp.minEffect - 1e-12 ? changePoints : small).push(cp);
    }
  }
  return {
    changePoints: changePoints.sort(byPlace),
    small: small.sort(byPlace),
    series: series.length,
    level,
    runs: history.runs.length,
    profileRuns:
      profile === undefined ? 0 : history.runs.filter((r) => r.profile === profile).length,
    profile: profile ?? null,
    options: opts,
  };
}

export { historyScenarios, historySeries, unitOf, type SeriesPoint } from './history-series.js';
