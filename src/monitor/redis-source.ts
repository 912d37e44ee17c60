/**
 * Redis memory: `used_memory` from INFO memory. Nothing here can hang the run (server-source.ts):
 *
 * - connecting (TCP, HELLO, the ready check) is bounded by `connectMs`, every command by
 *   `queryMs` (ioredis `commandTimeout`, and a race around it; MonitorTimeouts, warnings.ts);
 * - a Redis it cannot reach is a warning, not an error: memory is "not measured";
 * - a Redis that stops answering mid-run is dropped at its first timed-out query (a Redis answers
 *   in order: nothing queued behind an unanswered command comes back either), with a warning;
 * - close() sends QUIT but waits at most `closeMs` before it drops the socket.
 */
import { Redis } from 'ioredis';
import { connectFailed, ServerSource, type SourceWords } from './server-source.js';
import { errorMessage } from '../format/error-text.js';
import { withTimeout, type MonitorTimeouts, type MonitorWarnings } from './warnings.js';

const WORDS: SourceWords = {
  key: 'redis',
  server: 'Redis',
  unmeasured: 'Redis memory is not measured',
  query: 'the Redis INFO query',
  failed: 'reading Redis memory failed (missing from some samples)',
};

export class RedisSource extends ServerSource<Redis> {
  static async connect(
    url: string | undefined,
    warnings: MonitorWarnings,
    timeouts: MonitorTimeouts,
  ): Promise<RedisSource> {
    if (url === undefined) return new RedisSource(undefined, '', warnings, timeouts, WORDS);
    const client = new Redis(url, {
      lazyConnect: true,
      connectionName: 'loadgate-monitor',
      maxRetriesPerRequest: 1,
      connectTimeout: timeouts.connectMs,
      commandTimeout: timeouts.queryMs,
      // While it reconnects, a query fails at once instead of waiting in a queue.
      enableOfflineQueue: false,
      retryStrategy: (times) => (times > 20 ? null : Math.min(times * 200, 2000)),
    });
    let connecting = true;
    let connectError: unknown;
    client.on('error', (error: unknown) => {
      if (connecting) {
        connectError ??= error; // said once, by the failed connect below
        return;
      }
      warnings.add(
        'redis',
        `Redis monitoring connection error (Redis memory missing from some samples): ${errorMessage(error)}`,
      );
    });
    try {
      await withTimeout(client.connect(), timeouts.connectMs, 'connecting to Redis');
      connecting = false;
      return new RedisSource(client, url, warnings, timeouts, WORDS);
    } catch (error) {
      client.disconnect();
      connectFailed(WORDS, warnings, url, errorMessage(connectError ?? error));
      return new RedisSource(undefined, url, warnings, timeouts, WORDS);
    }
  }

  protected async sample(client: Redis): Promise<number | undefined> {
    const match = /^used_memory:(\d+)/m.exec(await client.info('memory'));
    if (match === null) throw new Error('no used_memory in INFO memory');
    return Number(match[1]);
  }

  /** Our race, or ioredis's commandTimeout. */
  protected timedOut(error: unknown): boolean {
    return /took longer than|timed out/i.test(errorMessage(error));
  }

  protected goodbye(client: Redis): Promise<unknown> {
    return client.status === 'ready' ? client.quit() : Promise.resolve();
  }

  /** Close the socket and stop reconnecting (no reconnects, pending commands fail). */
  protected drop(client: Redis): void {
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    client.disconnect();
  }
}
