import type { RunResult } from '../result/types.js';

/** Where a run's baseline came from (or why there is none): data, worded by report/. */
export type BaselineDescription =
  | {
      kind: 'artifact';
      runId: number;
      runUrl: string;
      headSha: string;
      branch: string;
      createdAt: string;
      ageDays: number;
      artifactName: string;
    }
  | { kind: 'file'; display: string; gitSha: string | null; startedAt: string }
  /** Base and head measured side by side in this run (A/B): the base is its own commit. */
  | { kind: 'paired'; gitSha: string | null; origin: string | null }
  | { kind: 'none'; reason: string };

/** What looking for a baseline found; a missing baseline is never an error. */
export interface BaselineOutcome {
  result: RunResult | undefined;
  description: BaselineDescription;
  /** Shown as a workflow warning. */
  warning?: string;
  /** Shown as a notice. */
  notice?: string;
  /** A baseline exists but cannot be used: the action fails the check after publishing the run. */
  fatal?: string;
  /** The bare problem behind `fatal` (`<file>: <what is wrong>`), for the CLI's own message. */
  problem?: string;
}

export function noBaseline(reason: string, notice?: string): BaselineOutcome {
  return {
    result: undefined,
    description: { kind: 'none', reason },
    ...(notice === undefined ? {} : { notice }),
  };
}
