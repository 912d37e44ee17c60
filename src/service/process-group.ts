/**
 * A shell command in its own process group (detached), so the whole tree it starts (npm → sh →
 * node, uvicorn with workers, ...) can be signalled at once with a negative pid. Its stdout and
 * stderr are drained into a bounded ring of lines (never left to fill a pipe and block it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, readProcStat, scanProcesses } from '../monitor/proc-tree.js';
import { FIXED_LAYOUT_PREFIX } from './address-layout.js';
import { LogBuffer } from './log-buffer.js';

/** After SIGKILL: how long to wait for the group's last members to go. */
const KILL_WAIT_MS = 3000;
/** After the leader exits, how long to wait for its pipes to drain before reporting. */
const DRAIN_MS = 250;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The program and arguments that start `command`: /bin/sh, under `taskset -c cpus` when given,
 * under `setarch -R` when `fixedLayout`. Each execs the next, so all share one pid.
 */
export function spawnArgv(
  command: string,
  options: { cpus?: string; fixedLayout?: boolean },
): string[] {
  return [
    ...(options.fixedLayout === true ? FIXED_LAYOUT_PREFIX : []),
    ...(options.cpus === undefined ? [] : ['taskset', '-c', options.cpus]),
    '/bin/sh',
    '-c',
    command,
  ];
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

export class ProcessGroup {
  readonly log: LogBuffer;
  /** Resolves when the leader exits. */
  readonly exited: Promise<Exit>;
  /** Resolves once the leader exited and its pipes drained (bounded: descendants may hold them). */
  readonly drained: Promise<void>;
  /** Resolves with the spawn error, if there is one (a missing shell, a bad cwd). */
  readonly spawnError: Promise<Error>;
  private exitState: Exit | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    logLines: number,
  ) {
    this.log = new LogBuffer(logLines);
    this.spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    child.on('error', () => undefined); // later 'error' events must not throw
    for (const [name, stream] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.log.push(name, chunk));
      stream?.on('error', () => undefined);
    }
    this.exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, sig) => {
        this.exitState = { code, signal: sig };
        resolve(this.exitState);
      });
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.drained = this.exited.then(() => Promise.race([closed, sleep(DRAIN_MS)]));
  }

  /**
   * Spawns `command` as spawnArgv says (address-layout.ts for `fixedLayout`): everything the
   * command starts inherits the layout and the CPUs; throws the spawn error when there is no
   * process at all.
   */
  static async spawn(
    command: string,
    options: {
      cwd: string;
      env: NodeJS.ProcessEnv;
      logLines: number;
      cpus?: string;
      fixedLayout?: boolean;
    },
  ): Promise<ProcessGroup & { pid: number }> {
    const [file, ...args] = spawnArgv(command, options);
    const child = spawn(file as string, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const group = new ProcessGroup(child, options.logLines);
    if (child.pid === undefined) throw await group.spawnError;
    return group as ProcessGroup & { pid: number };
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the leader exited; undefined while it runs. */
  get exit(): Exit | undefined {
    return this.exitState;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Idempotent: SIGTERM the group (and strays that left it), SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    this.stopping ??= this.terminate(graceMs);
    return this.stopping;
  }

  private async terminate(graceMs: number): Promise<void> {
    const pid = this.child.pid as number;
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
      this.exitState !== undefined && !groupAlive(pid) && strays.every((p) => !pidAlive(p));
    signal(-pid, 'SIGTERM');
    for (const p of strays) signal(p, 'SIGTERM');
    if (!(await waitUntil(allGone, graceMs))) {
      signal(-pid, 'SIGKILL');
      for (const p of strays) signal(p, 'SIGKILL');
      await this.exited; // the leader cannot ignore SIGKILL
      await waitUntil(allGone, KILL_WAIT_MS);
    }
    await this.exited;
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}
