import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import {
  exampleCommand,
  freePort,
  newMarker,
  processesWithMarker,
  runCli,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from './helpers.js';

const schema = `loadgate_engine_${Date.now().toString(36)}`;
const m = newMarker();

afterAll(async () => {
  for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

describe('loadgate run against the example service on Postgres + Redis', () => {
  it('samples the database connections and Redis memory alongside the load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgate-pg-'));
    const out = join(dir, 'result.json');
    const config = join(dir, 'loadgate.yml');
    // Two preset scenarios are enough to see the pool and the cache at work.
    writeFileSync(
      config,
      'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]\n',
    );
    const port = await freePort();
    const start = exampleCommand(port, m, {
      DATABASE_URL: TEST_POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `${schema}:`,
    });
    const run = await runCli([
      'run',
      '--start',
      start,
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--config',
      config,
      '--postgres-url',
      TEST_POSTGRES_URL,
      '--redis-url',
      TEST_REDIS_URL,
      '--out',
      out,
      '--trials',
      '2',
      '--trial-seconds',
      '1',
      '--warmup',
      '0.3',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.scenarios.map((s) => s.name)).toEqual(['list-admins', 'search-admins']);
    for (const scenario of result.scenarios) {
      expect(scenario.failure).toBeUndefined();
      // The service's pool holds at most 20; under load it opens at least one.
      expect(scenario.resources.pgConnectionsPeak).toBeGreaterThanOrEqual(1);
      expect(scenario.resources.pgConnectionsPeak).toBeLessThanOrEqual(25);
      expect(scenario.resources.redisUsedBytesPeak).toBeGreaterThan(100_000);
      const samples = scenario.trials.flatMap((t) => t.resources.samples);
      expect(samples.some((s) => s.pgConnections !== undefined)).toBe(true);
      expect(samples.some((s) => s.redisUsedBytes !== undefined)).toBe(true);
      expect(scenario.trials[0]?.metrics.errorRate).toBe(0);
    }
  });
});
