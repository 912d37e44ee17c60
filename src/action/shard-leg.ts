/**
 * A shard leg of the action (`shard: i/N`): measure this job's share of the run against the
 * shared target, keep the result, upload it for the merge job, and write a short job summary.
 * It neither judges, comments nor saves a baseline: the merge job (merge-job.ts) does, once,
 * for the whole run. A leg whose artifact did not upload fails: the merge cannot do without it.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import { shardArtifactName, uploadShardArtifact } from '../github/shard-artifacts.js';
import { shardSummaryMarkdown } from '../report/shard-summary.js';
import type { RunSettings } from '../run/execute.js';
import type { ShardSettings } from '../run/shard.js';
import { OUTPUT_NAMES, type ActionDeps, type OutputName } from './deps.js';
import type { ActionInputs } from './inputs.js';
import { jobSummaryPublisher, runPublishers, type Publisher } from './publishers.js';

export interface ShardLeg {
  shard: ShardSettings;
  outDir: string;
  settings: RunSettings;
  /** The front end's reading of a run that could not happen (run-action.ts). */
  describeError: (error: unknown) => { title: string; message: string } | undefined;
}

const RESULT_FILE = 'loadgate-shard-result.json';

export async function runShardLeg(
  inputs: ActionInputs,
  deps: ActionDeps,
  leg: ShardLeg,
): Promise<{ failures: string[]; verdict: undefined }> {
  const { log } = deps;
  const { index, count } = leg.shard;
  const label = `shard ${index}/${count}`;
  const key = {
    job: deps.ctx.job ?? 'loadgate',
    ...(inputs.name === undefined ? {} : { name: inputs.name }),
    index,
    count,
  };
  const outputs: Partial<Record<OutputName, string>> = {};
  const flush = () => {
    for (const name of OUTPUT_NAMES) deps.setOutput(name, outputs[name] ?? '');
  };
  log.info(
    `loadgate: ${label}: this job measures its share of the run; the merge job judges the whole`,
  );

  let resultJson: string;
  let summary: string;
  try {
    const result = await deps.executeRun(leg.settings);
    resultJson = `${JSON.stringify(result)}\n`;
    outputs['results-path'] = await writeFileAtomic(join(leg.outDir, RESULT_FILE), resultJson);
    for (const warning of result.warnings ?? []) log.warning(`loadgate: ${warning}`);
    summary = shardSummaryMarkdown(result, shardArtifactName(key));
  } catch (error) {
    const described = leg.describeError(error);
    if (!described) throw error;
    outputs.verdict = 'error';
    const text = `### loadgate: ${label}: ${described.title}\n\n${described.message}\n`;
    await runPublishers([jobSummaryPublisher(text, log)], log);
    flush();
    return {
      failures: [`loadgate: ${label}: ${described.title}: ${described.message}`],
      verdict: undefined,
    };
  }

  const upload: Publisher = {
    name: 'shard artifact',
    failsCheck: true,
    publish: async () => {
      const uploaded = await uploadShardArtifact(key, resultJson, {
        ...(deps.artifactClient ? { client: deps.artifactClient } : {}),
        retentionDays: deps.reportRetentionDays ?? 30,
        ...(deps.env.RUNNER_TEMP ? { tempDir: deps.env.RUNNER_TEMP } : {}),
      });
      log.info(`loadgate: ${label} uploaded as artifact ${uploaded.name}`);
    },
  };
  const failures = await runPublishers([jobSummaryPublisher(summary, log), upload], log);
  flush();
  return { failures, verdict: undefined };
}
