/** Entry: env → config → storage, cache, app → listen; SIGTERM/SIGINT → clean exit 0. */
import { buildApp } from './app.js';
import { NoCache, RedisCache } from './cache.js';
import type { ListCache } from './cache.js';
import { ConfigError, parseConfig } from './config.js';
import type { Config } from './config.js';
import { ensureDatabase, PostgresStorage } from './storage/postgres.js';
import { SqliteStorage } from './storage/sqlite.js';
import type { Storage } from './storage/types.js';

function fail(message: string, code: number): never {
  process.stderr.write(`admin-service: ${message}\n`);
  process.exit(code);
}

async function start(config: Config): Promise<void> {
  const storage: Storage = config.databaseUrl
    ? new PostgresStorage({
        url: config.databaseUrl,
        poolMax: config.databasePoolMax,
        schema: config.databaseSchema,
      })
    : new SqliteStorage(config.sqlitePath);
  let cache: ListCache = new NoCache();
  try {
    if (config.createDatabaseFrom && config.databaseUrl) {
      await ensureDatabase(config.createDatabaseFrom, config.databaseUrl);
    }
    await storage.init().catch((err: unknown) => {
      throw new Error(`${storage.kind}: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (config.redisUrl) {
      const redis = new RedisCache({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        ttlSeconds: config.cacheTtlSeconds,
      });
      cache = redis;
      await redis.connect();
    }
  } catch (err) {
    await Promise.allSettled([storage.close(), cache.close()]);
    fail(`startup failed: ${err instanceof Error ? err.message : String(err)}`, 1);
  }

  const app = await buildApp({ storage, cache, token: config.token, faults: config.faults });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(
      () => fail(`forced exit after ${signal}: close took > 10 s`, 1),
      10_000,
    );
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`error while closing: ${String(err)}`, 1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close().catch(() => undefined);
    fail(`cannot listen on ${config.host}:${config.port}: ${String(err)}`, 1);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(
    `admin-service listening on http://${host}:${port} (storage=${storage.kind}, cache=${cache.kind})\n`,
  );
}

let config: Config;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(`config error: ${err.message}`, 2);
  throw err;
}
await start(config);
