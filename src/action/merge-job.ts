/**
 * The merge job of a sharded run (`merge: true`): find this workflow run's shard results (the
 * shard legs' artifacts), download them, check they belong together and merge them into one
 * ordinary result, which run-action.ts then judges, reports, comments and saves like a single
 * run's. Every way this can fail is a ShardMergeError naming what is missing or wrong.
 */
import {
  downloadShardResult,
  listShardArtifacts,
  type ShardArtifact,
} from '../github/shard-artifacts.js';
import { mergeShardResults, ShardMergeError, type ShardInput } from '../result/merge.js';
import { parseRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';
import type { ActionDeps } from './deps.js';
import type { MergeRequest } from './shard-inputs.js';

export async function measureMergedShards(
  request: MergeRequest,
  name: string | undefined,
  deps: ActionDeps,
): Promise<RunResult> {
  if (!deps.env.ACTIONS_RUNTIME_TOKEN) {
    throw new ShardMergeError(
      "ACTIONS_RUNTIME_TOKEN is not set: the merge job reads this workflow run's artifacts, inside GitHub Actions only (elsewhere: loadgate merge --out FILE SHARD...)",
    );
  }
  let found: ShardArtifact[];
  try {
    found = await listShardArtifacts();
  } catch (error) {
    throw new ShardMergeError(`could not list this run's artifacts: ${(error as Error).message}`);
  }
  const chosen = chooseShardGroup(found, { name, job: request.job });
  deps.log.info(
    `loadgate: merging ${chosen.length} shard result(s): ${chosen.map((a) => a.artifact).join(', ')}`,
  );
  const inputs: ShardInput[] = [];
  for (const artifact of chosen) {
    const source = `artifact ${artifact.artifact}`;
    try {
      const text = await downloadShardResult(artifact, {
        ...(deps.env.RUNNER_TEMP ? { tempDir: deps.env.RUNNER_TEMP } : {}),
      });
      inputs.push({ source, result: parseRunResult(text, source) });
    } catch (error) {
      if (error instanceof RunResultError) throw new ShardMergeError(error.message);
      throw new ShardMergeError(`could not download ${source}: ${(error as Error).message}`);
    }
  }
  const merged = mergeShardResults(inputs);
  for (const warning of merged.warnings ?? []) deps.log.warning(`loadgate: ${warning}`);
  return merged;
}

/**
 * The shard artifacts this merge job takes: those of the shard jobs with its own `name` (or
 * none), of the job `merge` names when it names one. Several jobs left: which is ambiguous.
 */
export function chooseShardGroup(
  found: readonly ShardArtifact[],
  want: { name: string | undefined; job: string | undefined },
): ShardArtifact[] {
  const candidates = found.filter(
    (a) => a.name === want.name && (want.job === undefined || a.job === want.job),
  );
  const jobs = [...new Set(candidates.map((a) => a.job))];
  if (jobs.length === 0) {
    const which = [
      ...(want.name === undefined ? ['without a name'] : [`named ${want.name}`]),
      ...(want.job === undefined ? [] : [`of job ${want.job}`]),
    ].join(' ');
    const seen = found.map((a) => a.artifact).join(', ') || 'none';
    throw new ShardMergeError(
      `no shard results ${which} in this workflow run (shard artifacts found: ${seen}); the merge job must run after the shard jobs (needs:), with the same name`,
    );
  }
  if (jobs.length > 1) {
    throw new ShardMergeError(
      `shard results of several jobs in this workflow run (${jobs.join(', ')}): say which with merge: <job id>`,
    );
  }
  return candidates.sort((a, b) => a.index - b.index);
}
