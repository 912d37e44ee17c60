import { parseRunResult, readResultText, RunResultError } from '../result/schema.js';
import { noBaseline, type BaselineOutcome } from './outcome.js';

/**
 * The one reader of a baseline file (the action's `baseline: <path>`, the CLI's `--baseline`).
 * Missing = no baseline, with a notice; unreadable, too large (MAX_RESULT_BYTES) or corrupt =
 * `fatal`, naming the file: the
 * action still runs and publishes, then fails the check; the CLI stops before any load.
 */
export async function readBaselineFile(path: string, display: string): Promise<BaselineOutcome> {
  let text: string;
  try {
    text = await readResultText(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const reason = `no baseline file at ${display} yet (commit a result there, e.g. the results-path output of a run on the default branch)`;
      return noBaseline(reason, reason);
    }
    const problem = `${display}: cannot read (${(e as Error).message})`;
    const fatal = `baseline file ${display} cannot be read (${(e as Error).message})`;
    return { ...noBaseline(fatal), fatal, problem };
  }
  try {
    const result = parseRunResult(text, display);
    return {
      result,
      description: {
        kind: 'file',
        display,
        gitSha: result.git?.sha ?? null,
        startedAt: result.startedAt,
      },
    };
  } catch (e) {
    if (!(e instanceof RunResultError)) throw e;
    return {
      ...noBaseline(`baseline file ${display} is corrupt`),
      fatal: `baseline file ${e.message}. Fix or replace it (a result JSON from this loadgate version), or set baseline: none.`,
      problem: e.message,
    };
  }
}
