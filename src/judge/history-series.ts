/**
 * The history of main as series: per scenario and gated metric, each run's median of its
 * per-trial values, oldest first, and the scale steps are searched on (pure).
 */
import { median } from 'simple-statistics';
import type { History } from '../result/history.js';
import { GATED_METRICS, METRICS, type GatedMetric } from '../result/types.js';
import { RATIO_FLOOR } from './two-sample.js';

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

export const HIGHER_IS_WORSE = Object.fromEntries(
  GATED_METRICS.map((m) => [m, METRICS[m].higherIsWorse]),
) as Record<GatedMetric, boolean>;

export function unitOf(metric: GatedMetric): 'ratio' | 'pp' {
  return METRICS[metric].scale;
}

/** The scale the series is searched on: ln for latencies and throughput, pp for the error rate. */
export function toScale(metric: GatedMetric, value: number): number {
  return unitOf(metric) === 'pp' ? value * 100 : Math.log(Math.max(value, RATIO_FLOOR));
}

export function fromScale(metric: GatedMetric, value: number): number {
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
