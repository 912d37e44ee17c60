/**
 * The gate, once, for both front ends (the action and `loadgate gate`): run → keep the result →
 * judge against the baseline → render. The front ends differ only in where the baseline comes
 * from (they find it before the run, so a corrupt file stops the CLI before any load) and where
 * the report goes.
 *
 * Order matters for "never lose a result": the result file is written before the judge or the
 * renderer can fail. A run that cannot happen (ConfigError, ServiceError) is thrown to the front
 * end, which reports it its own way.
 */
import type { BaselineOutcome } from '../baseline/outcome.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import { verdictKey } from '../report/comment-protocol.js';
import { baselineLine, cautionLine } from '../report/gate-text.js';
import { DEFAULT_MAX_CHARS, renderMarkdown } from '../report/markdown.js';
import type { RunResult } from '../result/types.js';
import { executeRun as runService, type RunSettings } from '../run/execute.js';

/** Job summaries may take 1 MiB: the full report is capped well below. */
export const FULL_REPORT_MAX_CHARS = 400_000;

export interface GateRunInput {
  settings: RunSettings;
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
  /** The run itself (tests and the action inject theirs). */
  executeRun?: (settings: RunSettings) => Promise<RunResult>;
  onResultWritten?: (path: string) => void;
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
  /** The report capped for a PR comment, and the fuller one for the summary and artifacts. */
  comment: string;
  report: string;
  verdictJson: string;
}

export async function runGate(input: GateRunInput): Promise<GateRunOutcome> {
  const result = await (input.executeRun ?? runService)(input.settings);
  const resultPath = await writeFileAtomic(input.resultPath, `${JSON.stringify(result)}\n`);
  input.onResultWritten?.(resultPath);

  const judged = judgeAgainst(input, result);
  const { verdict, compared } = judged;
  if (input.baseline.fatal) judged.problems.push(input.baseline.fatal);

  const options = {
    marker: input.markerKey,
    verdictKey: verdictKey(verdict),
    extraLines: [
      baselineLine(compared.description),
      ...(input.baseline.fatal ? [cautionLine(input.baseline.fatal)] : []),
    ],
  };
  const comment = renderMarkdown(verdict, result, compared.result, {
    ...options,
    maxChars: DEFAULT_MAX_CHARS,
    ...(input.hints ? { fullReportHint: input.hints.comment } : {}),
  });
  const report = renderMarkdown(verdict, result, compared.result, {
    ...options,
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

/** Judge against the baseline; one of another schema version is handled as the input says. */
function judgeAgainst(
  input: GateRunInput,
  result: RunResult,
): { verdict: Verdict; compared: BaselineOutcome; problems: string[]; warnings: string[] } {
  try {
    return {
      verdict: judge(input.baseline.result, result, input.judge),
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
