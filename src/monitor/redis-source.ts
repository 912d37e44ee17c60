/**
 * Redis memory: `used_memory` from INFO memory. A failed or slow query leaves the sample without
 * it and warns once; a Redis it cannot reach is a warning too, not an error.
 */
import { Redis } from 'ioredis';
import {
  messageOf,
  QUERY_TIMEOUT_MS,
  safeUrl,
  withTimeout,
  type MonitorWarnings,
} from './warnings.js';

export class RedisSource {
  private constructor(
    private readonly client: Redis | undefined,
    private readonly warnings: MonitorWarnings,
  ) {}

  static async connect(url: string | undefined, warnings: MonitorWarnings): Promise<RedisSource> {
    if (url === undefined) return new RedisSource(undefined, warnings);
    const client = new Redis(url, {
      lazyConnect: true,
      connectionName: 'loadgate-monitor',
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (times) => (times > 20 ? null : Math.min(times * 200, 2000)),
    });
    client.on('error', (error: unknown) => {
      warnings.add('redis', `Redis monitoring connection error: ${messageOf(error)}`);
    });
    try {
      await client.connect();
      return new RedisSource(client, warnings);
    } catch (error) {
      warnings.add(
        'redis',
        `could not connect to Redis at ${safeUrl(url)} to read its memory: ${messageOf(error)}`,
      );
      client.disconnect();
      return new RedisSource(undefined, warnings);
    }
  }

  async read(): Promise<number | undefined> {
    if (this.client === undefined) return undefined;
    try {
      const info = await withTimeout(
        this.client.info('memory'),
        QUERY_TIMEOUT_MS,
        'the Redis INFO query',
      );
      const match = /^used_memory:(\d+)/m.exec(info);
      if (match === null) throw new Error('no used_memory in INFO memory');
      return Number(match[1]);
    } catch (error) {
      this.warnings.add(
        'redis',
        `reading Redis memory failed (missing from some samples): ${messageOf(error)}`,
      );
      return undefined;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    await client?.quit().catch(() => client.disconnect());
  }
}
