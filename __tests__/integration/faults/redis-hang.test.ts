/**
 * Issue 11, "no hang, ever": a Redis or Postgres that accepts connections and never answers (or
 * stops answering mid-run) costs the monitor a bounded wait and a "not measured" warning, never
 * the run. The monitor is tested with short timeouts against TCP stand-ins (tcp-faults.ts); one
 * end-to-end run of the CLI with its default timeouts freezes both behind a proxy mid-run and
 * checks the run ends, says so, and stops its service.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../../../src/monitor/index.js';
import type { RunResult } from '../../../src/result/types.js';
import {
  freePort,
  newMarker,
  processesWithMarker,
  runCli,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
} from '../cli/helpers.js';
import { freezableProxy, silentServer, type TcpFault } from './tcp-faults.js';

const TIMEOUTS = { connectMs: 300, queryMs: 300, closeMs: 200 };
const faults: TcpFault[] = [];
const monitors: Monitor[] = [];
const markers: string[] = [];

afterEach(async () => {
  for (const m of monitors.splice(0)) await m.close();
  for (const f of faults.splice(0)) await f.close();
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

async function track<T extends TcpFault>(fault: Promise<T>): Promise<T> {
  const f = await fault;
  faults.push(f);
  return f;
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work;
  return { value, ms: performance.now() - t0 };
}

const portOf = (url: string) => Number(new URL(url).port || 0);

describe('monitor against a Redis / Postgres that never answers', () => {
  it('connects within its timeout, samples without them, warns "not measured", closes at once', async () => {
    const redis = await track(silentServer());
    const postgres = await track(silentServer());
    const { value: m, ms: connectMs } = await timed(
      createMonitor({
        pid: process.pid,
        redisUrl: `redis://:hunter2@127.0.0.1:${redis.port}`,
        postgresUrl: `postgres://postgres:hunter2@127.0.0.1:${postgres.port}/test`,
        intervalMs: 100,
        timeouts: TIMEOUTS,
      }),
    );
    monitors.push(m);
    expect(redis.connections()).toBeGreaterThan(0);
    expect(postgres.connections()).toBeGreaterThan(0);
    // Both connect in parallel, each bounded: well under the sum.
    expect(connectMs).toBeLessThan(2 * TIMEOUTS.connectMs + 400);
    m.begin();
    await sleep(250);
    const { samples, summary } = await m.end();
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(summary.redisUsedBytesPeak).toBeUndefined();
    expect(summary.pgConnectionsPeak).toBeUndefined();
    expect(m.warnings).toHaveLength(2);
    expect(m.warnings.join('\n')).toMatch(/Redis at .* Redis memory is not measured/);
    expect(m.warnings.join('\n')).toMatch(/Postgres at .* connections are not measured/);
    expect(m.warnings.join('\n')).not.toContain('hunter2');
    const { ms: closeMs } = await timed(m.close());
    expect(closeMs).toBeLessThan(500);
  });

  it('drops a Redis and a Postgres that stop answering mid-run, and closes within its bound', async () => {
    const redis = await track(freezableProxy(portOf(TEST_REDIS_URL) || 6379));
    const postgres = await track(freezableProxy(portOf(TEST_POSTGRES_URL) || 5432));
    const pgUrl = Object.assign(new URL(TEST_POSTGRES_URL), { port: String(postgres.port) });
    const m = await createMonitor({
      pid: process.pid,
      redisUrl: `redis://127.0.0.1:${redis.port}`,
      postgresUrl: pgUrl.toString(),
      intervalMs: 100,
      timeouts: TIMEOUTS,
    });
    monitors.push(m);
    m.begin();
    await sleep(150);
    const before = await m.end();
    expect(before.summary.redisUsedBytesPeak).toBeGreaterThan(0);
    expect(before.summary.pgConnectionsPeak).toBeGreaterThanOrEqual(0);
    expect(m.warnings).toEqual([]);

    redis.freeze();
    postgres.freeze();
    m.begin();
    await sleep(150);
    const { value: after, ms: endMs } = await timed(m.end());
    // One timed-out query each, then the sources are gone: later samples do not wait.
    expect(endMs).toBeLessThan(TIMEOUTS.queryMs + 500);
    expect(after.samples.every((s) => s.redisUsedBytes === undefined)).toBe(true);
    expect(after.samples.every((s) => s.pgConnections === undefined)).toBe(true);
    expect(m.warnings.join('\n')).toMatch(
      /Redis at .* stopped answering .*: Redis memory is not measured for the rest of the run/,
    );
    expect(m.warnings.join('\n')).toMatch(
      /Postgres at .* stopped answering .*: its connections are not measured for the rest of the run/,
    );
    m.begin();
    const { ms: quickEnd } = await timed(m.end());
    expect(quickEnd).toBeLessThan(200);
    const { ms: closeMs } = await timed(m.close());
    expect(closeMs).toBeLessThan(TIMEOUTS.closeMs + 300);
  });

  it('closes within its bound when Redis and Postgres freeze between the last sample and close()', async () => {
    const redis = await track(freezableProxy(portOf(TEST_REDIS_URL) || 6379));
    const postgres = await track(freezableProxy(portOf(TEST_POSTGRES_URL) || 5432));
    const pgUrl = Object.assign(new URL(TEST_POSTGRES_URL), { port: String(postgres.port) });
    const m = await createMonitor({
      redisUrl: `redis://127.0.0.1:${redis.port}`,
      postgresUrl: pgUrl.toString(),
      intervalMs: 100,
      timeouts: TIMEOUTS,
    });
    monitors.push(m);
    m.begin();
    await m.end();
    redis.freeze();
    postgres.freeze();
    // QUIT and Terminate go unanswered: the sockets are dropped after closeMs.
    const { ms } = await timed(m.close());
    expect(ms).toBeLessThan(TIMEOUTS.closeMs + 300);
  });
});

describe('loadgate run with Redis and Postgres freezing mid-run (default timeouts)', () => {
  it('finishes, records and prints the warnings, and stops its service', async () => {
    const redis = await track(freezableProxy(portOf(TEST_REDIS_URL) || 6379));
    const postgres = await track(freezableProxy(portOf(TEST_POSTGRES_URL) || 5432));
    const pgUrl = Object.assign(new URL(TEST_POSTGRES_URL), { port: String(postgres.port) });
    const dir = mkdtempSync(join(tmpdir(), 'lg-redis-hang-'));
    const config = join(dir, 'loadgate.yml');
    writeFileSync(
      config,
      [
        'preset: none',
        'defaults: { trials: 3, trialSeconds: 0.5, warmupSeconds: 0, connections: 2 }',
        'scenarios:',
        '  - name: hello',
        '    requests: [{ name: root, path: / }]',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const marker = newMarker();
    markers.push(marker);
    const out = join(dir, 'result.json');
    let frozen = false;
    const run = await runCli(
      [
        'run',
        '--start',
        `exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node __tests__/helpers/fixtures/server.mjs`,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--ready-url',
        `http://127.0.0.1:${port}/`,
        '--config',
        config,
        '--redis-url',
        `redis://127.0.0.1:${redis.port}`,
        '--postgres-url',
        pgUrl.toString(),
        '--out',
        out,
      ],
      {
        timeoutMs: 60_000,
        onStderr: (text) => {
          if (!frozen && /trial 1\/3/.test(text)) {
            frozen = true;
            redis.freeze();
            postgres.freeze();
          }
        },
      },
    );
    expect(frozen, run.stderr).toBe(true);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: .*Redis .*stopped answering/);
    expect(run.stderr).toMatch(/warning: .*Postgres .*stopped answering/);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.warnings).toHaveLength(2);
    expect(result.scenarios[0]?.trials).toHaveLength(3);
    expect(result.scenarios[0]?.trials[0]?.resources.summary.redisUsedBytesPeak).toBeGreaterThan(0);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
