import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  registeredServices,
  ServiceError,
  startService,
  type RunningService,
  type ServiceOptions,
} from '../../../src/service/index.js';
import {
  childrenOf,
  FIXTURES,
  freePort,
  groupMembers,
  isGone,
  killQuietly,
  processesWithEnv,
  ROOT,
  waitFor,
} from '../../helpers/processes.js';

const SERVER = `${FIXTURES}server.mjs`;
const started: RunningService[] = [];
const strays: number[] = [];

async function options(mode: string, extra: Partial<ServiceOptions> = {}): Promise<ServiceOptions> {
  const port = await freePort();
  return {
    command: `node ${SERVER}`,
    cwd: ROOT,
    env: { PORT: String(port), MODE: mode },
    baseUrl: `http://127.0.0.1:${port}`,
    readyUrl: `http://127.0.0.1:${port}/health`,
    readyTimeoutMs: 30_000,
    ...extra,
  };
}

async function start(opts: ServiceOptions): Promise<RunningService> {
  const service = await startService(opts);
  started.push(service);
  return service;
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected a ServiceError');
}

/** The `sleep` child the fixture prints as "child <pid>". */
function childPid(service: RunningService): number {
  const line = service.lastLogLines().find((l) => l.startsWith('child '));
  return Number(line?.slice('child '.length));
}

afterEach(async () => {
  for (const service of started.splice(0)) {
    await service.stop();
    if (service.pid !== undefined) killQuietly(service.pid, true);
  }
  for (const pid of strays.splice(0)) killQuietly(pid);
});

describe('startService (managed)', () => {
  it('starts, becomes ready, and stop() takes the whole process group down', async () => {
    const opts = await options('ok');
    const service = await start(opts);
    const pid = service.pid as number;
    expect(pid).toBeGreaterThan(0);
    expect(service.isAlive()).toBe(true);
    expect((await fetch(`${opts.baseUrl}/`)).status).toBe(200);
    await waitFor(
      () => service.lastLogLines().some((l) => l.startsWith('listening')),
      5000,
      'log line',
    );
    const child = childPid(service);
    expect(child).toBeGreaterThan(0);
    expect(isGone(child)).toBe(false);
    expect(groupMembers(pid).length).toBeGreaterThanOrEqual(2);
    expect(registeredServices()).toBe(1);

    await service.stop();
    expect(isGone(pid)).toBe(true);
    expect(isGone(child)).toBe(true);
    expect(groupMembers(pid)).toEqual([]);
    expect(service.isAlive()).toBe(false);
    expect(registeredServices()).toBe(0);
    await service.stop(); // idempotent
  });

  it('fails fast with exited-early, the exit code and the output when the command exits', async () => {
    const opts = await options('exit1', { readyTimeoutMs: 60_000 });
    const began = Date.now();
    const error = await failure(startService(opts));
    expect(Date.now() - began).toBeLessThan(5000);
    expect(error.kind).toBe('exited-early');
    expect(error.message).toContain('exited with code 1 before it was ready');
    expect(error.message).toContain(opts.readyUrl);
    expect(error.message).toContain('fatal: cannot connect to the database');
    expect(error.logTail).toContain('fatal: cannot connect to the database');
    expect(registeredServices()).toBe(0);
  });

  it('gives up with not-ready after the timeout and leaves nothing running', async () => {
    const marker = `not-ready-${process.pid}-${Date.now()}`;
    const base = await options('never-ready', { readyTimeoutMs: 2000 });
    const opts = { ...base, env: { ...base.env, LOADGATE_TEST_MARKER: marker } };
    const began = Date.now();
    const error = await failure(startService(opts));
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(15_000);
    expect(error.kind).toBe('not-ready');
    expect(error.message).toContain(`did not become ready at ${opts.readyUrl} within 2 s`);
    // HTTP 503 once the fixture listens; on a slow machine it may not have got that far.
    expect(error.message).toMatch(/last attempt: (HTTP 503|ECONNREFUSED)/);
    expect(processesWithEnv('LOADGATE_TEST_MARKER', marker)).toEqual([]);
    expect(registeredServices()).toBe(0);
  });

  it('rejects `crashed` with the exit signal and the log tail when the service dies mid-run', async () => {
    const service = await start(await options('ok'));
    const pid = service.pid as number;
    await waitFor(
      () => service.lastLogLines().some((l) => l.startsWith('listening')),
      5000,
      'log line',
    );
    const child = childPid(service);
    process.kill(pid, 'SIGKILL');
    const error = await failure(service.crashed);
    expect(error.kind).toBe('crashed');
    expect(error.message).toContain('killed by signal SIGKILL');
    expect(error.logTail.some((l) => l.startsWith('listening on'))).toBe(true);
    expect(service.isAlive()).toBe(false);
    // The leader is gone but its child is not: stop() still clears the group.
    expect(isGone(child)).toBe(false);
    await service.stop();
    expect(isGone(child)).toBe(true);
  });

  it('does not reject `crashed` when the service is stopped', async () => {
    const service = await start(await options('ok'));
    let rejected = false;
    service.crashed.catch(() => {
      rejected = true;
    });
    await service.stop();
    await sleep(400);
    expect(rejected).toBe(false);
  });

  it('SIGKILLs a service that ignores SIGTERM once the grace period is over', async () => {
    const service = await start(await options('ignore-term', { stopGraceMs: 600 }));
    const pid = service.pid as number;
    await waitFor(
      () => service.lastLogLines().some((l) => l.startsWith('listening')),
      5000,
      'log line',
    );
    const began = Date.now();
    await service.stop();
    expect(Date.now() - began).toBeGreaterThanOrEqual(550);
    expect(service.lastLogLines()).toContain('ignoring SIGTERM');
    expect(isGone(pid)).toBe(true);
    expect(groupMembers(pid)).toEqual([]);
  });

  it('also stops a descendant that moved to its own session (setsid)', async () => {
    const service = await start(await options('setsid-child'));
    const pid = service.pid as number;
    await waitFor(
      () => service.lastLogLines().some((l) => l.startsWith('listening')),
      5000,
      'log line',
    );
    const child = childPid(service);
    strays.push(child);
    expect(groupMembers(pid)).not.toContain(child);
    await service.stop();
    expect(isGone(child)).toBe(true);
  });

  it('reports start-failed when the working directory does not exist', async () => {
    const opts = await options('ok', { cwd: '/nonexistent/loadgate-test' });
    const error = await failure(startService(opts));
    expect(error.kind).toBe('start-failed');
    expect(error.message).toContain('/nonexistent/loadgate-test');
    expect(registeredServices()).toBe(0);
  });

  it('keeps only the last N lines', async () => {
    const port = await freePort();
    const service = await start({
      command: `for i in $(seq 1 100); do echo line $i; done; exec node ${SERVER}`,
      cwd: ROOT,
      env: { PORT: String(port) },
      baseUrl: `http://127.0.0.1:${port}`,
      readyUrl: `http://127.0.0.1:${port}/`,
      readyTimeoutMs: 30_000,
      logLines: 5,
    });
    await waitFor(
      () => service.lastLogLines().some((l) => l.startsWith('listening')),
      5000,
      'log line',
    );
    const lines = service.lastLogLines();
    expect(lines).toHaveLength(5);
    expect(lines).not.toContain('line 1');
  });
});

describe('startService (external)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('checks readiness of a service already running; stop() leaves it alone', async () => {
    const port = await freePort();
    server = createServer((_, res) => res.end('ok'));
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    const service = await startService({
      cwd: ROOT,
      baseUrl: `http://127.0.0.1:${port}`,
      readyUrl: `http://127.0.0.1:${port}/health`,
      readyTimeoutMs: 5000,
    });
    expect(service.pid).toBeUndefined();
    expect(service.isAlive()).toBe(true);
    await service.stop();
    expect(server.listening).toBe(true);
  });

  it('fails with not-ready when nothing answers', async () => {
    const port = await freePort();
    const error = await failure(
      startService({
        cwd: ROOT,
        baseUrl: `http://127.0.0.1:${port}`,
        readyUrl: `http://127.0.0.1:${port}/health`,
        readyTimeoutMs: 700,
      }),
    );
    expect(error.kind).toBe('not-ready');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('installSignalCleanup', () => {
  it('on SIGTERM stops the services and exits with 143', async () => {
    const port = await freePort();
    const host = spawn(process.execPath, ['--import', 'tsx', `${FIXTURES}signal-host.ts`], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    host.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      host.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await waitFor(() => stdout.includes('\n'), 60_000, `the host to start (stderr: ${stderr})`);
      const { pid } = JSON.parse(stdout.split('\n')[0] as string) as { pid: number };
      await waitFor(() => childrenOf(pid).length > 0, 5000, 'the sleep child');
      const members = groupMembers(pid);
      expect(members.length).toBeGreaterThanOrEqual(2);

      host.kill('SIGTERM');
      const result = await exited;
      expect(result).toEqual({ code: 143, signal: null });
      for (const member of members) expect(isGone(member)).toBe(true);
      expect(groupMembers(pid)).toEqual([]);
    } finally {
      killQuietly(host.pid as number);
    }
  });
});
