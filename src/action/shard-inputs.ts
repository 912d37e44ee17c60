/**
 * The inputs of a sharded run: `shard` and `start-at` on the legs that measure, `merge` on the
 * job that merges and judges. Pure; each bad value or combination is a ConfigError naming the
 * input (inputs.ts turns it into its InputError).
 */
import { ConfigError } from '../config/errors.js';
import { parseShardSpec, parseStartAt, type ShardSettings } from '../run/shard.js';

/** `merge: true`, or the job whose shards to merge when the run has several. */
export interface MergeRequest {
  job: string | undefined;
}

/** A job id as a workflow file may spell it. */
const JOB_ID_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;

export function parseShardInputs(raw: {
  shard: string | undefined;
  startAt: string | undefined;
  merge: string;
  start: string | undefined;
  /** baseline base-commit: base and head side by side on this runner. */
  paired: boolean;
}): { shard: ShardSettings | undefined; merge: MergeRequest | undefined } {
  const merge = parseMerge(raw.merge);
  if (raw.shard === undefined) {
    if (raw.startAt !== undefined) {
      throw new ConfigError(
        `input start-at: only with shard (the shard legs wait for it), got "${raw.startAt}"`,
      );
    }
  } else {
    if (merge !== undefined) {
      throw new ConfigError(
        'input merge: a job either runs a shard (shard) or merges the shards (merge), not both',
      );
    }
    if (raw.start !== undefined) {
      throw new ConfigError(
        'input shard: the shards drive one shared target at base-url, and start-command would start a service on each leg; start the target once, outside the shard jobs',
      );
    }
    if (raw.paired) {
      throw new ConfigError(
        'input shard: baseline base-commit measures base and head on one runner; shards only measure their share (the merge job judges)',
      );
    }
  }
  if (merge !== undefined && (raw.start !== undefined || raw.paired)) {
    throw new ConfigError(
      'input merge: the merge job runs no load of its own: remove start-command and baseline base-commit',
    );
  }
  return {
    shard:
      raw.shard === undefined
        ? undefined
        : {
            ...parseShardSpec(raw.shard, 'input shard'),
            ...(raw.startAt === undefined
              ? {}
              : { startAt: parseStartAt(raw.startAt, 'input start-at') }),
          },
    merge,
  };
}

function parseMerge(text: string): MergeRequest | undefined {
  const value = text.trim();
  if (/^false$/i.test(value)) return undefined;
  if (/^true$/i.test(value)) return { job: undefined };
  if (JOB_ID_RE.test(value)) return { job: value };
  throw new ConfigError(
    `input merge: expected "true", "false" or the id of the job that ran the shards, got "${value}"`,
  );
}
