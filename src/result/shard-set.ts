/**
 * Whether shard results belong together before they are merged: every one a shard result, all
 * of one N, every index present exactly once, and the same measurement (configuration, version,
 * common start, commit, scenarios and their settings). Each problem is an error naming the shard
 * and where it came from. Pure.
 */
import type { RunResult, ShardInfo } from './types.js';

export class ShardMergeError extends Error {
  override readonly name = 'ShardMergeError';
}

export interface ShardInput {
  /** Where the result came from (a file, an artifact), for messages. */
  source: string;
  result: RunResult;
}

export type ShardPart = ShardInput & { shard: ShardInfo };

/** The shards in index order; throws ShardMergeError when they do not form one complete run. */
export function orderShards(inputs: readonly ShardInput[]): ShardPart[] {
  const first = inputs[0];
  if (first === undefined) throw new ShardMergeError('no shard results to merge');
  const parts = inputs.map(asPart);
  const count = (parts[0] as ShardPart).shard.count;
  const byIndex = new Map<number, ShardPart>();
  for (const part of parts) {
    const { index, count: n } = part.shard;
    if (n !== count) {
      throw new ShardMergeError(
        `${part.source} is shard ${index}/${n}, but ${first.source} is shard ${(parts[0] as ShardPart).shard.index}/${count}: the shards of one run share N`,
      );
    }
    const seen = byIndex.get(index);
    if (seen) {
      throw new ShardMergeError(
        `shard ${index}/${count} appears twice: ${seen.source} and ${part.source}`,
      );
    }
    byIndex.set(index, part);
  }
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`);
  if (missing.length > 0) {
    const found = [...byIndex.values()]
      .sort((a, b) => a.shard.index - b.shard.index)
      .map((p) => `${p.shard.index}/${count} from ${p.source}`)
      .join(', ');
    throw new ShardMergeError(
      `shard ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (found ${found})`,
    );
  }
  const ordered = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const reference = ordered[0] as ShardPart;
  for (const part of ordered.slice(1)) {
    const difference = differenceOf(reference, part);
    if (difference !== undefined) {
      throw new ShardMergeError(
        `shard ${part.shard.index}/${count} (${part.source}) does not belong with shard ${reference.shard.index}/${count} (${reference.source}): ${difference}`,
      );
    }
  }
  for (const part of ordered) checkDetail(part);
  return ordered;
}

function asPart(input: ShardInput): ShardPart {
  const { shard } = input.result;
  if (shard === undefined) {
    throw new ShardMergeError(
      `${input.source} is not a shard result (it has no "shard" section): write shard results with loadgate run --shard i/N`,
    );
  }
  return { ...input, shard };
}

/** What makes `b` another measurement than `a`, in a few words; undefined when they match. */
function differenceOf(a: ShardPart, b: ShardPart): string | undefined {
  const ra = a.result;
  const rb = b.result;
  const changed = (what: string, x: unknown, y: unknown) =>
    `${what} ${String(x ?? 'none')} ≠ ${String(y ?? 'none')}`;
  if (ra.config.hash !== rb.config.hash) {
    return changed('configuration hash', ra.config.hash, rb.config.hash);
  }
  if (ra.tool.version !== rb.tool.version) {
    return changed('loadgate version', ra.tool.version, rb.tool.version);
  }
  if (a.shard.startAt !== b.shard.startAt) {
    return changed('start-at', a.shard.startAt, b.shard.startAt);
  }
  if (ra.git?.sha && rb.git?.sha && ra.git.sha !== rb.git.sha) {
    return changed('commit', ra.git.sha, rb.git.sha);
  }
  const names = (r: RunResult) => r.scenarios.map((s) => s.name).join(', ');
  if (names(ra) !== names(rb)) return changed('scenarios', names(ra), names(rb));
  for (const [i, sa] of ra.scenarios.entries()) {
    const sb = rb.scenarios[i] as (typeof rb.scenarios)[number];
    const settings = (s: typeof sa) => JSON.stringify({ kind: s.kind, ...s.settings });
    if (settings(sa) !== settings(sb)) {
      return changed(`scenario "${sa.name}" settings`, settings(sa), settings(sb));
    }
    if (sa.failure === undefined && sb.failure === undefined) {
      if (sa.trials.length !== sb.trials.length) {
        return changed(`trials of "${sa.name}"`, sa.trials.length, sb.trials.length);
      }
    }
  }
  return undefined;
}

/** Every completed trial must carry its histograms, one per second of its series. */
function checkDetail(part: ShardPart): void {
  const where = `shard ${part.shard.index}/${part.shard.count} (${part.source})`;
  for (const scenario of part.result.scenarios) {
    if (scenario.failure !== undefined) continue;
    for (const trial of scenario.trials) {
      const detail = trial.shard;
      if (detail === undefined) {
        throw new ShardMergeError(
          `${where}: trial ${trial.index + 1} of "${scenario.name}" has no shard detail (histograms) to merge`,
        );
      }
      if (detail.seconds.length !== trial.series.length) {
        throw new ShardMergeError(
          `${where}: trial ${trial.index + 1} of "${scenario.name}" has ${trial.series.length} seconds but ${detail.seconds.length} per-second histograms`,
        );
      }
    }
  }
}
