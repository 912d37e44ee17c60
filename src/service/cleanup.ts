/**
 * Process-wide registry of started services, so that none outlives loadgate.
 *
 * - Every managed service registers itself while it runs.
 * - On 'exit' (always installed, on first registration; synchronous, so only a SIGKILL of each
 *   process group is possible there) anything still registered is killed: the last resort when
 *   the caller forgot stop() or called process.exit().
 * - installSignalCleanup() (explicit, for the CLI and the action entry, not for library use or
 *   tests) makes SIGINT / SIGTERM / SIGHUP stop every service gracefully, then exit with
 *   128 + the signal number (130, 143, 129). A second signal during that kills at once, unless
 *   the caller says when the process will be killed (`killedAfterMs`, the Actions runner's
 *   ladder): then the services are killed at once and the work (publishing) goes on until
 *   shortly before that kill. It also enables the watchdog (watchdog.ts): what is registered
 *   here is stopped even when loadgate itself is SIGKILLed.
 *
 * Limits: a descendant that moved to its own process group or session (setsid) is not reached by
 * the group kill; stop() also signals the descendants it finds by parent links, but a daemon that
 * double-forked (re-parented to init) before stop() is out of reach of any of this.
 */
import { enableWatchdog, unwatchGroup, watchGroup } from './watchdog.js';

export interface CleanupEntry {
  /** The process group id (the leader's pid). */
  readonly pgid: number;
  /** Graceful stop: resolves when the service is gone. */
  stop(): Promise<void>;
}

const entries = new Set<CleanupEntry>();
let exitHookInstalled = false;
let signalsInstalled: (() => void) | undefined;

function killGroupNow(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function onExit(): void {
  for (const entry of entries) killGroupNow(entry.pgid);
  entries.clear();
}

/** Register a running service; returns the function that unregisters it. */
export function registerService(entry: CleanupEntry): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', onExit);
  }
  entries.add(entry);
  watchGroup(entry.pgid);
  return () => {
    if (entries.delete(entry)) unwatchGroup(entry.pgid);
  };
}

/** Services currently registered (for tests and diagnostics). */
export function registeredServices(): number {
  return entries.size;
}

/** Stop every registered service (gracefully, each with its own grace period). */
export async function stopAllServices(): Promise<void> {
  await Promise.allSettled([...entries].map((entry) => entry.stop()));
}

const signalWork = new Set<(signal: NodeJS.Signals) => Promise<void>>();

/**
 * Work that must finish before loadgate exits on a signal (publishing the partial result of a
 * cancelled run): it runs beside the services' graceful stop, within the same time limit.
 * Returns the function that removes it again.
 */
export function onSignalExit(work: (signal: NodeJS.Signals) => Promise<void>): () => void {
  signalWork.add(work);
  return () => {
    signalWork.delete(work);
  };
}

const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

export interface SignalCleanupOptions {
  /** Give up on graceful stops after this long and kill (default 15 s). */
  maxWaitMs?: number;
  /** Called with the signal before the cleanup starts (to print a line, say). */
  onSignal?: (signal: NodeJS.Signals) => void;
  /**
   * How long after each signal the process is killed outright (RUNNER_KILLED_AFTER_MS for the
   * Actions runner). With an entry, a signal ends the work KILL_MARGIN_MS before that kill at
   * the latest, and a second signal no longer exits at once: it kills the services' process
   * groups and lets the work (publishing the partial result) go on until then.
   */
  killedAfterMs?: Partial<Record<NodeJS.Signals, number>>;
}

/**
 * The Actions runner's cancel (actions/runner ProcessInvoker): SIGINT, SIGTERM 7.5 s later,
 * SIGKILL 2.5 s after that. So the process is killed 10 s after the SIGINT and 2.5 s after the
 * SIGTERM.
 */
export const RUNNER_KILLED_AFTER_MS: Readonly<Partial<Record<NodeJS.Signals, number>>> = {
  SIGINT: 10_000,
  SIGTERM: 2_500,
};

/** How long before an expected kill the process exits by itself (its last writes flushed). */
export const KILL_MARGIN_MS = 500;

/**
 * On SIGINT / SIGTERM / SIGHUP: stop every registered service, then exit with 128 + the first
 * signal. Idempotent; returns a function that removes the handlers again.
 */
export function installSignalCleanup(options: SignalCleanupOptions = {}): () => void {
  if (signalsInstalled !== undefined) return signalsInstalled;
  enableWatchdog();
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  let code: number | undefined;
  let deadline = Infinity;
  let timer: NodeJS.Timeout | undefined;
  const exitBy = (at: number): void => {
    if (at >= deadline) return;
    deadline = at;
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        onExit();
        process.exit(code);
      },
      Math.max(0, at - Date.now()),
    );
  };
  const handler = (signal: NodeJS.Signals): void => {
    const killedAfter = options.killedAfterMs?.[signal];
    const killAt =
      killedAfter === undefined ? undefined : Date.now() + killedAfter - KILL_MARGIN_MS;
    if (code !== undefined) {
      // A second signal: without a known kill ahead, it means "now".
      onExit();
      if (killAt === undefined) process.exit(code);
      else exitBy(killAt);
      return;
    }
    code = EXIT_CODES[signal] ?? 1;
    try {
      options.onSignal?.(signal);
    } catch {
      // never let a reporting hook stop the cleanup
    }
    exitBy(killAt ?? Date.now() + maxWaitMs);
    const work = [...signalWork].map((w) => Promise.resolve().then(() => w(signal)));
    void Promise.allSettled([stopAllServices(), ...work]).finally(() => {
      clearTimeout(timer);
      process.exit(code);
    });
  };
  const signals = Object.keys(EXIT_CODES) as NodeJS.Signals[];
  for (const signal of signals) process.on(signal, handler);
  signalsInstalled = () => {
    for (const signal of signals) process.off(signal, handler);
    clearTimeout(timer);
    signalsInstalled = undefined;
  };
  return signalsInstalled;
}
