/**
 * Starting, watching and stopping the service under test.
 *
 * The command runs in its own process group (process-group.ts), registered for cleanup on
 * signals (cleanup.ts). Readiness is an HTTP GET of `readyUrl` until 2xx; a managed service
 * that exits after it was ready rejects `crashed`, so the run stops at once.
 *
 * Whose service is measured (port-owner.ts): for a service loadgate starts on this machine (its
 * `expectPort`, else base-url's port when base-url is a loopback address) the port must be free
 * before the start, and once ready the listening socket must belong to the started process tree;
 * a start command that returns 0 and leaves its service in the background is told to run it in
 * the foreground.
 */
import { childEnv } from '../redact/index.js';
import { registerService } from './cleanup.js';
import { describeExit, formatLogTail, ServiceError } from './errors.js';
import { ProcessGroup, type Exit } from './process-group.js';
import { listeningPortsOfTree } from './listening-ports.js';
import {
  daemonMessage,
  foreignListenerProblem,
  loopbackPort,
  portInUseProblem,
} from './port-owner.js';
import { waitForReady, type ReadyOutcome } from './readiness.js';

export interface ServiceOptions {
  /** Shell string; absent = use an already running service at baseUrl. */
  command?: string;
  cwd: string;
  /** Merged over process.env (without loadgate's own INPUT_* variables: redact/child-env.ts). */
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
  /** What messages call it, default "service" ("base service" in an A/B run). */
  label?: string;
  /**
   * The port it was told to listen on (PORT): a service whose processes listen on other ports
   * and not this one is stopped with a clear error instead of a readiness timeout.
   */
  expectPort?: number;
  /** Pin the whole process tree to these CPUs (a taskset list, e.g. "1"); Linux only. */
  cpus?: string;
  /** Start it without address randomisation (address-layout.ts); Linux only. */
  fixedLayout?: boolean;
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

function labelOf(opts: ServiceOptions): string {
  return opts.label ?? 'service';
}

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
      env: childEnv(process.env, opts.env),
      logLines: opts.logLines ?? DEFAULT_LOG_LINES,
      ...(opts.cpus === undefined ? {} : { cpus: opts.cpus }),
      ...(opts.fixedLayout === true ? { fixedLayout: true } : {}),
    });
  } catch (error) {
    throw new ServiceError(
      'start-failed',
      `could not start the ${labelOf(opts)} command in ${opts.cwd}: ${(error as Error).message}`,
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
    // Exit code 0 after it was ready: the start command returned, its service went on alone.
    const why = exit.code === 0 ? ` ${daemonMessage(labelOf(opts), opts.baseUrl)}` : '';
    rejectCrashed(
      new ServiceError(
        'crashed',
        `the ${labelOf(opts)} ${describeExit(exit.code, exit.signal)} while loadgate was running (it was ready at ${opts.readyUrl}).${why} ${formatLogTail(tail)}`,
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
  ports: { port: number | undefined; listening: number[] | undefined },
): ServiceError {
  if (outcome.reason === 'stopped' && exit !== undefined) {
    // Exit code 0 before it was ready: most likely a command that put the service in the background.
    const why = exit.code === 0 ? ` ${daemonMessage(labelOf(opts), opts.baseUrl)}` : '';
    return new ServiceError(
      exit.code === 0 ? 'daemonized' : 'exited-early',
      `the ${labelOf(opts)} ${describeExit(exit.code, exit.signal)} before it was ready at ${opts.readyUrl}.${why} ${formatLogTail(tail)}`,
      tail,
    );
  }
  if (outcome.reason === 'stopped') {
    return new ServiceError(
      'start-failed',
      `could not start the ${labelOf(opts)} command in ${opts.cwd}. ${formatLogTail(tail)}`,
      tail,
    );
  }
  const { port, listening } = ports;
  const elsewhere =
    port !== undefined &&
    listening !== undefined &&
    listening.length > 0 &&
    !listening.includes(port)
      ? ` It listened on ${listening.join(', ')}, not on ${port}.`
      : '';
  return new ServiceError(
    'not-ready',
    `the ${labelOf(opts)} did not become ready at ${opts.readyUrl} within ${seconds(opts.readyTimeoutMs)} ` +
      `(last attempt: ${outcome.lastProblem}); it was stopped.${elsewhere} Check the ready URL and the start command. ${formatLogTail(tail)}`,
    tail,
  );
}

/** How long a tree may listen elsewhere before loadgate calls it the wrong port. */
const WRONG_PORT_GRACE_MS = 3000;
const PORT_POLL_MS = 250;

/**
 * Watches the group's listening sockets while it starts: `wrong` resolves when its processes
 * listen on other ports, and not on `port`, for WRONG_PORT_GRACE_MS (a service that opens a
 * metrics port first gets that long). Without /proc it never resolves: readiness decides.
 */
function watchPort(pid: number, port: number) {
  let since: number | undefined;
  let found: number[] | undefined;
  let timer: NodeJS.Timeout | undefined;
  const wrong = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      const ports = listeningPortsOfTree(pid);
      if (ports === undefined || ports.length === 0 || ports.includes(port)) {
        since = undefined;
        return;
      }
      since ??= Date.now();
      if (Date.now() - since < WRONG_PORT_GRACE_MS) return;
      found = [...ports].sort((a, b) => a - b);
      clearInterval(timer);
      resolve();
    }, PORT_POLL_MS);
    timer.unref();
  });
  return { wrong, found: () => found, cancel: () => clearInterval(timer) };
}

async function startManaged(opts: ServiceOptions, command: string): Promise<RunningService> {
  const graceMs = opts.stopGraceMs ?? DEFAULT_GRACE_MS;
  // The port it will answer on: given (A/B), or base-url's when that is this machine.
  const port = opts.expectPort ?? loopbackPort(opts.baseUrl);
  const inUse =
    port === undefined ? undefined : await portInUseProblem(opts.baseUrl, port, labelOf(opts));
  if (inUse !== undefined) throw new ServiceError('port-in-use', inUse);
  const group = await spawnGroup(opts, command);
  let ready = false;
  const crashed = crashWatch(group, opts, () => ready);
  const stop = async (): Promise<void> => {
    await group.stop(graceMs);
    unregister();
  };
  const unregister = registerService({ pgid: group.pid, stop });

  const portWatch =
    opts.expectPort === undefined ? undefined : watchPort(group.pid, opts.expectPort);
  const outcome = await waitForReady(
    opts.readyUrl,
    opts.readyTimeoutMs,
    Promise.race([group.exited, group.spawnError, ...(portWatch ? [portWatch.wrong] : [])]),
  );
  portWatch?.cancel();
  const wrongPorts = portWatch?.found();
  if (!outcome.ready && wrongPorts !== undefined) {
    await stop();
    const tail = group.log.lines();
    throw new ServiceError(
      'wrong-port',
      `the ${labelOf(opts)} listens on ${wrongPorts.join(', ')}, not on the port it was given (PORT=${opts.expectPort}). ` +
        `Make it listen on the PORT environment variable, or put {port} where the port goes in the start command (e.g. --port {port}). ${formatLogTail(tail)}`,
      tail,
    );
  }
  if (!outcome.ready) {
    // An early exit: wait for its last words before stopping what is left of the group.
    if (outcome.reason === 'stopped' && group.exit !== undefined) await group.drained;
    const exit = group.exit;
    const tailBeforeStop = group.log.lines();
    // Where it listens instead, asked before the stop takes its sockets away.
    const listening = port === undefined ? undefined : listeningPortsOfTree(group.pid);
    await stop();
    const tail =
      exit !== undefined && outcome.reason === 'stopped' ? tailBeforeStop : group.log.lines();
    throw notReadyError(opts, outcome, exit, tail, { port, listening });
  }
  // Ready, but is it what answered? Its tree must hold the listening socket on the port.
  const foreign =
    port === undefined
      ? undefined
      : foreignListenerProblem(
          group.pid,
          opts.baseUrl,
          port,
          labelOf(opts),
          group.exit?.code === 0,
        );
  if (foreign !== undefined) {
    await stop();
    const tail = group.log.lines();
    throw new ServiceError(foreign.kind, `${foreign.message} ${formatLogTail(tail)}`, tail);
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
