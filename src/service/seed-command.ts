/**
 * The volume kind's seed command (`volume.seedCommand`): run like the service itself, so nothing
 * it starts outlives loadgate. It runs through /bin/sh in its own process group, registered for
 * cleanup (a SIGINT / SIGTERM / SIGHUP to loadgate stops it, and the exit hook kills it), its
 * output kept as a bounded tail for the error message, and the whole group stopped when it runs
 * past its time, when the service under test crashes (`abort`), and when it exits (whatever it
 * left in the background goes with it).
 */
import { childEnv } from '../redact/index.js';
import { registerService } from './cleanup.js';
import { describeExit, formatLogTail } from './errors.js';
import { ProcessGroup } from './process-group.js';

/** Lines of the seed command's output kept for the error message. */
const SEED_TAIL_LINES = 20;
/** On timeout or abort: SIGTERM the group, SIGKILL what is left after this long. */
const SEED_KILL_GRACE_MS = 2000;

export class SeedCommandError extends Error {
  override readonly name = 'SeedCommandError';
}

export interface SeedCommandOptions {
  /** Rejects when the service under test crashes: the command is stopped, the rejection rethrown. */
  abort?: Promise<never>;
  /** Default: the current directory. */
  cwd?: string;
  /** SIGTERM → SIGKILL grace (default 2 s). */
  graceMs?: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Runs `command` with `env` (the run's coordinates: LOADGATE_BASE_URL, LOADGATE_TOKEN, ...) over
 * the workflow's environment without loadgate's own variables (childEnv). Resolves when it exits
 * 0; throws SeedCommandError (or the abort's error) otherwise. Its output tail in the message is
 * redacted (LogBuffer).
 */
export async function runSeedCommand(
  command: string,
  env: Record<string, string>,
  timeoutSeconds: number,
  options: SeedCommandOptions = {},
): Promise<void> {
  const graceMs = options.graceMs ?? SEED_KILL_GRACE_MS;
  const timeoutMs = timeoutSeconds * 1000;
  let group: Awaited<ReturnType<typeof ProcessGroup.spawn>>;
  try {
    group = await ProcessGroup.spawn(command, {
      cwd: options.cwd ?? process.cwd(),
      env: childEnv(process.env, env),
      logLines: SEED_TAIL_LINES,
    });
  } catch (error) {
    throw new SeedCommandError(`seed command could not start: ${(error as Error).message}`);
  }
  const unregister = registerService({ pgid: group.pid, stop: () => group.stop(graceMs) });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), timeoutMs);
    });
    const ended = await Promise.race([
      group.exited,
      group.spawnError.then((error) => ({ spawnError: error })),
      timedOut,
      ...(options.abort ? [options.abort] : []),
    ]);
    if (ended === 'timeout') {
      await group.stop(graceMs);
      throw new SeedCommandError(
        `seed command was still running after ${seconds(timeoutMs)} (seedTimeoutSeconds); ` +
          `its process group was stopped. ${formatLogTail(group.log.lines())}`,
      );
    }
    if ('spawnError' in ended) {
      throw new SeedCommandError(`seed command could not start: ${ended.spawnError.message}`);
    }
    await group.drained;
    if (ended.code !== 0) {
      throw new SeedCommandError(
        `seed command ${describeExit(ended.code, ended.signal)}. ${formatLogTail(group.log.lines())}`,
      );
    }
  } finally {
    clearTimeout(timer);
    // On success, failure, timeout and abort alike: nothing it started stays behind.
    await group.stop(graceMs);
    unregister();
  }
}
