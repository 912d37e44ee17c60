/**
 * `loadgate history append|show --file FILE`: the history of the default branch as a file, for
 * CI systems without the action's baseline artifact (the format: result/history.ts).
 *
 * - `append --result R [--run-id N] [--accepted LABEL [--pull-request N]]`: R's summary is added
 *   (in time order, the oldest beyond 50 dropped); a missing file starts a new history; a file
 *   that is not a valid history is refused (exit 2), never overwritten.
 * - `show [--last N]`: the runs (newest last), the median p95 of each scenario over the last
 *   runs, and the history's change points (judge/change-points.ts), newest first.
 *
 * Exit 0 on success, 2 for a missing, unreadable or invalid file or a result that cannot enter
 * the history (partial, a shard, nothing measured).
 */
import { resolve } from 'node:path';
import { median } from 'simple-statistics';
import { readHistoryFile, writeHistoryFile } from '../baseline/history-file.js';
import { formatMs, formatP, formatPercentChange, formatPp } from '../format/numbers.js';
import { detectChangePoints } from '../judge/change-points.js';
import type { History, HistoryRun } from '../result/history.js';
import { appendRun, emptyHistory, historyProblem, summarizeRun } from '../result/history-append.js';
import { HistoryError } from '../result/history-schema.js';
import { readRunResult, RunResultError } from '../result/schema.js';
import { EXIT_OK, EXIT_USAGE, type Output } from './run.js';

export const DEFAULT_HISTORY_FILE = 'baselines/history.json';

export type HistoryOptions =
  | {
      action: 'append';
      file: string;
      result: string;
      runId?: number;
      accepted?: { label: string; pullRequest?: number };
    }
  | { action: 'show'; file: string; last: number };

export async function historyCommand(
  options: HistoryOptions,
  output: Output,
): Promise<{ exitCode: number; history?: History }> {
  try {
    return options.action === 'append'
      ? await append(options, output)
      : await show(options, output);
  } catch (error) {
    if (error instanceof HistoryError || error instanceof RunResultError) {
      output.err(`loadgate history: ${error.message}`);
      return { exitCode: EXIT_USAGE };
    }
    throw error;
  }
}

async function append(
  options: Extract<HistoryOptions, { action: 'append' }>,
  output: Output,
): Promise<{ exitCode: number; history: History }> {
  const file = resolve(options.file);
  const found = await readHistoryFile(file, options.file);
  const result = await readRunResult(options.result);
  const problem = historyProblem(result);
  if (problem !== undefined) {
    output.err(`loadgate history: ${options.result} is not added: ${problem}`);
    return { exitCode: EXIT_USAGE, history: 'history' in found ? found.history : emptyHistory() };
  }
  const run = summarizeRun(result, {
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.accepted === undefined ? {} : { accepted: { ...options.accepted, scenarios: [] } }),
  });
  const appended = appendRun('history' in found ? found.history : emptyHistory(), run);
  await writeHistoryFile(file, appended.history);
  if ('missing' in found) output.err(`loadgate history: ${found.missing}: a new history starts`);
  const what = appended.replaced ? 'replaced the entry of' : 'appended';
  const dropped = appended.dropped > 0 ? `, the oldest ${appended.dropped} dropped` : '';
  output.out(
    `${what} ${shortSha(run.commit)} (${run.startedAt.slice(0, 16).replace('T', ' ')}) to ${options.file}: ${appended.history.runs.length} runs${dropped}`,
  );
  return { exitCode: EXIT_OK, history: appended.history };
}

const shortSha = (sha: string | null): string => (sha ? sha.slice(0, 7) : '(no commit)');

function pad(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => pad(r, widths));
}

/** One line per run, newest last. */
export function runLines(history: History, last: number): string[] {
  const runs = history.runs.slice(-last);
  const first = history.runs.length - runs.length;
  return table([
    ['#', 'started (UTC)', 'commit', 'cpu ms', 'mem ms', 'machine', 'accepted'],
    ...runs.map((r, i) => [
      String(first + i + 1),
      r.startedAt.slice(0, 16).replace('T', ' '),
      shortSha(r.commit),
      r.probe ? r.probe.cpuMs.toFixed(1) : '–',
      r.probe ? r.probe.memoryMs.toFixed(1) : '–',
      r.machine.description,
      r.accepted
        ? `${r.accepted.label}${r.accepted.pullRequest ? ` #${r.accepted.pullRequest}` : ''}`
        : '',
    ]),
  ]);
}

/** Per scenario: the median p95 of each of the last runs, oldest first. */
export function p95Lines(history: History, last: number): string[] {
  const runs = history.runs.slice(-last);
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.scenarios)))];
  return names.map((name) => {
    const cells = runs.map((r: HistoryRun) => {
      const v = r.scenarios[name]?.p95;
      return v && v.length > 0 ? formatMs(median(v)).replace(/ ms$/, '') : '–';
    });
    return `${name}: ${cells.join(' ')}`;
  });
}

/** The change points of the history (judge/change-points.ts), one line each, newest first. */
export function changePointLines(history: History): string[] {
  const found = detectChangePoints(history);
  const minSegment = found.options.minSegment;
  if (found.series === 0 && found.profileRuns < 2 * minSegment) {
    return [
      `change points: not searched yet (a series needs ${2 * minSegment} runs of main, ${found.profileRuns} so far)`,
    ];
  }
  const head = `change points (E-Divisive, α ${found.options.alpha} over ${found.series} series, steps ≥ ${(found.options.minEffect * 100).toFixed(0)} %):`;
  if (found.changePoints.length === 0) return [`${head} none`];
  const lines = [...found.changePoints]
    .sort((a, b) => b.run - a.run)
    .map((cp) => {
      const change = cp.unit === 'pp' ? formatPp(cp.change) : formatPercentChange(cp.change);
      const range = `${cp.commits.from ? `${shortSha(cp.commits.from)}..` : ''}${shortSha(cp.commits.to)}`;
      const why = cp.expected
        ? `expected (${cp.expected.label}${cp.expected.pullRequest ? ` #${cp.expected.pullRequest}` : ''})`
        : cp.direction;
      const also = cp.coincides.length > 0 ? `; ${cp.coincides.join('; ')}` : '';
      return `  ${cp.scenario} ${cp.metric} ${change} from run #${cp.run + 1} (${cp.startedAt.slice(0, 10)}, ${range}), p ${formatP(cp.pValue)}: ${why}${also}`;
    });
  return [head, ...lines];
}

async function show(
  options: Extract<HistoryOptions, { action: 'show' }>,
  output: Output,
): Promise<{ exitCode: number; history?: History }> {
  const found = await readHistoryFile(resolve(options.file), options.file);
  if ('missing' in found) {
    output.err(`loadgate history: ${found.missing} (loadgate history append --result FILE)`);
    return { exitCode: EXIT_USAGE };
  }
  const { history } = found;
  const shown = Math.min(options.last, history.runs.length);
  output.out(
    `${options.file}: ${history.runs.length} runs${shown < history.runs.length ? `, the last ${shown} shown` : ''}`,
  );
  if (history.runs.length > 0) {
    output.out(runLines(history, options.last).join('\n'));
    output.out('');
    output.out(`median p95 (ms) of each run, oldest first:`);
    output.out(p95Lines(history, options.last).join('\n'));
  }
  output.out('');
  output.out(changePointLines(history).join('\n'));
  return { exitCode: EXIT_OK, history };
}
