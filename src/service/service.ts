/**
 * Starting, watching and stopping the service under test.
 *
 * The command runs in its own process group (process-group.ts), registered for cleanup on
 * signals (cleanup.ts). Readiness is an HTTP GET of `readyUrl` until 2xx; a managed service
 * that exits after it was ready rejects `crashed`, so the run stops at once.
 */
import { registerService } from './cleanup.js';
import { describeExit, formatLogTail, ServiceError } from './errors.js';
import { ProcessGroup, type Exit } from './process-group.js';
import { waitForReady, type ReadyOutcome } from './readiness.js';

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

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
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

async function spawnGroup(opts: ServiceOptions, command: string) {
  try {
    return await ProcessGroup.spawn(command, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      logLines: opts.logLines ?? DEFAULT_LOG_LINES,
    });
  } catch (error) {
    throw new ServiceError(
      'start-failed',
      `could not start the service command in ${opts.cwd}: ${(error as Error).message}`,
    );
  }
}

/** Rejects with a 'crashed' ServiceError when the group's leader exits after it was ready. */
function crashWatch(group: ProcessGroup, opts: ServiceOptions, isReady: () => boolean) {
  let rejectCrashed: (error: ServiceError) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => {
    rejectCrashed = reject;
  });
  crashed.catch(() => undefined); // only a rejection someone listens to should matter
  void group.drained.then(() => {
    const exit = group.exit;
    if (!isReady() || group.isStopping || exit === undefined) return;
    const tail = group.log.lines();
    rejectCrashed(
      new ServiceError(
        'crashed',
        `the service ${describeExit(exit.code, exit.signal)} while loadgate was running (it was ready at ${opts.readyUrl}). ${formatLogTail(tail)}`,
        tail,
      ),
    );
  });
  return crashed;
}

/** The error for a service that never became ready (it was stopped before this is thrown). */
function notReadyError(
  opts: ServiceOptions,
  outcome: Exclude<ReadyOutcome, { ready: true }>,
  exit: Exit | undefined,
  tail: string[],
): ServiceError {
  if (outcome.reason === 'stopped' && exit !== undefined) {
    return new ServiceError(
      'exited-early',
      `the service ${describeExit(exit.code, exit.signal)} before it was ready at ${opts.readyUrl}. ${formatLogTail(tail)}`,
      tail,
    );
  }
  if (outcome.reason === 'stopped') {
    return new ServiceError(
      'start-failed',
      `could not start the service command in ${opts.cwd}. ${formatLogTail(tail)}`,
      tail,
    );
  }
  return new ServiceError(
    'not-ready',
    `the service did not become ready at ${opts.readyUrl} within ${seconds(opts.readyTimeoutMs)} ` +
      `(last attempt: ${outcome.lastProblem}); it was stopped. Check the ready URL and the start command. ${formatLogTail(tail)}`,
    tail,
  );
}

async function startManaged(opts: ServiceOptions, command: string): Promise<RunningService> {
  const graceMs = opts.stopGraceMs ?? DEFAULT_GRACE_MS;
  const group = await spawnGroup(opts, command);
  let ready = false;
  const crashed = crashWatch(group, opts, () => ready);
  const stop = async (): Promise<void> => {
    await group.stop(graceMs);
    unregister();
  };
  const unregister = registerService({ pgid: group.pid, stop });

  const outcome = await waitForReady(
    opts.readyUrl,
    opts.readyTimeoutMs,
    Promise.race([group.exited, group.spawnError]),
  );
  if (!outcome.ready) {
    // An early exit: wait for its last words before stopping what is left of the group.
    if (outcome.reason === 'stopped' && group.exit !== undefined) await group.drained;
    const exit = group.exit;
    const tailBeforeStop = group.log.lines();
    await stop();
    const tail =
      exit !== undefined && outcome.reason === 'stopped' ? tailBeforeStop : group.log.lines();
    throw notReadyError(opts, outcome, exit, tail);
  }
  ready = true;

  return {
    pid: group.pid,
    baseUrl: opts.baseUrl,
    crashed,
    isAlive: () => group.exit === undefined,
    lastLogLines: () => group.log.lines(),
    stop,
  };
}
