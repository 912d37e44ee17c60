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
} from '../cli/helpers.js';

/**
 * The seed's connection-pool stress: more concurrent search requests than the service's pool
 * has slots (20), slowed by `slow-search`. A database of its own, so pg_stat_activity counts
 * this service's connections only, whatever else uses the server.
 */

const m = newMarker();
const serviceUrl = ownDatabase('loadgate_pool', { beforeAll, afterAll });

afterAll(() => {
  for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
});

describe('stress against Postgres with a pool of 20', () => {
  it('keeps the connections within the pool and no request past the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgate-pool-'));
    const config = join(dir, 'loadgate.json');
    const base = '/api/v1/admin-management';
    writeFileSync(
      config,
      JSON.stringify({
        preset: 'none',
        // The admin API's token: with `preset: none` the file sends it itself.
        defaults: { headers: { authorization: 'Bearer {{token}}' } },
        scenarios: [
          {
            name: 'pool-pressure',
            kind: 'stress',
            requests: [{ name: 'search', path: `${base}/admins?limit=100&search=pool` }],
            warmupSeconds: 0,
            timeoutSeconds: 5,
            // Never breaks on latency: every step up to 64 connections runs.
            sla: { p95Ms: 60_000 },
            stress: { startConnections: 16, maxConnections: 64, factor: 2, stepSeconds: 0.7 },
          },
        ],
      }),
    );
    const port = await freePort();
    const out = join(dir, 'result.json');
    const run = await runCli([
      'run',
      '--start',
      exampleCommand(port, m, {
        DATABASE_URL: serviceUrl,
        DATABASE_POOL_MAX: '20',
        ADMIN_SERVICE_FAULTS: 'slow-search:20ms',
      }),
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--config',
      config,
      '--profile',
      'stress',
      '--postgres-url',
      serviceUrl,
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    const scenario = result.scenarios[0];
    expect(scenario?.failure).toBeUndefined();
    const k = scenario?.kindResult;
    if (k?.kind !== 'stress') throw new Error('no stress result');
    expect(k.steps.map((s) => s.connections)).toEqual([16, 32, 64]);
    expect(k.breakingPoint).toBeNull();
    for (const step of k.steps) {
      expect(step.requests).toBeGreaterThan(0);
      expect(step.timeouts, `${step.connections} connections`).toBe(0);
      expect(step.errorRate).toBe(0);
      expect(step.max).toBeLessThan(5000);
      expect(step.pgConnectionsPeak).toBeGreaterThanOrEqual(1);
      expect(step.pgConnectionsPeak).toBeLessThanOrEqual(20);
    }
    // The pool is what limits: at 64 connections it is (nearly) full.
    expect(k.pgConnectionsPeak).toBeGreaterThanOrEqual(10);
    expect(k.pgConnectionsPeak).toBeLessThanOrEqual(20);
  });
});
