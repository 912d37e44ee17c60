/**
 * Start a real example service (the Node one or the Python one) as a child process (own process
 * group) and talk to it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MAIN = 'examples/admin-service/src/main.ts';
export const PYTHON_MAIN = 'examples/admin-service-python/admin_service.py';
export const TOKEN = 'test_superuser_token';
export const BASE = '/api/v1/admin-management';
export const PG_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** One implementation of the admin API: how to start it. */
export interface Implementation {
  name: 'node' | 'python';
  command: string;
  args: string[];
}

export const NODE: Implementation = {
  name: 'node',
  command: process.execPath,
  // Bundled from examples/admin-service/src by vitest's global setup: it starts in a fraction of a second.
  args: [BUNDLED.example],
};
export const PYTHON: Implementation = { name: 'python', command: 'python3', args: [PYTHON_MAIN] };
export const IMPLEMENTATIONS = [NODE, PYTHON];

export interface Service {
  url: string;
  pid: number;
  child: ChildProcess;
  readyLine: string;
  stderr: () => string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface Exit {
  code: number | string;
  stdout: string;
  stderr: string;
}

function launch(
  env: Record<string, string>,
  impl: Implementation,
): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | string>;
} {
  const child = spawn(impl.command, impl.args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      PYTHONDONTWRITEBYTECODE: '1',
      PORT: '0',
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Start and wait for the one ready line. */
export async function startService(
  env: Record<string, string> = {},
  impl: Implementation = NODE,
): Promise<Service> {
  const p = launch(env, impl);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /^admin-service listening on (http:\/\/\S+) .*$/m.exec(p.out());
    if (m?.[1]) {
      const pid = p.child.pid;
      if (pid === undefined) throw new Error('no pid');
      return {
        url: m[1],
        pid,
        child: p.child,
        readyLine: m[0],
        stderr: p.err,
        exited: p.exited,
      };
    }
    const done = await Promise.race([p.exited, sleep(50, null)]);
    if (done !== null) {
      throw new Error(`service exited (${String(done)}) before ready:\n${p.out()}\n${p.err()}`);
    }
    if (Date.now() > deadline) {
      killGroup(p.child.pid);
      throw new Error(`service not ready in 30 s:\n${p.out()}\n${p.err()}`);
    }
  }
}

/** Run the service expecting it to exit by itself (e.g. a config error). */
export async function runToExit(
  env: Record<string, string>,
  timeoutMs = 20_000,
  impl: Implementation = NODE,
): Promise<Exit> {
  const p = launch(env, impl);
  const timer = setTimeout(() => killGroup(p.child.pid), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.out(), stderr: p.err() };
}

/** SIGKILL the whole process group; ignore when it is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function stopService(svc: Service | undefined): Promise<void> {
  if (!svc) return;
  killGroup(svc.pid, 'SIGTERM');
  const t = setTimeout(() => killGroup(svc.pid), 5_000);
  await svc.exited;
  clearTimeout(t);
  killGroup(svc.pid); // stragglers in the group, if any
}

/** User + system CPU time the process has used so far, ms (/proc/<pid>/stat, clock ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), in parentheses: utime is the 14th
  // field of the line, stime the 15th; ticks are 1/100 s on Linux.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

export function client(url: string, token: string | null = TOKEN) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loosely typed JSON in tests
  return async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    opts: { token?: string | null; raw?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const tok = opts.token === undefined ? token : opts.token;
    if (tok !== null) headers['authorization'] = `Bearer ${tok}`;
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    const res = await fetch(url + (path.startsWith('/health') ? path : BASE + path), {
      method,
      headers,
      body: payload,
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    return {
      status: res.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: res.headers,
      ms,
    };
  };
}

/** `db;dur=1.234, cache;dur=0.1` → { db: 1.234, cache: 0.1 } */
export function serverTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([\w-]+);dur=([0-9.]+)\s*$/.exec(part);
    if (m?.[1] && m[2]) out[m[1]] = Number(m[2]);
  }
  return out;
}
