/**
 * The history of the default branch, pure: a run's compact summary, appending it (in time order,
 * a re-run of the same workflow run replacing its earlier entry) and the cap. The file I/O is in
 * baseline/history-file.ts, the artifact in github/baseline-artifact.ts.
 */
import { asStoredBaseline } from './ab.js';
import { HISTORY_CAP, HISTORY_SCHEMA_VERSION, type History, type HistoryRun } from './history.js';
import { metricValue, trialsOf } from './metrics.js';
import { byName } from './own.js';
import { GATED_METRICS, type EnvironmentFingerprint, type GatedMetric } from './types.js';
import type { RunResult } from './types.js';

export function emptyHistory(): History {
  return { schemaVersion: HISTORY_SCHEMA_VERSION, runs: [] };
}

/** Values are kept to 6 significant digits: far below any change the judge can see, half the size. */
const compact = (v: number): number => Number(v.toPrecision(6));

/** "AMD EPYC 7763 ×4, 16 GB, Linux 6.8.0-1021-azure, ubuntu24 20250105.1" */
export function machineDescription(env: EnvironmentFingerprint): string {
  const gb = env.memoryBytes / 1024 ** 3;
  const parts = [
    `${env.cpuModel} ×${env.cores}`,
    `${gb >= 10 ? Math.round(gb) : gb.toFixed(1)} GB`,
    env.kernel === undefined ? env.os : `${env.os.split(' ')[0] ?? env.os} ${env.kernel}`,
    ...(env.runnerImage === undefined ? [] : [env.runnerImage]),
  ];
  return parts.join(', ');
}

/** Why a result cannot enter the history; undefined when it can. */
export function historyProblem(result: RunResult): string | undefined {
  if (result.partial !== undefined) return 'the result is partial';
  if (result.shard !== undefined) return 'the result is one shard of a sharded run (merge first)';
  const measured = result.scenarios.some((s) => s.failure === undefined && s.trials.length > 0);
  return measured ? undefined : 'no scenario of the result has trials';
}

export interface RunMeta {
  /** The workflow run that measured it (the action's GITHUB_RUN_ID). */
  runId?: number;
  accepted?: HistoryRun['accepted'];
}

/**
 * A result's summary for the history: per scenario that completed with trials, per gated metric
 * every trial has, the per-trial values. An A/B result contributes its head side. Throws a
 * RangeError when the result cannot enter the history (historyProblem).
 */
export function summarizeRun(input: RunResult, meta: RunMeta = {}): HistoryRun {
  const problem = historyProblem(input);
  if (problem !== undefined) throw new RangeError(`not added to the history: ${problem}`);
  const result = asStoredBaseline(input);
  const scenarios: HistoryRun['scenarios'] = byName();
  for (const s of result.scenarios) {
    if (s.failure !== undefined || s.trials.length === 0 || Object.hasOwn(scenarios, s.name)) {
      continue;
    }
    const metrics: Partial<Record<GatedMetric, number[]>> = {};
    for (const metric of GATED_METRICS) {
      const trials = trialsOf(s, metric);
      const values: number[] = [];
      for (const t of trials) {
        const v = metricValue(t, metric);
        if (v === undefined) break;
        values.push(compact(v));
      }
      if (values.length > 0 && values.length === trials.length) metrics[metric] = values;
    }
    scenarios[s.name] = metrics;
  }
  return {
    commit: result.git?.sha ?? null,
    ...(result.git?.ref === undefined ? {} : { ref: result.git.ref }),
    startedAt: result.startedAt,
    ...(meta.runId === undefined ? {} : { runId: meta.runId }),
    configHash: result.config.hash,
    profile: result.config.profile,
    machine: { hash: result.environment.hash, description: machineDescription(result.environment) },
    ...(result.probe === undefined
      ? {}
      : {
          probe: {
            cpuMs: compact(result.probe.score.cpuMs),
            memoryMs: compact(result.probe.score.memoryMs),
            ...(result.probe.version === 1 ? {} : { version: result.probe.version }),
          },
        }),
    ...(meta.accepted === undefined ? {} : { accepted: meta.accepted }),
    scenarios,
  };
}

export interface AppendOutcome {
  history: History;
  /** An entry of the same workflow run (a re-run), or the same commit and start, was replaced. */
  replaced: boolean;
  /** How many of the oldest runs the cap removed. */
  dropped: number;
}

function sameRun(a: HistoryRun, b: HistoryRun): boolean {
  if (a.runId !== undefined && b.runId !== undefined) return a.runId === b.runId;
  return a.commit === b.commit && a.startedAt === b.startedAt;
}

/**
 * Add `run` in time order (by startedAt; equal times keep arrival order), replacing an entry of
 * the same workflow run, then keep the newest `cap` runs. Never mutates its input.
 */
export function appendRun(history: History, run: HistoryRun, cap = HISTORY_CAP): AppendOutcome {
  if (!(Number.isInteger(cap) && cap >= 1)) throw new RangeError(`cap must be ≥ 1, got ${cap}`);
  const kept = history.runs.filter((r) => !sameRun(r, run));
  const replaced = kept.length !== history.runs.length;
  const at = Date.parse(run.startedAt);
  let index = kept.length;
  while (index > 0 && Date.parse(kept[index - 1]?.startedAt ?? '') > at) index--;
  const runs = [...kept.slice(0, index), run, ...kept.slice(index)];
  const dropped = Math.max(0, runs.length - cap);
  return {
    history: { schemaVersion: HISTORY_SCHEMA_VERSION, runs: runs.slice(dropped) },
    replaced,
    dropped,
  };
}
