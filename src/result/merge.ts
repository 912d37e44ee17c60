/**
 * Shard results → one ordinary RunResult, judged, reported and saved as a baseline like a
 * single run's. Trial k of every shard becomes trial k of the whole (result/merge-trial.ts);
 * the scenarios' histograms are the sums of the shards'. The merged result keeps none of the
 * shards' per-trial detail (it is as small as a single run's); `merged` records where it came
 * from and what each machine saw alone, and `warnings` say when the trials may not have covered
 * the same moments. Pure: the I/O is the front ends' (commands/merge.ts, action/merge-job.ts).
 */
import { upperMedian } from '../stats/percentile.js';
import { addEncoded, encodeHistogram, newHistogram } from './histogram.js';
import { earliest, mergeTrial, type ShardTrial } from './merge-trial.js';
import { own } from './own.js';
import { orderShards, type ShardInput, type ShardPart } from './shard-set.js';
import type { MergedShard, RunResult, ScenarioResult, TrialResult } from './types.js';

export { ShardMergeError, type ShardInput } from './shard-set.js';

/**
 * Trials whose starts across shards differ by more than this share of a trial's length are
 * reported: their sums mix different moments of the target's life.
 */
export const ALIGNMENT_TOLERANCE = 0.1;

export function mergeShardResults(inputs: readonly ShardInput[]): RunResult {
  const parts = orderShards(inputs);
  const first = parts[0] as ShardPart;
  const count = first.shard.count;
  const { shard: _shard, warnings: _warnings, ...base } = first.result;
  const scenarios = first.result.scenarios.map((_, i) =>
    mergeScenario(
      parts.map((p) => ({
        shard: p.shard.index,
        scenario: p.result.scenarios[i] as ScenarioResult,
      })),
      count,
    ),
  );
  const warnings = mergeWarnings(parts, scenarios);
  return {
    ...base,
    startedAt: earliest(parts.map((p) => p.result.startedAt)),
    finishedAt: latest(parts.map((p) => p.result.finishedAt)),
    scenarios,
    ...(warnings.length > 0 ? { warnings } : {}),
    merged: {
      count,
      ...(first.shard.startAt === undefined ? {} : { startAt: first.shard.startAt }),
      shards: parts.map(shardSummary),
    },
  };
}

interface ShardScenario {
  shard: number;
  scenario: ScenarioResult;
}

function mergeScenario(parts: readonly ShardScenario[], count: number): ScenarioResult {
  const first = (parts[0] as ShardScenario).scenario;
  const common = {
    name: first.name,
    kind: first.kind,
    ...(first.description === undefined ? {} : { description: first.description }),
    settings: first.settings,
    sla: first.sla,
  };
  const failed = parts.filter((p) => p.scenario.failure !== undefined);
  if (failed.length > 0) {
    return {
      ...common,
      trials: [],
      histogram: encodeHistogram(newHistogram()),
      endpointHistograms: {},
      resources: first.resources,
      generatorSaturated: false,
      failure: failed.map((p) => `shard ${p.shard}/${count}: ${p.scenario.failure}`).join('; '),
    };
  }
  const trials = first.trials.map((_, k) =>
    mergeTrial(
      parts.map((p) => ({ shard: p.shard, trial: p.scenario.trials[k] }) as ShardTrial),
      count,
      first.settings.rate,
    ),
  );
  const names = [...new Set(parts.flatMap((p) => Object.keys(p.scenario.endpointHistograms)))];
  const db = parts.flatMap((p) => (p.scenario.dbHistogram ? [p.scenario.dbHistogram] : []));
  return {
    ...common,
    trials,
    histogram: encodeHistogram(addEncoded(parts.map((p) => p.scenario.histogram))),
    endpointHistograms: Object.fromEntries(
      names.map((name) => [
        name,
        encodeHistogram(addEncoded(parts.map((p) => own(p.scenario.endpointHistograms, name)))),
      ]),
    ),
    ...(db.length > 0 ? { dbHistogram: encodeHistogram(addEncoded(db)) } : {}),
    // Another machine's samples of the shared target: the first shard's, never summed.
    resources: first.resources,
    // One saturated generator holds the whole run back.
    generatorSaturated: parts.some((p) => p.scenario.generatorSaturated),
  };
}

function shardSummary(part: ShardPart): MergedShard {
  return {
    index: part.shard.index,
    environment: part.result.environment,
    startedAt: part.result.startedAt,
    scenarios: Object.fromEntries(
      part.result.scenarios.map((s) => [
        s.name,
        {
          connections: s.shard?.connections ?? s.settings.connections,
          ...(s.shard?.rate === undefined ? {} : { rate: s.shard.rate }),
          generatorCpuPercent: upperMedian(s.trials.map((t) => t.generatorCpuPercent)) ?? 0,
          maxLateMs: Math.max(0, ...s.trials.map((t) => t.shard?.lateMs ?? 0)),
          resources: s.resources,
        },
      ]),
    ),
  };
}

/** The shards' own warnings, and whatever makes the merged trials less than one moment's sum. */
function mergeWarnings(parts: readonly ShardPart[], merged: readonly ScenarioResult[]): string[] {
  const count = (parts[0] as ShardPart).shard.count;
  const warnings = parts.flatMap((p) =>
    (p.result.warnings ?? []).map((w) => `shard ${p.shard.index}/${count}: ${w}`),
  );
  if ((parts[0] as ShardPart).shard.startAt === undefined && count > 1) {
    warnings.push(
      `The ${count} shards had no common start time (start-at): each began when it was ready, so trial windows may not align.`,
    );
  }
  for (const [i, scenario] of merged.entries()) {
    if (scenario.failure !== undefined) continue;
    const worst = worstAlignment(parts, i);
    const limitMs = scenario.settings.trialSeconds * 1000 * ALIGNMENT_TOLERANCE;
    if (worst && worst.spreadMs > limitMs) {
      warnings.push(
        `Trials of "${scenario.name}" did not line up across shards: trial ${worst.trial + 1} started ${seconds(worst.spreadMs)} apart (trials last ${scenario.settings.trialSeconds} s), so its sums mix different moments.`,
      );
    }
  }
  const targets = [...new Set(parts.map((p) => p.result.target.baseUrl))];
  if (targets.length > 1) {
    warnings.push(`The shards measured different targets (${targets.join(', ')}).`);
  }
  const machines = [...new Set(parts.map((p) => p.result.environment.hash))];
  if (machines.length > 1) {
    warnings.push(
      `The shards ran on ${machines.length} machine types: their shares of the load may not have been alike.`,
    );
  }
  return warnings;
}

/** The trial of scenario `i` whose starts lie furthest apart across the shards. */
function worstAlignment(
  parts: readonly ShardPart[],
  i: number,
): { trial: number; spreadMs: number } | undefined {
  const trials = parts.map((p) => (p.result.scenarios[i] as ScenarioResult).trials);
  let worst: { trial: number; spreadMs: number } | undefined;
  for (const [k] of (trials[0] ?? []).entries()) {
    const starts = trials.map((t) => Date.parse((t[k] as TrialResult).startedAt));
    const spreadMs = Math.max(...starts) - Math.min(...starts);
    if (!worst || spreadMs > worst.spreadMs) worst = { trial: k, spreadMs };
  }
  return worst;
}

function latest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
