/**
 * The flags of a sharded run: `run --shard i/N [--start-at T]` and `merge --out FILE SHARD...`.
 * Only `run` takes the shard flags; gate, ab and calibrate judge or compare whole runs and
 * refuse them as unknown.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { MergeOptions } from '../commands/merge.js';
import { ConfigError } from '../config/errors.js';
import type { RunSettings } from '../run/execute.js';
import { parseShardSpec, parseStartAt, type ShardSettings } from '../run/shard.js';
import { flagError, parseFlags, RUN_OPTIONS, runSettingsFrom } from './args.js';

const SHARD_OPTIONS = {
  shard: { type: 'string' },
  'start-at': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** `loadgate run`: the run options, and the shard flags. */
export function parseRunCommandArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
): { settings: RunSettings; out: string } {
  const v = parseFlags('run', args, { ...RUN_OPTIONS, ...SHARD_OPTIONS });
  const { settings, out } = runSettingsFrom(v, env);
  const shard = shardFlags(v, settings);
  return { settings: shard === undefined ? settings : { ...settings, shard }, out };
}

function shardFlags(
  v: { shard?: string; 'start-at'?: string },
  settings: RunSettings,
): ShardSettings | undefined {
  if (v.shard === undefined) {
    if (v['start-at'] !== undefined) {
      throw new ConfigError('--start-at: only with --shard i/N (the shards wait for it)');
    }
    return undefined;
  }
  const spec = parseShardSpec(v.shard, '--shard');
  if (settings.start !== undefined) {
    throw new ConfigError(
      '--shard: the shards drive one shared target at --base-url, and --start would start a service for each; start it once, then run the shards against it',
    );
  }
  return {
    ...spec,
    ...(v['start-at'] === undefined ? {} : { startAt: parseStartAt(v['start-at'], '--start-at') }),
  };
}

/** `loadgate merge [--out FILE] SHARD...`. */
export function parseMergeArgs(args: string[]): MergeOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { out: { type: 'string', short: 'o' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw flagError('merge', error);
  }
  if (parsed.positionals.length === 0) {
    throw new ConfigError('merge needs the shard result files: loadgate merge -o FILE SHARD...');
  }
  return { out: parsed.values.out ?? 'loadgate-result.json', shards: parsed.positionals };
}
