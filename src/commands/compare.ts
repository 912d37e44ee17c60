/**
 * `loadgate compare <baseline.json> <current.json>`: judge a finished run against a baseline
 * file, write the markdown report and the verdict JSON if asked, and return an exit code:
 * 0 = passes, 1 = fails on what `--fail-on` names (default `sla,regression`; `none` never
 * fails), 2 = bad input (missing or corrupt file, wrong schema version, bad flag), with a
 * message naming the file or flag. Prints nothing: the CLI prints `terminal`.
 */
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { readHistoryFlag } from './history-flag.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../judge/options.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import type { History } from '../result/history.js';
import { readRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';

export interface CompareOptions {
  baseline: string;
  current: string;
  /** The default branch's history file (`loadgate history append`), judged against. */
  historyFile?: string;
  /** Write the markdown report here. */
  report?: string;
  /** Write the verdict JSON here. */
  json?: string;
  /** As typed: checked by judge/options.ts, like the action's inputs. */
  alpha?: string;
  minEffect?: string;
  /** "sla", "regression" (comma or space separated), or "none". */
  failOn?: string;
}

export interface CompareOutcome {
  exitCode: 0 | 1 | 2;
  verdict?: Verdict;
  terminal: string;
}

const usage = (message: string): CompareOutcome => ({
  exitCode: 2,
  terminal: `loadgate compare: ${message}`,
});

export async function compareCommand(opts: CompareOptions): Promise<CompareOutcome> {
  let options: JudgeOptions;
  try {
    options = parseJudgeOptions(opts, CLI_JUDGE_FIELDS);
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    throw e;
  }

  let baseline: RunResult;
  let current: RunResult;
  let history: History | undefined;
  try {
    baseline = await readRunResult(opts.baseline);
    current = await readRunResult(opts.current);
    if (opts.historyFile !== undefined) history = await readHistoryFlag(opts.historyFile);
  } catch (e) {
    if (e instanceof RunResultError || e instanceof ConfigError) return usage(e.message);
    throw e;
  }

  let verdict: Verdict;
  try {
    verdict = judge(baseline, current, options, history);
  } catch (e) {
    if (e instanceof IncompatibleResultsError || e instanceof RangeError) return usage(e.message);
    throw e;
  }

  const terminal = renderTerminal(verdict);
  try {
    if (opts.report) await writeFileAtomic(opts.report, renderMarkdown(verdict, current, baseline));
    if (opts.json) await writeFileAtomic(opts.json, `${JSON.stringify(verdict, null, 2)}\n`);
  } catch (e) {
    return {
      exitCode: 2,
      verdict,
      terminal: `${terminal}\nloadgate compare: cannot write output: ${(e as Error).message}`,
    };
  }
  return { exitCode: verdict.failsCheck ? 1 : 0, verdict, terminal };
}
