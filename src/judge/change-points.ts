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
import type { History, HistoryRun } from '../result/history.js';
import { GATED_METRICS, type GatedMetric } from '../result/types.js';
import { deriveSeed, eDivisive, type EDivisiveChangePoint } from '../stats/e-divisive.js';
import { DEFAULT_JUDGE_OPTIONS } from './types.js';
import { ERROR_RATE_MIN_PP, RATIO_FLOOR } from './two-sample.js';

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

/** One run's value in a series. */
export interface SeriesPoint {
  /** Index into `history.runs`. */
  run: number;
  commit: string | null;
  startedAt: string;
  /** Median of the run's per-trial values (ms, req/s, or the error rate as a share 0..1). */
  median: number;
  trials: number;
}

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

const HIGHER_IS_WORSE: Record<GatedMetric, boolean> = {
  p95: true,
  p99: true,
  throughput: false,
  errorRate: true,
  dbP95: true,
};

export function unitOf(metric: GatedMetric): 'ratio' | 'pp' {
  return metric === 'errorRate' ? 'pp' : 'ratio';
}

/** The median of numbers (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The scale the series is searched on: ln for latencies and throughput, pp for the error rate. */
function toScale(metric: GatedMetric, value: number): number {
  return unitOf(metric) === 'pp' ? value * 100 : Math.log(Math.max(value, RATIO_FLOOR));
}

function fromScale(metric: GatedMetric, value: number): number {
  return unitOf(metric) === 'pp' ? value / 100 : Math.exp(value);
}

/**
 * The runs of `history` that measured `scenario`'s `metric`, oldest first, each with the median of
 * its per-trial values. `profile` keeps only runs of that profile.
 */
export function historySeries(
  history: History,
  scenario: string,
  metric: GatedMetric,
  profile?: string,
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  history.runs.forEach((run, index) => {
    if (profile !== undefined && run.profile !== profile) return;
    const values = Object.hasOwn(run.scenarios, scenario)
      ? run.scenarios[scenario]?.[metric]
      : undefined;
    const finite = (values ?? []).filter((v) => typeof v === 'number' && Number.isFinite(v));
    if (finite.length === 0) return;
    out.push({
      run: index,
      commit: run.commit,
      startedAt: run.startedAt,
      median: median(finite),
      trials: finite.length,
    });
  });
  return out;
}

/** Every scenario name in the history, in order of first appearance. */
export function historyScenarios(history: History, profile?: string): string[] {
  const names = new Set<string>();
  for (const run of history.runs) {
    if (profile !== undefined && run.profile !== profile) continue;
    for (const name of Object.keys(run.scenarios)) names.add(name);
  }
  return [...names];
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
  return detect(history, options);
}

const seriesKey = (scenario: string, metric: GatedMetric) => `${scenario}\u0000${metric}`;

/** `only`: search just these series (by seriesKey); the family is still every series. */
function detect(
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

/** A run's identity across refreshes: its workflow run, else its commit and start. */
const runKey = (r: HistoryRun) =>
  r.runId === undefined ? `${r.startedAt}\u0000${r.commit ?? ''}` : `run ${r.runId}`;

/**
 * The change points of the history a refresh stores, each marked new or not. `history` is the
 * history this refresh stores (its run appended, capped); `previous` the history as the previous
 * refresh left it (as this refresh loaded it), or how many runs this refresh appended (normally 1:
 * the previous history is then `history` without its newest runs).
 *
 * New, precisely: reported now, and not reported (same scenario, metric and direction, starting
 * within SAME_STEP_RUNS runs) by the same detection on the previous history. Runs are matched by
 * workflow run id (else start time and commit), so the oldest runs dropped by the cap do not
 * shift anything. A step is thus announced on the refresh whose run first makes it significant
 * and at least the min effect, and not again while later refreshes keep finding it. A step that
 * comes and goes around the threshold is announced again each time it comes back; with a count
 * instead of the previous history, runs the cap dropped are missing from the reconstruction.
 */
export function changePointReport(
  history: History,
  previous: History | number,
  options: ChangePointOptions = {},
): ChangePointReport {
  const now = detectChangePoints(history, options);
  const before: History =
    typeof previous === 'number'
      ? {
          ...history,
          runs: history.runs.slice(
            0,
            history.runs.length - Math.max(0, Math.min(Math.floor(previous), history.runs.length)),
          ),
        }
      : previous;
  const known = new Set(before.runs.map(runKey));
  const added = history.runs.filter((r) => !known.has(runKey(r))).length;
  let isNew: (cp: ChangePoint) => boolean = () => false;
  if (added > 0 && now.changePoints.length > 0) {
    const index = new Map(history.runs.map((r, i) => [runKey(r), i]));
    // Only the series with a step now need the previous search.
    const stepped = new Set(now.changePoints.map((cp) => seriesKey(cp.scenario, cp.metric)));
    const found = detect(before, options, stepped).changePoints.flatMap((cp) => {
      const at = index.get(runKey(before.runs[cp.run] as HistoryRun));
      return at === undefined ? [] : [{ ...cp, run: at }];
    });
    isNew = (cp) =>
      !found.some(
        (k) =>
          k.scenario === cp.scenario &&
          k.metric === cp.metric &&
          k.direction === cp.direction &&
          Math.abs(k.run - cp.run) <= SAME_STEP_RUNS,
      );
  }
  return {
    ...now,
    changePoints: now.changePoints.map((cp) => ({ ...cp, isNew: isNew(cp) })),
    newRuns: added,
  };
}

/**
 * The action's `change-points` output: the new change points worth an issue (regressions that
 * are not expected and coincide with no configuration or machine change), as a JSON array; empty
 * when there are none.
 */
export function changePointsOutput(report: ChangePointReport): string {
  const list = report.changePoints.filter(
    (cp) =>
      cp.isNew &&
      cp.direction === 'regression' &&
      cp.expected === undefined &&
      cp.coincides.length === 0,
  );
  if (list.length === 0) return '';
  return JSON.stringify(
    list.map((cp) => ({
      scenario: cp.scenario,
      metric: cp.metric,
      unit: cp.unit,
      change: Number(cp.change.toPrecision(4)),
      before: Number(cp.before.median.toPrecision(4)),
      after: Number(cp.after.median.toPrecision(4)),
      from: cp.commits.from,
      to: cp.commits.to,
      startedAt: cp.startedAt,
      ...(cp.runId === undefined ? {} : { runId: cp.runId }),
      pValue: cp.pValue,
    })),
  );
}
