import { resolve } from 'node:path';
import { readBaselineFile } from '../baseline/read-file.js';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import { runGate } from '../pipeline/gate-run.js';
import { runSummaryTable } from '../report/run-summary.js';
import { renderTerminal } from '../report/terminal.js';
import type { RunResult } from '../result/types.js';
import type { RunSettings } from '../run/execute.js';
import { EXIT_USAGE, progressPrinter, reportError, type Output } from './run.js';

/** Where `calibrate` writes and `gate` reads by default (the repository's baselines/ folder). */
export const DEFAULT_BASELINE_FILE = 'baselines/loadgate-baseline.json';

export interface GateOptions extends JudgeOptions {
  /** Baseline result file (default DEFAULT_BASELINE_FILE); not there yet = SLA verdicts only. */
  baseline?: string;
  out: string;
  report?: string;
  json?: string;
}

/**
 * `loadgate gate`: the CLI's front end of the gate (src/pipeline/gate-run.ts). The baseline is a
 * file, read before the run so a corrupt one stops the gate before any load is spent; the report
 * goes to files and the terminal. Exit codes as compare's (and 3 for the service).
 */
export async function gateCommand(
  settings: RunSettings,
  options: GateOptions,
  output: Output,
): Promise<{ exitCode: number; verdict?: Verdict; result?: RunResult }> {
  const at = (path: string) => resolve(settings.cwd, path);
  try {
    const shown = options.baseline ?? DEFAULT_BASELINE_FILE;
    const baseline = await readBaselineFile(at(shown), shown);
    if (baseline.fatal) throw new ConfigError(`--baseline: ${baseline.problem ?? baseline.fatal}`);
    if (!baseline.result) output.err(`loadgate: no baseline at ${shown} yet: SLA verdicts only`);

    const gate = await runGate({
      settings: { ...settings, onProgress: progressPrinter(output) },
      baseline,
      judge: options,
      resultPath: at(options.out),
      markerKey: 'loadgate',
      incompatibleBaseline: 'fail',
    });
    output.out(runSummaryTable(gate.result));
    output.out(`result written to ${gate.resultPath}\n`);
    if (gate.problems.length > 0) {
      for (const problem of gate.problems) output.err(`loadgate: ${problem}`);
      return { exitCode: EXIT_USAGE, result: gate.result };
    }
    if (options.report) {
      output.out(`report written to ${await writeFileAtomic(at(options.report), gate.report)}`);
    }
    if (options.json) {
      output.out(`verdict written to ${await writeFileAtomic(at(options.json), gate.verdictJson)}`);
    }
    output.out(renderTerminal(gate.verdict));
    return {
      exitCode: gate.verdict.failsCheck ? 1 : 0,
      verdict: gate.verdict,
      result: gate.result,
    };
  } catch (error) {
    return { exitCode: reportError(error, output) };
  }
}
