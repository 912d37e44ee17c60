/**
 * The service database's connections: `count(*)` of pg_stat_activity for the URL's database,
 * all states (idle included: a pooled connection holds a server slot whether busy or not, and
 * the SLA is on connections), the monitor's own connection excluded. Nothing here can hang the
 * run:
 *
 * - connecting (TCP, startup, authentication) is bounded by `connectMs` (MonitorTimeouts);
 * - a database it cannot reach (or a wrong password) is a warning: connections are "not measured";
 * - a database that stops answering mid-run is dropped at its first timed-out query (pg runs one
 *   query at a time per connection: the next would wait behind the unanswered one), with a warning;
 * - close() sends Terminate but waits at most `closeMs` before it destroys the socket.
 */
import pg from 'pg';
import {
  messageOf,
  safeUrl,
  settleWithin,
  withTimeout,
  type MonitorTimeouts,
  type MonitorWarnings,
} from './warnings.js';

const PG_QUERY =
  'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';

/** Drop the socket without waiting for the server (one that stopped answering never will). */
function destroy(client: pg.Client): void {
  // Whatever it says while it goes ("Connection terminated") is not news.
  client.removeAllListeners('error');
  client.on('error', () => undefined);
  try {
    client.connection.stream.destroy();
  } catch {
    // never connected: nothing to destroy
  }
}

export class PostgresSource {
  private client: pg.Client | undefined;

  private constructor(
    client: pg.Client | undefined,
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
  ): Promise<PostgresSource> {
    if (url === undefined) return new PostgresSource(undefined, '', warnings, timeouts);
    const client = new pg.Client({
      connectionString: url,
      application_name: 'loadgate-monitor',
      connectionTimeoutMillis: timeouts.connectMs,
    });
    let connecting = true;
    client.on('error', (error) => {
      if (connecting) return; // said by the failed connect below
      warnings.add(
        'pg',
        `Postgres monitoring connection lost (connections missing from later samples): ${messageOf(error)}`,
      );
    });
    try {
      await withTimeout(client.connect(), timeouts.connectMs + 500, 'connecting to Postgres');
      connecting = false;
      return new PostgresSource(client, url, warnings, timeouts);
    } catch (error) {
      destroy(client);
      warnings.add(
        'pg',
        `could not connect to Postgres at ${safeUrl(url)} (${messageOf(error)}): its connections are not measured`,
      );
      return new PostgresSource(undefined, url, warnings, timeouts);
    }
  }

  async read(): Promise<number | undefined> {
    const client = this.client;
    if (client === undefined) return undefined;
    try {
      const result = await withTimeout(
        client.query<{ n: number }>(PG_QUERY),
        this.timeouts.queryMs,
        'the Postgres query',
      );
      const n = result.rows[0]?.n;
      return typeof n === 'number' ? n : undefined;
    } catch (error) {
      if (/took longer than/.test(messageOf(error))) {
        this.client = undefined;
        destroy(client);
        this.warnings.add(
          'pg',
          `Postgres at ${safeUrl(this.url)} stopped answering (${messageOf(error)}): its connections are not measured for the rest of the run`,
        );
      } else {
        this.warnings.add(
          'pg',
          `counting Postgres connections failed (missing from some samples): ${messageOf(error)}`,
        );
      }
      return undefined;
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    await settleWithin(client.end(), this.timeouts.closeMs);
    destroy(client);
  }
}
