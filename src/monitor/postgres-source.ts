/**
 * The service database's connections: `count(*)` of pg_stat_activity for the URL's database,
 * all states (idle included: a pooled connection holds a server slot whether busy or not, and
 * the SLA is on connections), the monitor's own connection excluded. A failed or slow query
 * leaves the sample without it and warns once; a database it cannot reach is a warning too.
 */
import pg from 'pg';
import {
  messageOf,
  QUERY_TIMEOUT_MS,
  safeUrl,
  withTimeout,
  type MonitorWarnings,
} from './warnings.js';

const PG_QUERY =
  'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';

export class PostgresSource {
  private constructor(
    private readonly client: pg.Client | undefined,
    private readonly warnings: MonitorWarnings,
  ) {}

  static async connect(
    url: string | undefined,
    warnings: MonitorWarnings,
  ): Promise<PostgresSource> {
    if (url === undefined) return new PostgresSource(undefined, warnings);
    const client = new pg.Client({
      connectionString: url,
      application_name: 'loadgate-monitor',
      connectionTimeoutMillis: 5000,
    });
    client.on('error', (error) => {
      warnings.add('pg', `Postgres monitoring connection lost: ${messageOf(error)}`);
    });
    try {
      await client.connect();
      return new PostgresSource(client, warnings);
    } catch (error) {
      warnings.add(
        'pg',
        `could not connect to Postgres at ${safeUrl(url)} to count connections: ${messageOf(error)}`,
      );
      await client.end().catch(() => undefined);
      return new PostgresSource(undefined, warnings);
    }
  }

  async read(): Promise<number | undefined> {
    if (this.client === undefined) return undefined;
    try {
      const result = await withTimeout(
        this.client.query<{ n: number }>(PG_QUERY),
        QUERY_TIMEOUT_MS,
        'the Postgres query',
      );
      const n = result.rows[0]?.n;
      return typeof n === 'number' ? n : undefined;
    } catch (error) {
      this.warnings.add(
        'pg',
        `counting Postgres connections failed (missing from some samples): ${messageOf(error)}`,
      );
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
  }
}
