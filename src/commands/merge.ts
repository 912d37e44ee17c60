/**
 * `loadgate merge --out FILE SHARD...`: the shard results of one sharded run (`run --shard i/N`)
 * → one ordinary result file, for `compare` or as a baseline. Exit 0 when merged, 2 when a file
 * cannot be read or the shards do not belong together (the message names the shard).
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import { runSummaryTable } from '../report/run-summary.js';
import { mergeShardResults, ShardMergeError, type ShardInput } from '../result/merge.js';
import { readRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';
import { EXIT_OK, EXIT_USAGE, type Output } from './run.js';

export interface MergeOptions {
  /** Where the merged result goes. */
  out: string;
  /** The shard result files, in any order. */
  shards: string[];
}

export async function mergeCommand(
  options: MergeOptions,
  output: Output,
): Promise<{ exitCode: number; result?: RunResult; outFile?: string }> {
  let merged: RunResult;
  try {
    const inputs: ShardInput[] = [];
    for (const file of options.shards) {
      inputs.push({ source: file, result: await readRunResult(file) });
    }
    merged = mergeShardResults(inputs);
  } catch (error) {
    if (error instanceof RunResultError || error instanceof ShardMergeError) {
      output.err(`loadgate merge: ${error.message}`);
      return { exitCode: EXIT_USAGE };
    }
    throw error;
  }
  const outFile = await writeFileAtomic(resolve(options.out), `${JSON.stringify(merged)}\n`);
  output.out(runSummaryTable(merged));
  for (const warning of merged.warnings ?? []) output.err(`warning: ${warning}`);
  output.out(`merged ${options.shards.length} shard results into ${outFile}`);
  return { exitCode: EXIT_OK, result: merged, outFile };
}
