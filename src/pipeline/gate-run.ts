/**
 * The gate, once, for both front ends (the action and `loadgate gate`): run → keep the result →
 * judge against the baseline → render. The front ends differ only in where the baseline comes
 * from (they find it before the run, so a corrupt file stops the CLI before any load) and where
 * the report goes.
 *
 * Order matters for "never lose a result": the result so far is written after each scenario
 * (marked partial), the whole result before the judge or the renderer can fail, and a path that
 * cannot be written keeps the result elsewhere (keep-result.ts). A run that cannot happen or ends
 * early (ConfigError, ServiceError) is thrown to the front end, which reports it its own way with
 * the last partial result (`onPartial`).
 */
import { errorLine } from '../format/error-text.js';
import type { BaselineOutcome } from '../baseline/outcome.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import { verdictKey } from '../report/comment-protocol.js';
import { baselineLine, cautionLine, warningLine } from '../report/gate-text.js';
import { DEFAULT_MAX_CHARS, renderMarkdown, type ReportLinks } from '../report/markdown.js';
import type { TrendScope } from '../report/sections/trends.js';
import { abBaseRun } from '../result/ab.js';
import type { History } from '../result/history.js';
import type { AbSection, RunResult } from '../result/types.js';
import { onSignalExit } from '../service/cleanup.js';
import { keepResult, PartialResults, type KeepOptions, type PartialEvent } from './keep-result.js';

/** Job summaries may take 1 MiB: the full report is capped well below. */
export const FULL_REPORT_MAX_CHARS = 400_000;

export interface GateRunInput {
  /**
   * The measurement: a single run (run/execute.ts) or base and head side by side (run/ab-run.ts).
   * It hands `onPartialResult` to the run (RunSettings.onPartialResult): the result so far is
   * then written to `resultPath` after each scenario.
   */
  measure: (onPartialResult: (partial: RunResult) => Promise<void>) => Promise<RunResult>;
  /** Found by the front end before the run. */
  baseline: BaselineOutcome;
  judge: JudgeOptions;
  /** Where the result JSON goes, written first. */
  resultPath: string;
  /** The sticky marker key: the job (and name) in the action, `loadgate` in the CLI. */
  markerKey: string;
  /** Where a reader finds what a trimmed report left out, for the comment and the full report. */
  hints?: { comment: string; full: string };
  /**
   * A baseline of another schema version: `fail` (a file the user chose: the gate fails naming
   * it) or `sla-only` (an artifact: compared against nothing, with a warning).
   */
  incompatibleBaseline: 'fail' | 'sla-only';
  onResultWritten?: (path: string) => void;
  /** Each partial result written, or the first that could not be (to warn). */
  onPartial?: (event: PartialEvent) => void;
  /**
   * The process got SIGTERM / SIGINT / SIGHUP while measuring: the last partial result (its
   * `reason` set) is on disk; publish it before the process exits (service/cleanup.ts).
   */
  onSignal?: (
    partial: { result: RunResult; path: string } | undefined,
    signal: NodeJS.Signals,
  ) => Promise<void>;
  /** Where the result goes when `resultPath` cannot be written (keep-result.ts). */
  keep?: KeepOptions;
  /**
   * The history of the default branch as loaded (before this run is added): the reports show its
   * trends, and when `judged` a stored baseline is judged against it (judge/history-verdict.ts:
   * a pull request's artifact, `--history`). A refresh on the default branch only shows it: that
   * run becomes the baseline.
   */
  history?: { runs: History; judged: boolean };
  /** Trends of the changed scenarios (default) or of all (a refresh on the default branch). */
  trends?: TrendScope;
  /** Warnings about the setup for the full report (the job summary), not the comment. */
  reportWarnings?: string[];
  /** Where the reports link to: the workflow run, the report artifact, the statistics doc. */
  links?: ReportLinks;
}

export interface GateRunOutcome {
  result: RunResult;
  resultPath: string;
  verdict: Verdict;
  /** The baseline the verdict was judged against (none when it could not be compared). */
  compared: BaselineOutcome;
  /** What fails the gate besides the verdict (a corrupt or incompatible baseline file). */
  problems: string[];
  /** Worth a warning in the log (an incompatible artifact baseline). */
  warnings: string[];
  /** The PR comment (the comment's layout), and the full report for the summary and artifacts. */
  comment: string;
  report: string;
  verdictJson: string;
}

const PARTIALS = new WeakMap<object, { result: RunResult; path: string }>();

/**
 * The partial result of a run that `runGate` threw for (it ended early): the scenarios that
 * finished, marked partial with the reason, and where it was written.
 */
export function partialOf(error: unknown): { result: RunResult; path: string } | undefined {
  return typeof error === 'object' && error !== null ? PARTIALS.get(error) : undefined;
}

/** Why a run ended early, in one line (the partial result's `reason`). */
export function endedBy(error: unknown): string {
  return errorLine(error);
}

export async function runGate(input: GateRunInput): Promise<GateRunOutcome> {
  const partials = new PartialResults(input.resultPath, input.onPartial);
  const dropSignalWork = onSignalExit(async (signal) => {
    const kept = await partials.close(`stopped by ${signal}`);
    await input.onSignal?.(kept, signal);
  });
  let result: RunResult;
  try {
    result = await input.measure(partials.write);
  } catch (error) {
    const kept = await partials.close(endedBy(error));
    if (kept !== undefined && typeof error === 'object' && error !== null) {
      PARTIALS.set(error, kept);
    }
    throw error;
  } finally {
    dropSignalWork();
  }
  const resultPath = await keepResult(input.resultPath, result, input.keep);
  input.onResultWritten?.(resultPath);

  const judged = judgeAgainst(input, result);
  const { verdict } = judged;
  const compared = result.ab ? pairedBaseline({ ...result, ab: result.ab }) : judged.compared;
  if (input.baseline.fatal) judged.problems.push(input.baseline.fatal);

  const options = {
    marker: input.markerKey,
    verdictKey: verdictKey(verdict),
    extraLines: [
      baselineLine(compared.description),
      ...(input.baseline.fatal ? [cautionLine(input.baseline.fatal)] : []),
      // A baseline that could not be looked up (or is unusable): said in the report, not only the log.
      ...(input.baseline.warning ? [warningLine(input.baseline.warning)] : []),
    ],
    // Trends on main.
    ...(input.history ? { history: input.history.runs } : {}),
    ...(input.trends ? { trends: input.trends } : {}),
    ...(input.links ? { links: input.links } : {}),
  };
  const comment = renderMarkdown(verdict, result, compared.result, {
    ...options,
    layout: 'comment',
    maxChars: DEFAULT_MAX_CHARS,
    ...(input.hints ? { fullReportHint: input.hints.comment } : {}),
  });
  const report = renderMarkdown(verdict, result, compared.result, {
    ...options,
    layout: 'full',
    extraLines: [...options.extraLines, ...(input.reportWarnings ?? []).map(warningLine)],
    maxChars: FULL_REPORT_MAX_CHARS,
    ...(input.hints ? { fullReportHint: input.hints.full } : {}),
  });
  return {
    result,
    resultPath,
    verdict,
    compared,
    problems: judged.problems,
    warnings: judged.warnings,
    comment,
    report,
    verdictJson: `${JSON.stringify(verdict, null, 2)}\n`,
  };
}

/** An A/B run's baseline is its own base side. */
function pairedBaseline(result: RunResult & { ab: AbSection }): BaselineOutcome {
  const { ab } = result;
  return {
    result: abBaseRun(result),
    description: {
      kind: 'paired',
      gitSha: ab.base.git?.sha ?? null,
      origin: ab.base.origin ?? null,
    },
  };
}

/** Judge against the baseline; one of another schema version is handled as the input says. */
function judgeAgainst(
  input: GateRunInput,
  result: RunResult,
): { verdict: Verdict; compared: BaselineOutcome; problems: string[]; warnings: string[] } {
  const history = input.history?.judged ? input.history.runs : undefined;
  try {
    return {
      verdict: judge(input.baseline.result, result, input.judge, history),
      compared: input.baseline,
      problems: [],
      warnings: [],
    };
  } catch (error) {
    if (!(error instanceof IncompatibleResultsError)) throw error;
    const reason = `the baseline cannot be compared (${error.message})`;
    return {
      verdict: judge(undefined, result, input.judge),
      compared: { result: undefined, description: { kind: 'none', reason } },
      problems: input.incompatibleBaseline === 'fail' ? [reason] : [],
      warnings: input.incompatibleBaseline === 'sla-only' ? [`${reason}: SLA verdicts only`] : [],
    };
  }
}
