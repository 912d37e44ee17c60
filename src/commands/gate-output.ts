import { writeFileAtomic } from '../files/write-atomic.js';
import type { Verdict } from '../judge/types.js';
import {
  partialOf,
  runGate,
  type GateRunInput,
  type GateRunOutcome,
} from '../pipeline/gate-run.js';
import { runSummaryTable } from '../report/run-summary.js';
import { profileTerminalLines } from '../report/sections/profile.js';
import { renderTerminal } from '../report/terminal.js';
import type { RunResult } from '../result/types.js';
import {
  announcePartial,
  cliKeeping,
  EXIT_FAIL,
  EXIT_OK,
  EXIT_USAGE,
  reportError,
  type Output,
} from './run.js';

/** The files a CLI gate writes, resolved with `at`: the result, and the report and verdict when asked. */
export interface GateFiles {
  out: string;
  report?: string | undefined;
  json?: string | undefined;
}

/**
 * The gate as the CLI runs it (gate and ab alike): `prepare` reads what must be sound before any
 * load is spent and says how to measure; runGate with the CLI's marker and keeping of partial
 * results; the outcome printed. Any error (with the partial result it left) becomes an exit code.
 */
export async function runCliGate(
  prepare: () => Promise<Pick<GateRunInput, 'measure' | 'baseline' | 'judge' | 'history'>>,
  files: GateFiles,
  at: (path: string) => string,
  output: Output,
): Promise<{ exitCode: number; verdict?: Verdict; result?: RunResult }> {
  try {
    const gate = await runGate({
      ...(await prepare()),
      resultPath: at(files.out),
      markerKey: 'loadgate',
      incompatibleBaseline: 'fail',
      ...cliKeeping(output),
    });
    const exitCode = await printGateOutcome(gate, files, at, output);
    return { exitCode, verdict: gate.verdict, result: gate.result };
  } catch (error) {
    announcePartial(partialOf(error), output);
    return { exitCode: reportError(error, output) };
  }
}

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
  for (const line of profileTerminalLines(gate.result)) output.out(line);
  return gate.verdict.failsCheck ? EXIT_FAIL : EXIT_OK;
}
