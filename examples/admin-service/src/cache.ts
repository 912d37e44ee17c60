/**
 * Cache for list and search results. With Redis, entries are keyed by the query and by a
 * generation counter that every write bumps (`INCR`), so a write invalidates every cached page
 * in O(1); stale generations simply expire (short TTL). One round trip per lookup (a Lua script
 * reads the generation and the entry together).
 */
import { Redis } from 'ioredis';

export interface ListCache {
  readonly kind: 'redis' | 'none';
  /** The cached JSON body for this query, or undefined; `token` goes back into `set`. */
  get(query: string): Promise<{ hit: string | undefined; token: string }>;
  set(query: string, token: string, body: string): Promise<void>;
  /** Called after every successful write. */
  invalidate(): Promise<void>;
  close(): Promise<void>;
}

export class NoCache implements ListCache {
  readonly kind = 'none' as const;
  async get(): Promise<{ hit: string | undefined; token: string }> {
    return { hit: undefined, token: '' };
  }
  async set(): Promise<void> {}
  async invalidate(): Promise<void> {}
  async close(): Promise<void> {}
}

const GET_SCRIPT = `
local g = redis.call('GET', KEYS[1]) or '0'
local v = redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])
if v then return {g, v} end
return {g}`;

type CacheRedis = Redis & {
  listCacheGet(genKey: string, entryPrefix: string, query: string): Promise<string[]>;
};

export interface RedisCacheOptions {
  url: string;
  prefix: string;
  ttlSeconds: number;
}

export class RedisCache implements ListCache {
  readonly kind = 'redis' as const;
  private readonly redis: CacheRedis;
  private readonly genKey: string;
  private readonly entryPrefix: string;
  private warned = false;
  private connected = false;
  private lastError: Error | undefined;

  constructor(private readonly opts: RedisCacheOptions) {
    const redis = new Redis(opts.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
    });
    redis.defineCommand('listCacheGet', { numberOfKeys: 1, lua: GET_SCRIPT });
    redis.on('error', (err: Error) => {
      this.lastError = err;
      if (this.connected) this.warn(err);
    });
    this.redis = redis as CacheRedis;
    this.genKey = `${opts.prefix}gen`;
    this.entryPrefix = `${opts.prefix}list:`;
  }

  async connect(): Promise<void> {
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (err) {
      const reason = this.lastError?.message ?? (err instanceof Error ? err.message : String(err));
      this.redis.disconnect();
      throw new Error(`cannot connect to Redis at ${this.opts.url}: ${reason}`, { cause: err });
    }
    this.connected = true;
  }

  private warn(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`admin-service: redis error (cache bypassed): ${msg}\n`);
  }

  async get(query: string): Promise<{ hit: string | undefined; token: string }> {
    try {
      const [gen, value] = await this.redis.listCacheGet(this.genKey, this.entryPrefix, query);
      return { hit: value, token: gen ?? '0' };
    } catch (err) {
      this.warn(err);
      return { hit: undefined, token: '' };
    }
  }

  async set(query: string, token: string, body: string): Promise<void> {
    if (token === '') return;
    try {
      await this.redis.set(
        `${this.entryPrefix}${token}:${query}`,
        body,
        'EX',
        this.opts.ttlSeconds,
      );
    } catch (err) {
      this.warn(err);
    }
  }

  async invalidate(): Promise<void> {
    try {
      await this.redis.incr(this.genKey);
    } catch (err) {
      this.warn(err);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
