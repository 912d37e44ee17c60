/**
 * Issue 11: the volume kind's seed command was not registered for cleanup and survived a SIGTERM
 * to loadgate and a crash of the service (and whatever it left in the background survived it).
 * It now runs like the service: its own process group, registered, stopped on timeout, on abort
 * (the service crashed) and when it exits. Every process here carries a marker in its
 * environment, so the test finds the whole tree whatever it did with its process group.
 */
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSeedCommand } from '../../../src/service/seed-command.js';
import { eventually, freePort, newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';

const markers: string[] = [];

function marker(): string {
  const m = newMarker();
  markers.push(m);
  return m;
}

afterEach(() => {
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

/** A seed command that starts a background `sleep`, then sleeps itself. */
const LINGERING = 'sleep 300 & echo seeding; sleep 300';

describe('the seed command', () => {
  it('is stopped, with what it started, when the service crashes (abort)', async () => {
    const m = marker();
    let crash: (error: Error) => void = () => undefined;
    const abort = new Promise<never>((_, reject) => {
      crash = reject;
    });
    abort.catch(() => undefined);
    const seeding = runSeedCommand(LINGERING, { LOADGATE_TEST_MARKER: m }, 600, {
      abort,
      graceMs: 500,
    });
    expect(await eventually(() => processesWithMarker(m).length >= 2, 5000)).toBe(true);
    const crashed = Object.assign(new Error('the service crashed'), { kind: 'crashed' });
    crash(crashed);
    await expect(seeding).rejects.toBe(crashed);
    expect(processesWithMarker(m)).toEqual([]);
  });

  it('is stopped with its whole group after its timeout, and what it left behind after it exits', async () => {
    const m = marker();
    const t0 = Date.now();
    const timedOut = await runSeedCommand(LINGERING, { LOADGATE_TEST_MARKER: m }, 0.5, {
      graceMs: 500,
    }).catch((e: Error) => e);
    expect(timedOut).toBeInstanceOf(Error);
    expect((timedOut as Error).message).toMatch(/still running after 0\.5 s.*stopped/s);
    expect((timedOut as Error).message).toContain('seeding');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(processesWithMarker(m)).toEqual([]);

    const m2 = marker();
    await runSeedCommand('sleep 300 & echo seeded', { LOADGATE_TEST_MARKER: m2 }, 10, {
      graceMs: 500,
    });
    expect(processesWithMarker(m2)).toEqual([]);
  });

  it('goes with loadgate on SIGTERM (loadgate run, volume scenario seeding with a command)', async () => {
    const m = marker();
    const dir = mkdtempSync(join(tmpdir(), 'lg-seed-term-'));
    const config = join(dir, 'loadgate.yml');
    writeFileSync(
      config,
      [
        'preset: none',
        'scenarios:',
        '  - name: big-table',
        '    kind: volume',
        '    requests: [{ name: root, path: / }]',
        `    volume: { seedCommand: '${LINGERING}', bulkUsers: 0 }`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        BUNDLED.cli,
        'run',
        '--start',
        `exec env PORT=${port} node __tests__/helpers/fixtures/server.mjs`,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--config',
        config,
        '--profile',
        'volume',
        '--out',
        join(dir, 'result.json'),
      ],
      { cwd: ROOT, env: { ...process.env, LOADGATE_TEST_MARKER: m }, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    // The service (fixture server and its sleep) and the seed command's two processes.
    const seeding = () => processesWithMarker(m).filter((pid) => pid !== child.pid).length >= 4;
    expect(await eventually(seeding, 20_000)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await eventually(() => processesWithMarker(m).length === 0, 5000)).toBe(true);
  });
});
