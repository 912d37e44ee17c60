/**
 * Process-wide registry of started services, so that none outlives loadgate.
 *
 * - Every managed service registers itself while it runs.
 * - On 'exit' (always installed, on first registration; synchronous, so only a SIGKILL of each
 *   process group is possible there) anything still registered is killed: the last resort when
 *   the caller forgot stop() or called process.exit().
 * - installSignalCleanup() (explicit, for the CLI and the action entry, not for library use or
 *   tests) makes SIGINT / SIGTERM / SIGHUP stop every service gracefully, then exit with
 *   128 + the signal number (130, 143, 129). A second signal during that kills at once.
 *
 * Limits: a descendant that moved to its own process group or session (setsid) is not reached by
 * the group kill; stop() also signals the descendants it finds by parent links, but a daemon that
 * double-forked (re-parented to init) before stop() is out of reach of any of this.
 */

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
  return () => {
    entries.delete(entry);
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
}

/**
 * On SIGINT / SIGTERM / SIGHUP: stop every registered service, then exit with 128 + signal.
 * Idempotent; returns a function that removes the handlers again.
 */
export function installSignalCleanup(options: SignalCleanupOptions = {}): () => void {
  if (signalsInstalled !== undefined) return signalsInstalled;
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  let cleaning = false;
  const handler = (signal: NodeJS.Signals): void => {
    const code = EXIT_CODES[signal] ?? 1;
    if (cleaning) {
      onExit();
      process.exit(code);
    }
    cleaning = true;
    try {
      options.onSignal?.(signal);
    } catch {
      // never let a reporting hook stop the cleanup
    }
    const timer = setTimeout(() => {
      onExit();
      process.exit(code);
    }, maxWaitMs);
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
    signalsInstalled = undefined;
  };
  return signalsInstalled;
}
