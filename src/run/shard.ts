/**
 * A sharded run: N machines each drive 1/N of every scenario against one shared target, on one
 * common clock, and `loadgate merge` sums them. Here: the `i/N` and start-time options (parsed
 * once for the action and the CLI, each naming its own field) and each shard's share of a
 * scenario.
 */
import { ConfigError } from '../config/errors.js';
import type { Plan, ResolvedScenario } from '../config/plan.js';

/** The most shards one run may have (a matrix of 64 legs is already unusual). */
export const MAX_SHARDS = 64;
/** The furthest ahead a common start may be: a hosted job runs at most 6 hours. */
const MAX_WAIT_MS = 6 * 3600_000;

export interface ShardSettings {
  /** 1-based. */
  index: number;
  count: number;
  /** The common start time (ISO 8601, normalized); absent: each shard starts when it is ready. */
  startAt?: string;
}

/** `i/N` → { index, count }; `field` names the input or flag in the error. */
export function parseShardSpec(text: string, field: string): { index: number; count: number } {
  const m = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(index >= 1 && index <= count && count <= MAX_SHARDS)) {
    throw new ConfigError(
      `${field}: expected i/N with 1 ≤ i ≤ N ≤ ${MAX_SHARDS}, got "${text.trim()}"`,
    );
  }
  return { index, count };
}

/**
 * An ISO 8601 time with a zone (`2025-01-01T12:00:00Z`, `…+02:00`), normalized to UTC. A time
 * without a zone is refused: shards on machines in different zones would read it differently.
 */
export function parseStartAt(text: string, field: string, nowMs = Date.now()): string {
  const trimmed = text.trim();
  const ms = Date.parse(trimmed);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
  if (!zoned.test(trimmed) || !Number.isFinite(ms)) {
    throw new ConfigError(
      `${field}: expected an ISO 8601 time with a time zone (e.g. 2025-01-01T12:00:00Z), got "${trimmed}"`,
    );
  }
  if (ms - nowMs > MAX_WAIT_MS) {
    throw new ConfigError(
      `${field}: ${trimmed} is more than 6 hours ahead; the shards would wait longer than a job may run`,
    );
  }
  return new Date(ms).toISOString();
}

/**
 * The shard's share of a scenario: connections split as evenly as they go (the first
 * `connections mod N` shards take one more), the rate in proportion to the connections, so
 * every connection of the whole run is asked for the same pace.
 */
export function shareOf(
  scenario: ResolvedScenario,
  shard: Pick<ShardSettings, 'index' | 'count'>,
): { connections: number; rate?: number } {
  const { connections } = scenario;
  const base = Math.floor(connections / shard.count);
  const share = base + (shard.index <= connections % shard.count ? 1 : 0);
  return {
    connections: share,
    ...(scenario.rate === undefined ? {} : { rate: (scenario.rate * share) / connections }),
  };
}

/**
 * Every scenario must be shardable before anything starts: trials of the load kind only (the
 * other kinds ramp, burst, seed or soak on one machine's clock), and at least one connection
 * per shard.
 */
export function checkShardable(plan: Plan, shard: Pick<ShardSettings, 'count'>): void {
  for (const scenario of plan.scenarios) {
    if (scenario.kind !== 'load') {
      throw new ConfigError(
        `shard: scenario "${scenario.name}" is of kind ${scenario.kind}; only load scenarios can be sharded (choose them with profile or exclude it)`,
      );
    }
    if (scenario.connections < shard.count) {
      throw new ConfigError(
        `shard: scenario "${scenario.name}" has ${scenario.connections} connection(s), fewer than the ${shard.count} shards: give it at least ${shard.count} (connections) or leave it out (exclude)`,
      );
    }
  }
}
