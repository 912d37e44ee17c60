import { writeFileAtomic } from '../files/write-atomic.js';
import type { GateRunOutcome } from '../pipeline/gate-run.js';
import { runSummaryTable } from '../report/run-summary.js';
import { renderTerminal } from '../report/terminal.js';
import { EXIT_USAGE, type Output } from './run.js';

/**
 * Where the CLI puts a gate's outcome (gate and ab alike): the run summary, the result path, the
 * report and verdict files when asked (resolved with `at`), the terminal summary; returns the exit
 * code.
 */
export async function printGateOutcome(
  gate: GateRunOutcome,
  files: { report?: string | undefined; json?: string | undefined },
  at: (path: string) => string,
  output: Output,
): Promise<number> {
  output.out(runSummaryTable(gate.result));
  output.out(`result written to ${gate.resultPath}\n`);
  if (gate.problems.length > 0) {
    for (const problem of gate.problems) output.err(`loadgate: ${problem}`);
    return EXIT_USAGE;
  }
  if (files.report) {
    output.out(`report written to ${await writeFileAtomic(at(files.report), gate.report)}`);
  }
  if (files.json) {
    output.out(`verdict written to ${await writeFileAtomic(at(files.json), gate.verdictJson)}`);
  }
  output.out(renderTerminal(gate.verdict));
  return gate.verdict.failsCheck ? 1 : 0;
}
