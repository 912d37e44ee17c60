/**
 * Starting, watching and stopping the service under test.
 *
 * The command runs through `/bin/sh -c` in its own process group (detached), so the whole tree
 * it starts (npm → sh → node, uvicorn with workers, ...) can be signalled at once with a
 * negative pid. Its stdout and stderr are drained into a bounded ring of lines (never left to
 * fill a pipe and block the service). Readiness is an HTTP GET of `readyUrl` until 2xx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { descendantsOf, readProcStat, scanProcesses } from '../monitor/proc-tree.js';
import { registerService } from './cleanup.js';
import { describeExit, formatLogTail, ServiceError } from './errors.js';
import { LogBuffer } from './log-buffer.js';
import { waitForReady } from './readiness.js';

export interface ServiceOptions {
  /** Shell string; absent = use an already running service at baseUrl. */
  command?: string;
  cwd: string;
  /** Merged over process.env. */
  env?: Record<string, string>;
  baseUrl: string;
  /** Polled until 2xx. */
  readyUrl: string;
  /** Default 60_000 at the call site. */
  readyTimeoutMs: number;
  /** SIGTERM → SIGKILL grace, default 5000. */
  stopGraceMs?: number;
  /** How many last log lines to keep, default 50. */
  logLines?: number;
}

export interface RunningService {
  /** The process group leader (undefined for an external service). */
  readonly pid: number | undefined;
  readonly baseUrl: string;
  /** Rejects (never resolves) if the process exits before stop() is called: a crash mid-run. */
  readonly crashed: Promise<never>;
  isAlive(): boolean;
  /** stdout+stderr interleaved, last N lines. */
  lastLogLines(): string[];
  /** Idempotent; SIGTERM the whole process group, SIGKILL after grace; resolves when gone. */
  stop(): Promise<void>;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_LOG_LINES = 50;
/** After SIGKILL: how long to wait for the group's last members to go. */
const KILL_WAIT_MS = 3000;
/** After the leader exits, how long to wait for its pipes to drain before reporting. */
const DRAIN_MS = 250;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already (ESRCH), or not ours (EPERM): nothing more to do
  }
}

/**
 * Whether the process group still has a live (non-zombie) member. Zombies count as gone: where
 * init does not reap orphans (some containers), a killed descendant can stay a zombie forever.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return scanProcesses().some((p) => p.pgrp === pgid && p.state !== 'Z');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return readProcStat(pid)?.state !== 'Z';
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
  }
}

export async function startService(opts: ServiceOptions): Promise<RunningService> {
  if (opts.command === undefined || opts.command.trim() === '') return startExternal(opts);
  return startManaged(opts, opts.command);
}

async function startExternal(opts: ServiceOptions): Promise<RunningService> {
  const outcome = await waitForReady(opts.readyUrl, opts.readyTimeoutMs);
  if (!outcome.ready) {
    const problem = outcome.reason === 'timeout' ? outcome.lastProblem : 'stopped';
    throw new ServiceError(
      'not-ready',
      `no service answered with 2xx at ${opts.readyUrl} within ${seconds(opts.readyTimeoutMs)} (last attempt: ${problem}). ` +
        'Start the service before loadgate, or give loadgate a start command.',
    );
  }
  return {
    pid: undefined,
    baseUrl: opts.baseUrl,
    crashed: new Promise<never>(() => undefined),
    isAlive: () => true,
    lastLogLines: () => [],
    stop: () => Promise.resolve(),
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

async function startManaged(opts: ServiceOptions, command: string): Promise<RunningService> {
  const graceMs = opts.stopGraceMs ?? DEFAULT_GRACE_MS;
  const log = new LogBuffer(opts.logLines ?? DEFAULT_LOG_LINES);

  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', command], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new ServiceError(
      'start-failed',
      `could not start the service command in ${opts.cwd}: ${(error as Error).message}`,
    );
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  child.on('error', () => undefined); // later 'error' events must not throw
  const pid = child.pid;
  if (pid === undefined) {
    const error = await spawnError;
    throw new ServiceError(
      'start-failed',
      `could not start the service command in ${opts.cwd}: ${error.message}`,
    );
  }

  for (const [name, stream] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => log.push(name, chunk));
    stream?.on('error', () => undefined);
  }

  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, sig) => {
      exit = { code, signal: sig };
      resolve(exit);
    });
  });
  // Output may still be in the pipes when 'exit' fires; wait for it briefly (descendants may
  // hold the pipes open for ever, hence the bound).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const drained = exited.then(() => Promise.race([closed, sleep(DRAIN_MS)]));

  let stopping = false;
  let ready = false;
  let rejectCrashed: (error: ServiceError) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => {
    rejectCrashed = reject;
  });
  crashed.catch(() => undefined); // only a rejection someone listens to should matter
  void drained.then(() => {
    if (!ready || stopping || exit === undefined) return;
    const tail = log.lines();
    rejectCrashed(
      new ServiceError(
        'crashed',
        `the service ${describeExit(exit.code, exit.signal)} while loadgate was running (it was ready at ${opts.readyUrl}). ${formatLogTail(tail)}`,
        tail,
      ),
    );
  });

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      stopping = true;
      // Descendants that left the group (setsid) are signalled one by one.
      let strays: number[] = [];
      try {
        strays = descendantsOf(pid)
          .filter((p) => p.pgrp !== pid && p.state !== 'Z')
          .map((p) => p.pid);
      } catch {
        // no /proc: the group kill is all there is
      }
      const allGone = (): boolean =>
        exit !== undefined && !groupAlive(pid) && strays.every((p) => !pidAlive(p));
      signal(-pid, 'SIGTERM');
      for (const p of strays) signal(p, 'SIGTERM');
      if (!(await waitUntil(allGone, graceMs))) {
        signal(-pid, 'SIGKILL');
        for (const p of strays) signal(p, 'SIGKILL');
        await exited; // the leader cannot ignore SIGKILL
        await waitUntil(allGone, KILL_WAIT_MS);
      }
      await exited;
      child.stdout?.destroy();
      child.stderr?.destroy();
      unregister();
    })();
    return stopPromise;
  };

  const unregister = registerService({ pgid: pid, stop });

  const outcome = await waitForReady(
    opts.readyUrl,
    opts.readyTimeoutMs,
    Promise.race([exited, spawnError]),
  );
  if (!outcome.ready) {
    if (outcome.reason === 'stopped' && exit !== undefined) {
      await drained;
      const tail = log.lines();
      await stop();
      throw new ServiceError(
        'exited-early',
        `the service ${describeExit(exit.code, exit.signal)} before it was ready at ${opts.readyUrl}. ${formatLogTail(tail)}`,
        tail,
      );
    }
    await stop();
    const tail = log.lines();
    if (outcome.reason === 'stopped') {
      throw new ServiceError(
        'start-failed',
        `could not start the service command in ${opts.cwd}. ${formatLogTail(tail)}`,
        tail,
      );
    }
    throw new ServiceError(
      'not-ready',
      `the service did not become ready at ${opts.readyUrl} within ${seconds(opts.readyTimeoutMs)} ` +
        `(last attempt: ${outcome.lastProblem}); it was stopped. Check the ready URL and the start command. ${formatLogTail(tail)}`,
      tail,
    );
  }
  ready = true;

  return {
    pid,
    baseUrl: opts.baseUrl,
    crashed,
    isAlive: () => exit === undefined,
    lastLogLines: () => log.lines(),
    stop,
  };
}
