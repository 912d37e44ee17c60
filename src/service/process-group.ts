/**
 * A shell command in its own process group (detached), so the whole tree it starts (npm → sh →
 * node, uvicorn with workers, ...) can be signalled at once with a negative pid. Its stdout and
 * stderr are drained into a bounded ring of lines (never left to fill a pipe and block it). It
 * runs under a launcher shell (LAUNCHER_SCRIPT), so its parent is never loadgate itself.
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
 * The launcher: a shell that runs the command in a second shell and waits for it, so the
 * command's parent is never loadgate. Whatever the command starts, even with `exec`, has this
 * shell for its parent, and the shell's environment is the filtered one the command gets
 * (redact/child-env.ts): `/proc/<ppid>/environ` of the service holds no runner token, where
 * loadgate's own (it is how the runner passes `INPUT_GITHUB-TOKEN` and `ACTIONS_RUNTIME_TOKEN`)
 * would. A shell, not a second Node process: about 1 MB of resident memory in the measured
 * process tree instead of about 40. It exits as the command did; a command killed by a signal
 * (status 128 + n) gets the shell killed by the same signal, so the exit still says which.
 */
export const LAUNCHER_SCRIPT =
  '/bin/sh -c "$1"; s=$?; ' +
  'case $s in 129|130|131|132|133|134|135|136|137|138|139|140|141|142|143) kill -$((s - 128)) $$;; esac; ' +
  'exit $s';
/** The launcher's `$0`: what `ps` shows for it. */
export const LAUNCHER_NAME = 'loadgate-launcher';

/**
 * The program and arguments that start `command`: the launcher shell (LAUNCHER_SCRIPT), under
 * `taskset -c cpus` when given, under `setarch -R` when `fixedLayout`. Each of those execs the
 * next, so the launcher keeps their pid and everything it starts inherits the layout and CPUs.
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
    LAUNCHER_SCRIPT,
    LAUNCHER_NAME,
    command,
  ];
}

let refusal: string | undefined;

/**
 * From now on every command loadgate would start (a service, a setup or seed command) is refused
 * with `reason`: on events whose token may meet untrusted code (action/untrusted-code.ts), the
 * last line of defence for a command from a scenarios file the pull request may have written.
 * Returns the function that lifts the refusal again.
 */
export function refuseCommands(reason: string): () => void {
  refusal = reason;
  return () => {
    if (refusal === reason) refusal = undefined;
  };
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
    if (refusal !== undefined) throw new Error(refusal);
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
