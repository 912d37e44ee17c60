/**
 * Keeping a run's result, whatever happens to the disk or the run: the one place the front ends
 * write a result file through (gate, run, calibrate, the action).
 *
 * - `keepResult`: the result JSON to its path, atomically. When that path cannot be written (disk
 *   full, no permission, a read-only or missing folder), the result goes to a file in the
 *   system's temp folder instead, or as a last resort to the `lastResort` sink (stdout in the
 *   CLI), and a ResultWriteError names the path, the reason and where the result went: the CLI
 *   exits 2 on it (a ConfigError), never 4 with a stack trace.
 * - `PartialResults`: the result so far after each scenario (marked partial) to the same path,
 *   one write at a time, so a run that ends early (a crash, a cancel, SIGTERM) keeps what
 *   finished. Its failures never stop the run; they are reported once.
 * - `baselineProblem`: why a result must not be stored as a baseline (not valid against the
 *   schema, partial, nothing measured).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { parseRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';

/** Error codes of a file that cannot be written, in words. */
const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EEXIST: 'a part of the path exists and is not a folder',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'an I/O error',
};

/** An error of the file system that means "this path cannot be written" (not a bug). */
export function isWriteProblem(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in WRITE_PROBLEMS;
}

/** "no space left on the device (ENOSPC)", from a file system error. */
export function writeProblemText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words = code === undefined ? undefined : WRITE_PROBLEMS[code];
  return words === undefined ? ((error as Error)?.message ?? String(error)) : `${words} (${code})`;
}

/** The result could not be written where asked: names the path and where the result went. */
export class ResultWriteError extends ConfigError {
  constructor(
    readonly path: string,
    readonly problem: string,
    /** Where the result was kept instead: a file, `stdout`, or nowhere. */
    readonly keptAt: string | undefined,
  ) {
    super(
      `cannot write the result to ${path}: ${problem}. ` +
        (keptAt === undefined
          ? 'It could not be kept anywhere else either.'
          : keptAt === 'stdout'
            ? 'The result JSON follows on standard output.'
            : `The result was kept in ${keptAt} instead.`),
    );
  }
}

export interface KeepOptions {
  /** Where the fallback file goes (default the system's temp folder). */
  fallbackDir?: string;
  /** The last resort when no file can be written: the CLI prints the JSON on stdout. */
  lastResort?: (json: string) => void;
}

const json = (result: RunResult): string => `${JSON.stringify(result)}\n`;

/** Write the result to `path` (absolute path returned), or keep it elsewhere and throw. */
export async function keepResult(
  path: string,
  result: RunResult,
  options: KeepOptions = {},
): Promise<string> {
  const text = json(result);
  try {
    return await writeFileAtomic(path, text);
  } catch (error) {
    if (!isWriteProblem(error)) throw error;
    const problem = writeProblemText(error);
    const fallback = join(
      options.fallbackDir ?? tmpdir(),
      `loadgate-result-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.json`,
    );
    try {
      throw new ResultWriteError(path, problem, await writeFileAtomic(fallback, text));
    } catch (second) {
      if (second instanceof ResultWriteError) throw second;
      if (options.lastResort) {
        options.lastResort(text);
        throw new ResultWriteError(path, problem, 'stdout');
      }
      throw new ResultWriteError(path, problem, undefined);
    }
  }
}

export type PartialEvent =
  { result: RunResult; path: string } | { result: RunResult; error: string };

/**
 * The partial results of one run, written to `path` one at a time, in order (a write and the
 * signal path's `close` never race). `write` is what the run calls after each scenario; `last` is
 * the latest one written.
 */
export class PartialResults {
  last: { result: RunResult; path: string } | undefined;
  private failed = false;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly path: string,
    private readonly onEvent?: (event: PartialEvent) => void,
  ) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  readonly write = (result: RunResult): Promise<void> =>
    this.serial(async () => {
      try {
        const path = await writeFileAtomic(this.path, json(result));
        this.last = { result, path };
        this.onEvent?.({ result, path });
      } catch (error) {
        // Never stop the run for it: the final write says what is wrong with the path.
        if (!this.failed) this.onEvent?.({ result, error: writeProblemText(error) });
        this.failed = true;
      }
    });

  /** Rewrite the last partial result with the reason the run ended early; it and its path. */
  close(reason: string): Promise<{ result: RunResult; path: string } | undefined> {
    return this.serial(async () => {
      const last = this.last;
      if (last === undefined || last.result.partial === undefined) return last;
      const result: RunResult = { ...last.result, partial: { ...last.result.partial, reason } };
      try {
        this.last = { result, path: await writeFileAtomic(this.path, json(result)) };
      } catch {
        this.last = { ...last, result };
      }
      return this.last;
    });
  }
}

/**
 * Why `result` must not be stored as a baseline, or undefined when it may: it must be valid
 * against the result schema as read back (JSON turns NaN into null), complete (not partial),
 * and have measured something.
 */
export function baselineProblem(result: RunResult): string | undefined {
  try {
    parseRunResult(JSON.parse(JSON.stringify(result)) as unknown, 'the result');
  } catch (error) {
    if (error instanceof RunResultError) return error.message;
    throw error;
  }
  if (result.partial !== undefined) {
    return `the result is partial (${result.partial.completed} of ${result.partial.planned} scenarios)`;
  }
  const measured = (s: RunResult['scenarios'][number]) =>
    s.failure === undefined && (s.trials.length > 0 || s.kindResult !== undefined);
  if (!result.scenarios.some(measured)) return 'no scenario of the result measured anything';
  return undefined;
}
