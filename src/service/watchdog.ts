/**
 * What loadgate leaves behind when it is killed outright (SIGKILL, the OOM killer, the Actions
 * runner's last step of a cancel): the process groups it started and the base worktree. Its
 * signal and 'exit' handlers (cleanup.ts, base-worktree.ts) clean up on every other way out, but
 * a SIGKILL runs none of them.
 *
 * The watchdog is a small separate process (watchdog-program.ts), one per loadgate process,
 * started with the first thing to watch once enabled (the entries enable it, with the signal
 * cleanup; library use and tests do not). It runs in a session of its own, so a signal to
 * loadgate's process group does not reach it, and its environment is the filtered one the
 * services get. loadgate tells it what to watch over a pipe; when the pipe closes, loadgate is
 * gone, and what is still watched is stopped and removed.
 *
 * Limits: a process that left its group (setsid) is not reached (as with loadgate's own stop);
 * a runner that kills every process of the job at its end kills the watchdog too, and with it
 * everything else, so only the worktree of a self-hosted runner may be left then.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { childEnv } from '../redact/index.js';
import { WATCHDOG_PROGRAM } from './watchdog-program.js';

let enabled = false;
let watchdog: ChildProcess | undefined;

/** From now on, what is watched is cleaned up when this process dies (the entries call it). */
export function enableWatchdog(): void {
  enabled = true;
}

/** The watchdog's pid once started (for tests and diagnostics). */
export function watchdogPid(): number | undefined {
  return watchdog?.pid;
}

function started(): ChildProcess | undefined {
  if (!enabled) return undefined;
  if (watchdog !== undefined) return watchdog;
  const { NODE_OPTIONS: _options, ...env } = childEnv(process.env);
  const child = spawn(process.execPath, ['-e', WATCHDOG_PROGRAM], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env,
  });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  // Neither the process nor its pipe keeps loadgate's event loop alive.
  child.unref();
  (child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  watchdog = child;
  return child;
}

function tell(message: Record<string, unknown>): void {
  const child = started();
  if (child?.stdin?.writable) child.stdin.write(`${JSON.stringify(message)}\n`);
}

/** Stop this process group (SIGTERM, SIGKILL after a grace) if loadgate dies first. */
export function watchGroup(pgid: number): void {
  tell({ watch: 'group', pgid });
}

export function unwatchGroup(pgid: number): void {
  if (watchdog !== undefined) tell({ unwatch: 'group', pgid });
}

/** Remove this git worktree (run git in `repo` with `env` over the environment) if loadgate dies first. */
export function watchWorktree(
  dir: string,
  repo: string,
  env: Record<string, string | undefined> = {},
): void {
  tell({ watch: 'dir', dir, repo, env });
}

export function unwatchWorktree(dir: string): void {
  if (watchdog !== undefined) tell({ unwatch: 'dir', dir });
}
