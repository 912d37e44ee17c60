import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { runSummaryTable } from '../cli/format.js';
import { ConfigError } from '../config/errors.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { readRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import { EXIT_USAGE, progressPrinter, reportError, type Output } from './run.js';

export interface GateOptions extends JudgeOptions {
  /** Baseline result file; absent or not there yet = SLA verdicts only. */
  baseline?: string;
  out: string;
  report?: string;
  json?: string;
}

async function writeText(path: string, text: string): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** Read the baseline before the run: a corrupt one stops the gate before any load is spent. */
async function loadBaseline(
  path: string | undefined,
  output: Output,
): Promise<RunResult | undefined> {
  if (path === undefined) return undefined;
  try {
    await access(path);
  } catch {
    output.err(`loadgate: no baseline at ${path} yet: SLA verdicts only`);
    return undefined;
  }
  try {
    return await readRunResult(path);
  } catch (error) {
    if (error instanceof RunResultError) throw new ConfigError(`--baseline: ${error.message}`);
    throw error;
  }
}

/** `loadgate gate` = run + compare + report, with compare's exit codes (and 3 for the service). */
export async function gateCommand(
  settings: RunSettings,
  options: GateOptions,
  output: Output,
): Promise<{ exitCode: number; verdict?: Verdict; result?: RunResult }> {
  try {
    const baseline = await loadBaseline(options.baseline, output);
    const result = await executeRun({ ...settings, onProgress: progressPrinter(output) });
    // The result is written first: whatever the verdict, the measurement is kept.
    const outFile = await writeText(
      resolve(settings.cwd, options.out),
      `${JSON.stringify(result)}\n`,
    );
    output.out(runSummaryTable(result));
    output.out(`result written to ${outFile}\n`);
    const verdict = judge(baseline, result, options);
    if (options.report) {
      output.out(
        `report written to ${await writeText(options.report, renderMarkdown(verdict, result, baseline))}`,
      );
    }
    if (options.json) {
      output.out(
        `verdict written to ${await writeText(options.json, `${JSON.stringify(verdict, null, 2)}\n`)}`,
      );
    }
    output.out(renderTerminal(verdict));
    return { exitCode: verdict.failsCheck ? 1 : 0, verdict, result };
  } catch (error) {
    if (error instanceof RangeError || error instanceof IncompatibleResultsError) {
      output.err(`loadgate: ${error.message}`);
      return { exitCode: EXIT_USAGE };
    }
    return { exitCode: reportError(error, output) };
  }
}
