/**
 * What the action's orchestration gets from its entry (src/main.ts): the parsed context, the
 * GitHub adapters and the log. Tests of the pieces can pass their own.
 */
import type { BaselineArtifactClient } from '../github/baseline-artifact.js';
import type { ActionsContext } from '../github/context.js';
import type { RetryOptions } from '../github/retry.js';
import type { Octokit } from '../github/sticky-comment.js';
import type { RunResult } from '../result/types.js';
import type { RunSettings } from '../run/execute.js';

export const OUTPUT_NAMES = [
  'verdict',
  'regressions',
  'sla-breaches',
  'results-path',
  'report-path',
  'comment-url',
  'change-points',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export interface ActionLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** A folded group in the step's log (core.group); the default just runs `work`. */
  group?<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * A group opened and closed by events rather than around one piece of work (core.startGroup,
   * core.endGroup): the run's progress, a group per scenario. Without them, plain lines.
   */
  startGroup?(name: string): void;
  endGroup?(): void;
}

export interface ActionDeps {
  ctx: ActionsContext;
  /** Absent without a github-token: no API calls (no artifact baseline, no comment). */
  octokit: Octokit | undefined;
  log: ActionLog;
  setOutput(name: OutputName, value: string): void;
  executeRun: (settings: RunSettings) => Promise<RunResult>;
  env: Record<string, string | undefined>;
  artifactClient?: BaselineArtifactClient;
  retry?: RetryOptions;
  /** Retention of the baseline artifact (days, default 90) and of the report artifact (30). */
  baselineRetentionDays?: number;
  reportRetentionDays?: number;
}
