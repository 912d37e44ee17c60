import { resolve } from 'node:path';
import { readBaselineFile } from '../baseline/read-file.js';
import { ConfigError } from '../config/errors.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import type { RunResult } from '../result/types.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import { runCliGate } from './gate-output.js';
import { readHistoryFlag } from './history-flag.js';
import { progressPrinter } from './progress.js';
import type { Output } from './run.js';

/** Where `calibrate` writes and `gate` reads by default (the repository's baselines/ folder). */
export const DEFAULT_BASELINE_FILE = 'baselines/loadgate-baseline.json';

export interface GateOptions extends JudgeOptions {
  /** Baseline result file (default DEFAULT_BASELINE_FILE); not there yet = SLA verdicts only. */
  baseline?: string;
  /** The default branch's history file (`loadgate history append`), judged against. */
  historyFile?: string;
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
  return runCliGate(
    async () => {
      const shown = options.baseline ?? DEFAULT_BASELINE_FILE;
      const baseline = await readBaselineFile(at(shown), shown);
      if (baseline.fatal) {
        throw new ConfigError(`--baseline: ${baseline.problem ?? baseline.fatal}`);
      }
      if (!baseline.result) output.err(`loadgate: no baseline at ${shown} yet: SLA verdicts only`);
      // Read before the run too: a broken history stops the gate before any load is spent.
      const { historyFile, ...judgeOptions } = options;
      const history =
        historyFile === undefined ? undefined : await readHistoryFlag(at(historyFile), historyFile);
      if (history && !baseline.result) {
        output.err(
          'loadgate: --history is judged beside a baseline run: without one it is not used',
        );
      }
      const progress = progressPrinter(output, judgeOptions);
      return {
        measure: (onPartialResult) =>
          executeRun({ ...settings, onProgress: progress, onPartialResult }).finally(
            progress.close,
          ),
        baseline,
        judge: judgeOptions,
        ...(history === undefined ? {} : { history: { runs: history, judged: true } }),
      };
    },
    options,
    at,
    output,
  );
}
