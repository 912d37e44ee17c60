/**
 * Synthetic histories of main (result/history.ts) for the change-point and trend tests: per run
 * and scenario a level per metric, with per-trial noise drawn from a seeded generator.
 */
import type { History, HistoryRun } from '../../../src/result/history.js';
import type { GatedMetric } from '../../../src/result/types.js';
import { seededRandom } from '../../../src/stats/random.js';

export type Levels = Partial<Record<GatedMetric, (run: number) => number>>;

export interface SyntheticOptions {
  runs: number;
  scenarios: Record<string, Levels>;
  trials?: number;
  /** Relative SD of each trial around its run's level (log-normal; default 0.03). */
  noise?: number;
  seed?: number;
  /** Per run, extra fields (accepted, machine, configHash…). */
  extra?: (run: number) => Partial<HistoryRun>;
}

export const sha = (i: number) => `${(i + 1).toString(16).padStart(7, '0')}${'a'.repeat(33)}`;

export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function syntheticHistory(o: SyntheticOptions): History {
  const g = gaussian(seededRandom(o.seed ?? 1));
  const trials = o.trials ?? 5;
  const noise = o.noise ?? 0.03;
  const runs: HistoryRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    const scenarios: HistoryRun['scenarios'] = {};
    for (const [name, levels] of Object.entries(o.scenarios)) {
      const metrics: Partial<Record<GatedMetric, number[]>> = {};
      for (const [metric, level] of Object.entries(levels) as [
        GatedMetric,
        (r: number) => number,
      ][]) {
        const l = level(i);
        metrics[metric] = Array.from({ length: trials }, () => l * Math.exp(noise * g()));
      }
      scenarios[name] = metrics;
    }
    runs.push({
      commit: sha(i),
      ref: 'refs/heads/main',
      startedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
      runId: 1000 + i,
      configHash: 'cfg000000001',
      profile: 'default',
      machine: { hash: 'm1', description: 'AMD EPYC 7763 ×4, linux' },
      scenarios,
      ...o.extra?.(i),
    });
  }
  return { schemaVersion: 1, runs };
}

/** A level that steps from `a` to `b` at run `at`. */
export const stepAt = (at: number, a: number, b: number) => (run: number) => (run >= at ? b : a);
export const flat = (a: number) => () => a;
