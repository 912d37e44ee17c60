/**
 * `loadgate compare <baseline.json> <current.json>`: judge a finished run against a baseline
 * file, write the markdown report and the verdict JSON if asked, and return an exit code:
 * 0 = passes, 1 = fails on what `--fail-on` names (default `sla,regression`; `none` never
 * fails), 2 = bad input (missing or corrupt file, wrong schema version, bad flag), with a
 * message naming the file or flag. Prints nothing: the CLI prints `terminal`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import type { FailOn, JudgeOptions, Verdict } from '../judge/types.js';
import { DEFAULT_JUDGE_OPTIONS } from '../judge/types.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import { readRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';

export interface CompareOptions {
  baseline: string;
  current: string;
  /** Write the markdown report here. */
  report?: string;
  /** Write the verdict JSON here. */
  json?: string;
  alpha?: number;
  minEffect?: number;
  /** Comma-separated: "sla", "regression", or "none". */
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

export function parseFailOn(value: string | undefined): Set<FailOn> {
  if (value === undefined) return new Set(DEFAULT_JUDGE_OPTIONS.failOn);
  const tokens = value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) {
    throw new ConfigError(
      `--fail-on is empty: use "sla", "regression", "sla,regression" or "none"`,
    );
  }
  if (tokens.includes('none')) {
    if (tokens.length > 1)
      throw new ConfigError(
        `--fail-on "none" cannot be combined with other values (got "${value}")`,
      );
    return new Set();
  }
  const out = new Set<FailOn>();
  for (const t of tokens) {
    if (t !== 'sla' && t !== 'regression') {
      throw new ConfigError(
        `--fail-on: unknown value "${t}": use "sla", "regression", "sla,regression" or "none"`,
      );
    }
    out.add(t);
  }
  return out;
}

function checkNumber(
  flag: string,
  value: number | undefined,
  fallback: number,
  ok: (v: number) => boolean,
  range: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new ConfigError(`${flag} must be a number ${range}, got ${String(value)}`);
  }
  return value;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, abs);
}

/** Check alpha, min-effect and fail-on; a bad one is a ConfigError naming the flag. */
export function resolveJudgeOptions(opts: {
  alpha?: number;
  minEffect?: number;
  failOn?: string;
}): JudgeOptions {
  return {
    alpha: checkNumber(
      '--alpha',
      opts.alpha,
      DEFAULT_JUDGE_OPTIONS.alpha,
      (v) => v > 0 && v <= 0.5,
      'greater than 0 and at most 0.5 (e.g. 0.05)',
    ),
    minEffect: checkNumber(
      '--min-effect',
      opts.minEffect,
      DEFAULT_JUDGE_OPTIONS.minEffect,
      (v) => v >= 0 && v < 1,
      'from 0 to below 1 (a share: 0.10 = 10 %)',
    ),
    failOn: parseFailOn(opts.failOn),
  };
}

export async function compareCommand(opts: CompareOptions): Promise<CompareOutcome> {
  let options: JudgeOptions;
  try {
    options = resolveJudgeOptions(opts);
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    throw e;
  }

  let baseline: RunResult;
  let current: RunResult;
  try {
    baseline = await readRunResult(opts.baseline);
    current = await readRunResult(opts.current);
  } catch (e) {
    if (e instanceof RunResultError) return usage(e.message);
    throw e;
  }

  let verdict: Verdict;
  try {
    verdict = judge(baseline, current, options);
  } catch (e) {
    if (e instanceof IncompatibleResultsError || e instanceof RangeError) return usage(e.message);
    throw e;
  }

  const terminal = renderTerminal(verdict);
  try {
    if (opts.report) await writeAtomic(opts.report, renderMarkdown(verdict, current, baseline));
    if (opts.json) await writeAtomic(opts.json, `${JSON.stringify(verdict, null, 2)}\n`);
  } catch (e) {
    return {
      exitCode: 2,
      verdict,
      terminal: `${terminal}\nloadgate compare: cannot write output: ${(e as Error).message}`,
    };
  }
  return { exitCode: verdict.failsCheck ? 1 : 0, verdict, terminal };
}
