/**
 * What a baseline refresh reports of the change points on main: each step marked new or not
 * against the history the previous refresh left, and the action's `change-points` output (pure).
 */
import type { History, HistoryRun } from '../result/history.js';
import {
  detectChangePoints,
  detectIn,
  SAME_STEP_RUNS,
  seriesKey,
  type ChangePoint,
  type ChangePointOptions,
  type ChangePointReport,
} from './change-points.js';

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
    const found = detectIn(before, options, stepped).changePoints.flatMap((cp) => {
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
