import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import {
  exampleCommand,
  freePort,
  newMarker,
  ownDatabase,
  processesWithMarker,
  runCli,
  TEST_REDIS_URL,
} from './helpers.js';

const m = newMarker();
const databaseUrl = ownDatabase('loadgate_engine', { beforeAll, afterAll });

afterAll(() => {
  for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
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
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `${new URL(databaseUrl).pathname.slice(1)}:`,
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
      databaseUrl,
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
      // Only the service uses this database: its pool opens at least one and at most 20.
      expect(scenario.resources.pgConnectionsPeak).toBeGreaterThanOrEqual(1);
      expect(scenario.resources.pgConnectionsPeak).toBeLessThanOrEqual(20);
      expect(scenario.resources.redisUsedBytesPeak).toBeGreaterThan(100_000);
      const samples = scenario.trials.flatMap((t) => t.resources.samples);
      expect(samples.some((s) => s.pgConnections !== undefined)).toBe(true);
      expect(samples.some((s) => s.redisUsedBytes !== undefined)).toBe(true);
      expect(scenario.trials[0]?.metrics.errorRate).toBe(0);
    }
  });
});
