/**
 * The service database's connections: `count(*)` of pg_stat_activity for the URL's database,
 * all states (idle included: a pooled connection holds a server slot whether busy or not, and
 * the SLA is on connections), the monitor's own connection excluded. Nothing here can hang the
 * run (server-source.ts):
 *
 * - connecting (TCP, startup, authentication) is bounded by `connectMs` (MonitorTimeouts);
 * - a database it cannot reach (or a wrong password) is a warning: connections are "not measured";
 * - a database that stops answering mid-run is dropped at its first timed-out query (pg runs one
 *   query at a time per connection: the next would wait behind the unanswered one), with a warning;
 * - close() sends Terminate but waits at most `closeMs` before it destroys the socket.
 */
import pg from 'pg';
import { connectFailed, ServerSource, type SourceWords } from './server-source.js';
import { errorMessage } from '../format/error-text.js';
import { withTimeout, type MonitorTimeouts, type MonitorWarnings } from './warnings.js';

const PG_QUERY =
  'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';

const WORDS: SourceWords = {
  key: 'pg',
  server: 'Postgres',
  unmeasured: 'its connections are not measured',
  query: 'the Postgres query',
  failed: 'counting Postgres connections failed (missing from some samples)',
};

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

export class PostgresSource extends ServerSource<pg.Client> {
  static async connect(
    url: string | undefined,
    warnings: MonitorWarnings,
    timeouts: MonitorTimeouts,
  ): Promise<PostgresSource> {
    if (url === undefined) return new PostgresSource(undefined, '', warnings, timeouts, WORDS);
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
        `Postgres monitoring connection lost (connections missing from later samples): ${errorMessage(error)}`,
      );
    });
    try {
      await withTimeout(client.connect(), timeouts.connectMs + 500, 'connecting to Postgres');
      connecting = false;
      return new PostgresSource(client, url, warnings, timeouts, WORDS);
    } catch (error) {
      destroy(client);
      connectFailed(WORDS, warnings, url, errorMessage(error));
      return new PostgresSource(undefined, url, warnings, timeouts, WORDS);
    }
  }

  protected async sample(client: pg.Client): Promise<number | undefined> {
    const n = (await client.query<{ n: number }>(PG_QUERY)).rows[0]?.n;
    return typeof n === 'number' ? n : undefined;
  }

  protected timedOut(error: unknown): boolean {
    return /took longer than/.test(errorMessage(error));
  }

  protected goodbye(client: pg.Client): Promise<unknown> {
    return client.end();
  }

  protected drop(client: pg.Client): void {
    destroy(client);
  }
}
