import { resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { formatMs, formatRate, formatShare } from '../format/numbers.js';
import { runSummaryTable } from '../report/run-summary.js';
import type { RunResult } from '../result/types.js';
import { ServiceError } from '../service/index.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import type { ProgressEvent } from '../kinds/index.js';

export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;
export const EXIT_SERVICE = 3;
/** A bug in loadgate itself, printed with its stack. */
export const EXIT_INTERNAL = 4;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export function progressPrinter(output: Output): (event: ProgressEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'setup':
        if (event.done === event.total)
          output.err(`  setup  pool ${event.pool}: ${event.total} created`);
        break;
      case 'warmup':
        output.err(`${event.scenario}: warm-up ${event.seconds} s`);
        break;
      case 'trial':
        output.err(
          `${event.scenario}: trial ${event.trial}/${event.trials}  ${formatRate(event.throughput)}  p95 ${formatMs(event.p95)}  errors ${formatShare(event.errorRate)}`,
        );
        break;
      case 'scenario-failed':
        output.err(`${event.scenario}: FAILED: ${event.message}`);
        break;
      case 'kind':
        output.err(`${event.scenario}: ${event.message}`);
        break;
    }
  };
}

/** Run the plan, write the result file, print the summary; the exit code says how it went. */
export async function runCommand(
  settings: RunSettings,
  outPath: string,
  output: Output,
): Promise<{ exitCode: number; result?: RunResult; outFile?: string }> {
  try {
    const result = await executeRun({ ...settings, onProgress: progressPrinter(output) });
    const outFile = await writeFileAtomic(
      resolve(settings.cwd, outPath),
      `${JSON.stringify(result)}\n`,
    );
    output.out(runSummaryTable(result));
    output.out(`result written to ${outFile}`);
    return { exitCode: EXIT_OK, result, outFile };
  } catch (error) {
    return { exitCode: reportError(error, output) };
  }
}

/** Map an error to its exit code, printing what the user needs to act on. */
export function reportError(error: unknown, output: Output): number {
  if (error instanceof ConfigError) {
    output.err(`loadgate: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof ServiceError) {
    output.err(`loadgate: ${error.message}`);
    return EXIT_SERVICE;
  }
  output.err(`loadgate: unexpected error: ${error instanceof Error ? error.stack : String(error)}`);
  return EXIT_INTERNAL;
}
