/**
 * Redis memory: `used_memory` from INFO memory. Nothing here can hang the run:
 *
 * - connecting (TCP, HELLO, the ready check) is bounded by `connectMs`, every command by
 *   `queryMs` (ioredis `commandTimeout`, and a race around it; MonitorTimeouts, warnings.ts);
 * - a Redis it cannot reach is a warning, not an error: memory is "not measured";
 * - a Redis that stops answering mid-run is dropped at its first timed-out query (a Redis answers
 *   in order: nothing queued behind an unanswered command comes back either), with a warning;
 * - close() sends QUIT but waits at most `closeMs` before it drops the socket.
 */
import { Redis } from 'ioredis';
import {
  messageOf,
  safeUrl,
  settleWithin,
  withTimeout,
  type MonitorTimeouts,
  type MonitorWarnings,
} from './warnings.js';

export class RedisSource {
  private client: Redis | undefined;

  private constructor(
    client: Redis | undefined,
    private readonly url: string,
    private readonly warnings: MonitorWarnings,
    private readonly timeouts: MonitorTimeouts,
  ) {
    this.client = client;
  }

  static async connect(
    url: string | undefined,
    warnings: MonitorWarnings,
    timeouts: MonitorTimeouts,
  ): Promise<RedisSource> {
    if (url === undefined) return new RedisSource(undefined, '', warnings, timeouts);
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
        `Redis monitoring connection error (Redis memory missing from some samples): ${messageOf(error)}`,
      );
    });
    try {
      await withTimeout(client.connect(), timeouts.connectMs, 'connecting to Redis');
      connecting = false;
      return new RedisSource(client, url, warnings, timeouts);
    } catch (error) {
      client.disconnect();
      const cause = messageOf(connectError ?? error);
      warnings.add(
        'redis',
        `could not connect to Redis at ${safeUrl(url)} (${cause}): Redis memory is not measured`,
      );
      return new RedisSource(undefined, url, warnings, timeouts);
    }
  }

  async read(): Promise<number | undefined> {
    const client = this.client;
    if (client === undefined) return undefined;
    try {
      const info = await withTimeout(
        client.info('memory'),
        this.timeouts.queryMs,
        'the Redis INFO query',
      );
      const match = /^used_memory:(\d+)/m.exec(info);
      if (match === null) throw new Error('no used_memory in INFO memory');
      return Number(match[1]);
    } catch (error) {
      if (isTimeout(error)) {
        this.drop();
        this.warnings.add(
          'redis',
          `Redis at ${safeUrl(this.url)} stopped answering (${messageOf(error)}): Redis memory is not measured for the rest of the run`,
        );
      } else {
        this.warnings.add(
          'redis',
          `reading Redis memory failed (missing from some samples): ${messageOf(error)}`,
        );
      }
      return undefined;
    }
  }

  /** Stop using the connection: no reconnects, pending commands fail. */
  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) quietDisconnect(client);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    const polite = client.status === 'ready' ? client.quit() : Promise.resolve();
    await settleWithin(polite, this.timeouts.closeMs);
    quietDisconnect(client);
  }
}

/** Close the socket and stop reconnecting; whatever it says while it goes is not news. */
function quietDisconnect(client: Redis): void {
  client.removeAllListeners('error');
  client.on('error', () => undefined);
  client.disconnect();
}

/** A query that outlived its time (our race, or ioredis's commandTimeout). */
function isTimeout(error: unknown): boolean {
  return /took longer than|timed out/i.test(messageOf(error));
}
