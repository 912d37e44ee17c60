/**
 * The history of the default branch: one compact summary per baseline refresh, newest last,
 * kept beside the full result in the baseline artifact (and, for the CLI, in a file such as
 * baselines/history.json). Small on purpose: per scenario and gated metric the per-trial values
 * only, never histograms or series.
 */
import type { GatedMetric } from './types.js';

export const HISTORY_SCHEMA_VERSION = 1 as const;

/** How many runs a history keeps (the oldest go first). */
export const HISTORY_CAP = 50;

export interface History {
  schemaVersion: typeof HISTORY_SCHEMA_VERSION;
  runs: HistoryRun[];
}

export interface HistoryRun {
  /** The commit measured (GITHUB_SHA on a push); null when unknown. */
  commit: string | null;
  ref?: string;
  /** When the run started (ISO 8601). */
  startedAt: string;
  /** The workflow run that measured it, when known (for links). */
  runId?: number;
  configHash: string;
  profile: string;
  /** The machine: its fingerprint hash and description (cpu model × cores, kernel, image). */
  machine: { hash: string; description: string };
  /**
   * The run's machine probe score, when it has one (result/types.ts MachineProbe). `version` is
   * the probe workload's (run/probe.ts PROBE_VERSION): scores of different versions are never
   * compared; absent = version 1.
   */
  probe?: { cpuMs: number; memoryMs: number; version?: number };
  /** Set on the merge that brought a regression accepted by a pull request's label. */
  accepted?: { label: string; pullRequest?: number; scenarios: string[] };
  /** Per scenario and gated metric: the per-trial values of that run. */
  scenarios: Record<string, Partial<Record<GatedMetric, number[]>>>;
}
