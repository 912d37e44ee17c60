/**
 * Issue 11, "no silent pass": another process already answering on the service's port was
 * load-tested while CPU and memory were read from the idle process loadgate started, so resource
 * SLAs passed falsely. Now the port must be free before the start, and after readiness the
 * listening socket must belong to the started tree; a start command that daemonises is told so.
 * Two `loadgate run` on one machine with the same port: the second fails clearly.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError, startService } from '../../../src/service/index.js';
import {
  eventually,
  freePort,
  newMarker,
  processesWithMarker,
  runCli,
  type CliRun,
} from '../cli/helpers.js';

const SERVER = '__tests__/helpers/fixtures/server.mjs';
const servers: Server[] = [];
const markers: string[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

function marker(): string {
  const m = newMarker();
  markers.push(m);
  return m;
}

/** An HTTP server in this test process that answers 200 to everything (the intruder). */
async function intruder(port: number): Promise<Server> {
  const server = createServer((_, res) => res.end('intruder'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function options(port: number, command: string, m: string) {
  return {
    command,
    cwd: process.cwd(),
    env: { PORT: String(port), LOADGATE_TEST_MARKER: m },
    baseUrl: `http://127.0.0.1:${port}`,
    readyUrl: `http://127.0.0.1:${port}/health`,
    readyTimeoutMs: 10_000,
    stopGraceMs: 1000,
  };
}

async function failure(start: Promise<unknown>): Promise<ServiceError> {
  const error = await start.then(
    () => new Error('started'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describe('the port of a service loadgate starts', () => {
  it('must be free: another process answering there is refused before anything starts', async () => {
    const port = await freePort();
    await intruder(port);
    const dir = mkdtempSync(join(tmpdir(), 'lg-port-'));
    const ran = join(dir, 'ran');
    const error = await failure(
      startService(options(port, `touch ${ran}; exec node ${SERVER}`, marker())),
    );
    expect(error.kind).toBe('port-in-use');
    expect(error.message).toContain(`port ${port} (of http://127.0.0.1:${port}) is already in use`);
    expect(error.message).toContain(`pid ${process.pid} (`);
    expect(error.message).toMatch(/need a port each/);
    expect(existsSync(ran)).toBe(false);
  });

  it('must be held by the started tree once ready: a socket of another process is refused', async () => {
    const port = await freePort();
    const m = marker();
    // The command never listens; the port is taken after loadgate looked, before it was ready.
    const starting = startService(options(port, 'exec sleep 30', m));
    await intruder(port);
    const error = await failure(starting);
    expect(error.kind).toBe('port-in-use');
    expect(error.message).toContain(`port ${port} is held by pid ${process.pid}`);
    expect(error.message).toMatch(/loadgate refuses to measure another process/);
    expect(processesWithMarker(m)).toEqual([]);
  });

  it('a start command that daemonises and exits 0 is told to run in the foreground', async () => {
    const port = await freePort();
    const m = marker();
    const error = await failure(startService(options(port, `node ${SERVER} &`, m)));
    expect(error.kind).toBe('daemonized');
    expect(error.message).toMatch(/exited with code 0 before it was ready/);
    expect(error.message).toMatch(/in the background \(daemonised\)/);
    expect(error.message).toMatch(/Start the service in the foreground/);
    // Its background server went with the process group.
    expect(await eventually(() => processesWithMarker(m).length === 0, 5000)).toBe(true);
  });

  it('a start command that returns 0 after its daemon got ready ends the run with the same advice', async () => {
    const port = await freePort();
    const m = marker();
    const service = await startService(options(port, `node ${SERVER} & sleep 1`, m));
    const crash = await service.crashed.then(
      () => undefined,
      (e: unknown) => e as ServiceError,
    );
    expect(crash?.kind).toBe('crashed');
    expect(crash?.message).toMatch(/exited with code 0 while loadgate was running/);
    expect(crash?.message).toMatch(/Start the service in the foreground/);
    await service.stop();
    expect(processesWithMarker(m)).toEqual([]);
  });
});

describe('two loadgate runs on one machine with the same port', () => {
  it('the second fails clearly, before starting anything; the first goes on measuring', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-two-runs-'));
    const config = join(dir, 'loadgate.yml');
    writeFileSync(
      config,
      [
        'preset: none',
        // Longer than the test: the first run is stopped (SIGTERM) once the second has failed.
        'defaults: { trials: 60, trialSeconds: 1, warmupSeconds: 0, connections: 1 }',
        'scenarios:',
        '  - name: hello',
        '    requests: [{ name: root, path: / }]',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const run = (
      name: string,
      m: string,
      onStderr?: (text: string, child: ChildProcess) => void,
    ): Promise<CliRun> =>
      runCli(
        [
          'run',
          '--start',
          `exec env PORT=${port} LOADGATE_TEST_MARKER=${m} node ${SERVER}`,
          '--base-url',
          `http://127.0.0.1:${port}`,
          '--config',
          config,
          '--out',
          join(dir, `${name}.json`),
        ],
        { timeoutMs: 60_000, ...(onStderr ? { onStderr } : {}) },
      );
    const first = marker();
    const second = marker();
    let firstChild: ChildProcess | undefined;
    let measuring: () => void = () => undefined;
    const firstMeasures = new Promise<void>((resolve) => (measuring = resolve));
    const firstRun = run('first', first, (text, child) => {
      firstChild = child;
      if (/trial 1\/60/.test(text)) measuring();
    });
    await firstMeasures;
    const b = await run('second', second);
    expect(b.code, b.stderr).toBe(3);
    expect(b.stderr).toMatch(
      new RegExp(
        `port ${port} \\(of http://127\\.0\\.0\\.1:${port}\\) is already in use by pid \\d+ \\(.*server\\.mjs`,
      ),
    );
    expect(b.stderr).toMatch(/need a port each/);
    expect(existsSync(join(dir, 'second.json'))).toBe(false);
    expect(processesWithMarker(second)).toEqual([]);
    // The first run was not disturbed: still measuring its own service until told to stop.
    expect(firstChild?.exitCode).toBeNull();
    expect(processesWithMarker(first).length).toBeGreaterThan(0);
    firstChild?.kill('SIGTERM');
    const a = await firstRun;
    expect(a.code, a.stderr).toBe(143);
    expect(a.stderr).not.toMatch(/already in use/);
    expect(await eventually(() => processesWithMarker(first).length === 0, 5000)).toBe(true);
  });
});
