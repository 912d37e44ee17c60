import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { endedBy, type GateRunInput } from '../pipeline/gate-run.js';
import {
  isWriteProblem,
  keepResult,
  PartialResults,
  ResultWriteError,
  writeProblemText,
  type PartialEvent,
} from '../pipeline/keep-result.js';
import { runSummaryTable } from '../report/run-summary.js';
import type { RunResult } from '../result/types.js';
import { onSignalExit } from '../service/cleanup.js';
import { ServiceError } from '../service/index.js';
import { SetupCommandError } from '../service/setup-command.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import type { Output } from './output.js';
import { progressPrinter } from './progress.js';

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;
export const EXIT_SERVICE = 3;
/** A bug in loadgate itself, printed with its stack. */
export const EXIT_INTERNAL = 4;

export type { Output } from './output.js';

/**
 * Run the plan, write the result file, print the summary; the exit code says how it went. The
 * result so far is written to the same file after each scenario (marked partial), so a run that
 * crashes or is stopped (SIGTERM, Ctrl-C) keeps what finished; a file that cannot be written
 * keeps the result elsewhere and exits 2 naming the path (pipeline/keep-result.ts).
 */
export async function runCommand(
  settings: RunSettings,
  outPath: string,
  output: Output,
): Promise<{ exitCode: number; result?: RunResult; outFile?: string }> {
  const path = resolve(settings.cwd, outPath);
  const partials = new PartialResults(path, partialReporter(output));
  const dropSignalWork = onSignalExit(async (signal) =>
    announcePartial(await partials.close(`stopped by ${signal}`), output),
  );
  const progress = progressPrinter(output);
  try {
    const result = await executeRun({
      ...settings,
      onProgress: progress,
      onPartialResult: partials.write,
    }).finally(progress.close);
    const outFile = await keepResult(path, result, { lastResort: output.out });
    output.out(runSummaryTable(result));
    printRunWarnings(result, output);
    output.out(`result written to ${outFile}`);
    return { exitCode: EXIT_OK, result, outFile };
  } catch (error) {
    if (!(error instanceof ResultWriteError)) {
      announcePartial(await partials.close(endedBy(error)), output);
    }
    return { exitCode: reportError(error, output) };
  } finally {
    dropSignalWork();
  }
}

/** How the CLI's gates keep a result (pipeline/gate-run.ts): stdout last, partials announced. */
export function cliKeeping(output: Output): Pick<GateRunInput, 'keep' | 'onPartial' | 'onSignal'> {
  return {
    keep: { lastResort: output.out },
    onPartial: partialReporter(output),
    onSignal: async (partial) => announcePartial(partial, output),
  };
}

/** A partial result that could not be written: said once, the run goes on. */
export function partialReporter(output: Output): (event: PartialEvent) => void {
  return (event) => {
    if ('error' in event) {
      output.err(`loadgate: warning: cannot write the partial result: ${event.error}`);
    }
  };
}

/** Where the scenarios that finished before the run ended are. */
export function announcePartial(
  partial: { result: RunResult; path: string } | undefined,
  output: Output,
): void {
  if (partial?.result.partial === undefined) return;
  const { completed, planned } = partial.result.partial;
  output.err(
    `loadgate: partial result (${completed} of ${planned} scenarios finished) kept in ${partial.path}`,
  );
}

/** What the run could not measure (the result's `warnings`), one `warning:` line each, on stderr. */
export function printRunWarnings(result: RunResult, output: Output): void {
  for (const warning of result.warnings ?? []) output.err(`loadgate: warning: ${warning}`);
}

/**
 * Map an error to its exit code, printing what the user needs to act on. A file that cannot be
 * written (disk full, no permission) is the user's to fix: exit 2 naming the path, no stack.
 */
export function reportError(error: unknown, output: Output): number {
  if (isWriteProblem(error)) {
    output.err(`loadgate: cannot write ${targetOf(error.path)}: ${writeProblemText(error)}`);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    output.err(`loadgate: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof ServiceError || error instanceof SetupCommandError) {
    output.err(`loadgate: ${error.message}`);
    return EXIT_SERVICE;
  }
  output.err(`loadgate: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
  return EXIT_INTERNAL;
}

/** The file a write was for: the atomic writer's temporary name stripped (files/write-atomic.ts). */
function targetOf(path: string | undefined): string {
  return path === undefined ? 'a file' : path.replace(/\.\d+\.[0-9a-f]{8}\.tmp$/, '');
}
