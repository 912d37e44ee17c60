import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export { freePort } from '../../../scripts/free-port.js';

/** A shell command that starts the example service on `port`, tagged with `marker` in its environment. */
export function exampleCommand(
  port: number,
  marker: string,
  env: Record<string, string> = {},
): string {
  const vars = Object.entries({ PORT: String(port), LOADGATE_TEST_MARKER: marker, ...env })
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  return `exec env ${vars} node ${BUNDLED.example}`;
}

export function newMarker(): string {
  return `lg-${randomUUID()}`;
}

/** Pids of live processes whose environment holds LOADGATE_TEST_MARKER=<marker>. */
export function processesWithMarker(marker: string): number[] {
  const needle = `LOADGATE_TEST_MARKER=${marker}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && environ.split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone or not ours to read
    }
  }
  return pids;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI bundled from src/ (vitest's global setup), or another bundle with `entry`. */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>;
    entry?: string;
    node?: string;
    onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
    timeoutMs?: number;
  } = {},
): Promise<CliRun> {
  const entryArgs = [options.entry ?? BUNDLED.cli];
  const child = spawn(options.node ?? process.execPath, [...entryArgs, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr, child);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 110_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Wait until `check` holds, polling; false if it never did within the time. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

/**
 * A Postgres database of the test's own (pg_stat_activity counts per database, and other suites
 * share `test`): create it before the tests, drop it after. Returns its URL.
 */
export function ownDatabase(
  prefix: string,
  hooks: {
    beforeAll: (f: () => Promise<void>) => void;
    afterAll: (f: () => Promise<void>) => void;
  },
): string {
  const database = `${prefix}_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  hooks.beforeAll(() => admin(`CREATE DATABASE ${database}`));
  hooks.afterAll(() => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  return Object.assign(new URL(TEST_POSTGRES_URL), { pathname: `/${database}` }).toString();
}
