/**
 * What the Postgres and Redis sources share: a connection of their own, one query per sample, and
 * the same answer to each way it can go wrong (none of which can hang the run):
 *
 * - a server it cannot reach is a warning: what it measures is "not measured";
 * - a query that outlives `queryMs` drops the connection for the rest of the run, with a
 *   warning: a server that stopped answering never answers the queries queued behind it either,
 *   and every later sample would wait as long;
 * - any other failed query leaves that sample out, with a warning;
 * - close() waits at most `closeMs` for a polite goodbye before it drops the socket.
 */
import { errorMessage } from '../format/error-text.js';
import {
  safeUrl,
  settleWithin,
  withTimeout,
  type MonitorTimeouts,
  type MonitorWarnings,
} from './warnings.js';

/** How a source's warnings name it. */
export interface SourceWords {
  /** The warnings' key (one warning per source). */
  key: string;
  /** `Postgres`, `Redis`. */
  server: string;
  /** What goes missing without it: `its connections are not measured`. */
  unmeasured: string;
  /** The sampling query, as its timeout names it: `the Postgres query`. */
  query: string;
  /** A failed sample: `counting Postgres connections failed (missing from some samples)`. */
  failed: string;
}

/** The warning for a connection that could not be made. */
export function connectFailed(
  words: SourceWords,
  warnings: MonitorWarnings,
  url: string,
  cause: string,
): void {
  warnings.add(
    words.key,
    `could not connect to ${words.server} at ${safeUrl(url)} (${cause}): ${words.unmeasured}`,
  );
}

export abstract class ServerSource<C> {
  private client: C | undefined;

  protected constructor(
    client: C | undefined,
    private readonly url: string,
    private readonly warnings: MonitorWarnings,
    private readonly timeouts: MonitorTimeouts,
    private readonly words: SourceWords,
  ) {
    this.client = client;
  }

  /** One sample (the query and the reading of its answer). */
  protected abstract sample(client: C): Promise<number | undefined>;

  /** Whether `error` is a query that outlived its time. */
  protected abstract timedOut(error: unknown): boolean;

  /** The polite goodbye close() waits for. */
  protected abstract goodbye(client: C): Promise<unknown>;

  /** Drops the socket without waiting for the server; whatever it says while it goes is not news. */
  protected abstract drop(client: C): void;

  async read(): Promise<number | undefined> {
    const client = this.client;
    if (client === undefined) return undefined;
    try {
      return await withTimeout(this.sample(client), this.timeouts.queryMs, this.words.query);
    } catch (error) {
      const { key, server, unmeasured, failed } = this.words;
      if (this.timedOut(error)) {
        this.client = undefined;
        this.drop(client);
        this.warnings.add(
          key,
          `${server} at ${safeUrl(this.url)} stopped answering (${errorMessage(error)}): ${unmeasured} for the rest of the run`,
        );
      } else {
        this.warnings.add(key, `${failed}: ${errorMessage(error)}`);
      }
      return undefined;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    await settleWithin(this.goodbye(client), this.timeouts.closeMs);
    this.drop(client);
  }
}
