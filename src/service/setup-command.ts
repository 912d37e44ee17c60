/**
 * A command that prepares a checkout before its service starts (`setup-command`, `--setup`:
 * `npm ci`, a build). It runs through /bin/sh in its own process group, registered for cleanup
 * like a service, its output kept as a bounded tail for the error message, the whole group
 * stopped when it runs past its time.
 */
import { childEnv } from '../redact/index.js';
import { registerService } from './cleanup.js';
import { describeExit, formatLogTail } from './errors.js';
import { ProcessGroup, type Exit } from './process-group.js';

/** Lines of the setup command's output kept for the error message. */
const SETUP_TAIL_LINES = 50;
/** Default time the setup command may take (an `npm ci` of a large project, cold cache). */
export const DEFAULT_SETUP_TIMEOUT_MS = 600_000;
/** On timeout: SIGTERM the group, SIGKILL what is left after this long. */
const SETUP_KILL_GRACE_MS = 2000;

export class SetupCommandError extends Error {
  override readonly name = 'SetupCommandError';
  constructor(
    message: string,
    readonly command: string,
    /** How it ended; undefined when it timed out or never started. */
    readonly exit: Exit | undefined,
    readonly timedOut: boolean,
    readonly outputTail: readonly string[],
  ) {
    super(message);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Runs `command` through /bin/sh -c in `dir`, in its own process group, with `env` merged over
 * process.env (without loadgate's own INPUT_* variables). Resolves when it exits 0; anything it left running in its group is stopped then.
 * Throws SetupCommandError naming the command, how it ended and its last output lines. A blank
 * command does nothing.
 */
export async function runSetupCommand(
  command: string,
  dir: string,
  env: Record<string, string | undefined>,
  timeoutMs = DEFAULT_SETUP_TIMEOUT_MS,
): Promise<void> {
  if (command.trim() === '') return;
  const where = `in ${dir}`;
  let group: Awaited<ReturnType<typeof ProcessGroup.spawn>>;
  try {
    group = await ProcessGroup.spawn(command, {
      cwd: dir,
      env: childEnv(process.env, env),
      logLines: SETUP_TAIL_LINES,
    });
  } catch (error) {
    const message = `the setup command "${command}" could not start ${where}: ${(error as Error).message}`;
    throw new SetupCommandError(message, command, undefined, false, []);
  }
  // Registered like a service, so a signal to loadgate stops the setup command's tree too.
  const unregister = registerService({
    pgid: group.pid,
    stop: () => group.stop(SETUP_KILL_GRACE_MS),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<'timeout'>((done) => {
      timer = setTimeout(() => done('timeout'), timeoutMs);
    });
    const ended = await Promise.race([group.exited, timedOut]);
    if (ended === 'timeout') {
      await group.stop(SETUP_KILL_GRACE_MS);
      const tail = group.log.lines();
      throw new SetupCommandError(
        `the setup command "${command}" was still running after ${seconds(timeoutMs)} ${where}; ` +
          `its process group was stopped.\n${formatLogTail(tail)}`,
        command,
        undefined,
        true,
        tail,
      );
    }
    await group.drained;
    if (ended.code !== 0) {
      const tail = group.log.lines();
      throw new SetupCommandError(
        `the setup command "${command}" ${describeExit(ended.code, ended.signal)} ${where}.\n${formatLogTail(tail)}`,
        command,
        ended,
        false,
        tail,
      );
    }
  } finally {
    clearTimeout(timer);
    // Whatever it started in the background goes with it (a no-op when the group is empty).
    await group.stop(SETUP_KILL_GRACE_MS);
    unregister();
  }
}
