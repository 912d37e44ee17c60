import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitor, type Monitor } from '../../../src/monitor/index.js';
import { FIXTURES, freePort, groupMembers, killQuietly, waitFor } from '../../helpers/processes.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MB = 2 ** 20;

const monitors: Monitor[] = [];
const processes: ChildProcess[] = [];

async function monitor(opts: Parameters<typeof createMonitor>[0]): Promise<Monitor> {
  const m = await createMonitor(opts);
  monitors.push(m);
  return m;
}

afterEach(async () => {
  for (const m of monitors.splice(0)) await m.close();
  for (const child of processes.splice(0)) {
    killQuietly(child.pid as number, true);
    await waitFor(
      () => groupMembers(child.pid as number).length === 0,
      5000,
      'test processes to go',
    );
  }
});

/** `sh -c script` in its own group (cleaned up after the test), its stdout kept as it comes. */
function burner(script: string, env: Record<string, string>) {
  const root = spawn('/bin/sh', ['-c', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  processes.push(root);
  let output = '';
  root.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => root.once('exit', resolve));
  return { root, output: () => output, exited };
}

describe('monitor: process tree', () => {
  it('sees a descendant burning CPU and allocating memory', async () => {
    // `sh` stays the root (the `; true` keeps it from exec'ing node): the work is done by a
    // grandchild-to-be that appears after monitoring began, and vanishes before the end.
    const { root, output, exited } = burner(`sleep 0.3; node ${FIXTURES}burner.mjs; true`, {
      ALLOC_MB: '100',
      BURN_MS: '1500',
      HOLD_MS: '800',
    });
    const m = await monitor({ pid: root.pid as number, intervalMs: 250 });
    m.begin();
    await exited;
    const { samples, summary } = await m.end();

    expect(samples.length).toBeGreaterThanOrEqual(8);
    expect(samples[0]?.t).toBeLessThan(0.05);
    expect(summary.samples).toBe(samples.length);
    // What the burner itself got (on a loaded shared runner, well under its two threads' 200 %).
    const got = Number(/cpuPercent=([\d.]+)/.exec(output())?.[1]);
    expect(got).toBeGreaterThan(0);
    expect(summary.cpuPercentPeak).toBeGreaterThan(Math.min(50, got * 0.8));
    expect(summary.cpuPercentPeak).toBeLessThan(250);
    expect(summary.rssBytesPeak).toBeGreaterThan(80 * MB);
    expect(summary.pgConnectionsPeak).toBeUndefined();
    expect(m.warnings).toEqual([]);
    for (const s of samples) expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
  });

  it('counts the CPU seconds a window used, a grandchild that came and went included', async () => {
    // The burner spins for 600 ms of wall time on its threads; the tree's CPU in the window is
    // at least what the burner reports it got, and nothing like a whole second more. The shell
    // outlives the burner by more than two samples, so the window's last sample is taken after
    // the grandchild went (its CPU then shows in the shell's children's time only).
    const { root, output, exited } = burner(`node ${FIXTURES}burner.mjs; sleep 0.6`, {
      ALLOC_MB: '1',
      BURN_MS: '600',
      HOLD_MS: '0',
    });
    const m = await monitor({ pid: root.pid as number, intervalMs: 250 });
    m.begin();
    await exited;
    const { cpuSeconds } = await m.end();
    const got = Number(/cpuPercent=([\d.]+)/.exec(output())?.[1]);
    expect(cpuSeconds).toBeGreaterThan((got / 100) * 0.6 * 0.8);
    expect(cpuSeconds).toBeLessThan((got / 100) * 0.6 + 0.8);
  });

  it('has no CPU seconds without a process to read', async () => {
    const m = await monitor({ intervalMs: 100 });
    m.begin();
    await sleep(150);
    expect((await m.end()).cpuSeconds).toBeUndefined();
  });

  it('reports an idle tree as near 0 % CPU', async () => {
    const root = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30; true'], {
      detached: true,
      stdio: 'ignore',
    });
    processes.push(root);
    await waitFor(() => groupMembers(root.pid as number).length >= 3, 5000, 'the tree');
    const m = await monitor({ pid: root.pid as number, intervalMs: 200 });
    m.begin();
    await sleep(700);
    const { summary } = await m.end();
    expect(summary.cpuPercentMean).toBeLessThan(10);
    expect(summary.rssBytesPeak).toBeGreaterThan(0);
  });

  it('keeps working when the process is gone', async () => {
    const root = spawn('/bin/sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    await new Promise((resolve) => root.once('exit', resolve));
    const m = await monitor({ pid: root.pid as number, intervalMs: 100 });
    m.begin();
    await sleep(250);
    const { samples } = await m.end();
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.every((s) => s.rssBytes === 0 && s.cpuPercent === 0)).toBe(true);
  });

  it('has at least two samples in a very short window', async () => {
    const m = await monitor({ pid: process.pid });
    m.begin();
    const { samples, summary } = await m.end();
    expect(samples.length).toBe(2);
    expect(summary.samples).toBe(2);
    expect(samples[1]?.rssBytes).toBeGreaterThan(10 * MB);
  });
});

describe('monitor: Postgres and Redis', () => {
  it('counts the connections to the database', async () => {
    const m = await monitor({ postgresUrl: POSTGRES_URL, intervalMs: 200 });
    m.begin();
    await sleep(50);
    const clients = Array.from(
      { length: 5 },
      () => new pg.Client({ connectionString: POSTGRES_URL }),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      await sleep(500);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    }
    const { samples, summary } = await m.end();
    const baseline = samples[0]?.pgConnections;
    expect(baseline).toBeTypeOf('number');
    expect(summary.pgConnectionsPeak).toBeGreaterThanOrEqual(5);
    expect(summary.pgConnectionsPeak).toBeGreaterThanOrEqual((baseline as number) + 5);
    expect(m.warnings).toEqual([]);
  });

  it('reads Redis used memory', async () => {
    const redis = new Redis(REDIS_URL);
    const key = `loadgate-monitor-test-${process.pid}-${Date.now()}`;
    try {
      const m = await monitor({ redisUrl: REDIS_URL, intervalMs: 200 });
      m.begin();
      await sleep(50);
      await redis.set(key, 'x'.repeat(5 * MB));
      await sleep(450);
      const { samples, summary } = await m.end();
      const baseline = samples[0]?.redisUsedBytes as number;
      expect(baseline).toBeGreaterThan(0);
      expect((summary.redisUsedBytesPeak as number) - baseline).toBeGreaterThanOrEqual(4 * MB);
      expect(m.warnings).toEqual([]);
    } finally {
      await redis.del(key);
      await redis.quit();
    }
  });

  it('records undefined and one warning when a source is unreachable', async () => {
    const port = await freePort();
    const m = await monitor({
      postgresUrl: `postgres://postgres:secret@127.0.0.1:${port}/test`,
      redisUrl: `redis://127.0.0.1:${port}`,
      intervalMs: 100,
    });
    m.begin();
    await sleep(250);
    const { samples, summary } = await m.end();
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(
      samples.every((s) => s.pgConnections === undefined && s.redisUsedBytes === undefined),
    ).toBe(true);
    expect(summary.pgConnectionsPeak).toBeUndefined();
    expect(summary.redisUsedBytesPeak).toBeUndefined();
    expect(m.warnings).toHaveLength(2);
    expect(m.warnings.join('\n')).not.toContain('secret');
  });
});
