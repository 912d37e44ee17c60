/**
 * The history of the default branch in the action (result/history.ts): a pull request reads it
 * beside the baseline and is judged against it; a refresh (a push to the default branch that
 * saves the baseline) finds the previous baseline artifact, appends its own run to that
 * artifact's history, caps it, and uploads it with the new baseline (publishers.ts). No branch,
 * no new permission: the history lives in the same artifact as the baseline.
 *
 * A chain that breaks (no previous artifact, it expired, its history is unreadable, the API would
 * not say) starts a new history from this run, with a notice (a warning when something was lost
 * that should not have been: an unreadable history, a lookup that failed). A previous artifact
 * without a history (written by an older loadgate) seeds the new one with its baseline run.
 *
 * The accept label: a pull request that carries it has its regressions accepted (judge/); the
 * refresh on the push that merges it finds the merged pull request
 * (`GET /repos/{o}/{r}/commits/{sha}/pulls`) and, when it carried the label, marks its history
 * entry `accepted`, naming the scenarios this run finds regressed against the previous history.
 */
import { mergedPullOf } from '../github/commit-pulls.js';
import type { ArtifactHistory, BaselineLookup } from '../github/baseline-artifact.js';
import { judge } from '../judge/judge.js';
import type { JudgeOptions } from '../judge/types.js';
import type { History, HistoryRun } from '../result/history.js';
import { appendRun, emptyHistory, historyProblem, summarizeRun } from '../result/history-append.js';
import type { RunResult } from '../result/types.js';
import { defaultBranchStore, type FoundBaseline } from './baseline.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';

/** The judge's options for this run: the accept label when the pull request carries it. */
export function judgeOptionsFor(
  inputs: ActionInputs,
  deps: Pick<ActionDeps, 'ctx' | 'log'>,
): JudgeOptions {
  const { ctx, log } = deps;
  const labels = ctx.prNumber === undefined ? undefined : ctx.prLabels;
  const accepted = labels?.includes(inputs.acceptLabel) ? inputs.acceptLabel : undefined;
  if (accepted !== undefined) {
    log.info(`loadgate: the pull request carries ${accepted}: its regressions are accepted`);
  }
  return accepted === undefined ? inputs.judge : { ...inputs.judge, acceptedBy: accepted };
}

/** The history the baseline artifact held, judged against beside its run (when usable). */
export function judgedHistory(
  baseline: FoundBaseline,
  log: ActionDeps['log'],
): History | undefined {
  const found = baseline.result === undefined ? undefined : baseline.history;
  if (found !== undefined && 'history' in found) {
    log.info(
      `loadgate: the baseline artifact holds ${found.history.runs.length} run(s) of history`,
    );
    return found.history;
  }
  if (found !== undefined && 'problem' in found) {
    log.warning(
      `loadgate: the history in the baseline artifact is unusable (${found.problem}); judging against the baseline run alone. The next refresh starts a new history.`,
    );
  }
  return undefined;
}

/** The previous baseline artifact of a refresh, looked up as a pull request looks it up. */
export async function findPreviousBaseline(
  inputs: ActionInputs,
  deps: ActionDeps,
): Promise<BaselineLookup> {
  const access = await defaultBranchStore(
    inputs,
    deps,
    'no github-token to read the previous baseline artifact',
  );
  if ('problem' in access) return { missing: access.problem, lookupFailed: true };
  try {
    return await access.store.loadWithProvenance(inputs.baselineArtifact);
  } catch (error) {
    // A corrupt previous baseline: its history cannot be trusted either.
    return {
      missing: `the previous baseline artifact is unusable (${(error as Error).message})`,
    };
  }
}

export interface HistoryStart {
  history: History;
  /** What the log says about where the history came from. */
  notice?: string;
  warning?: string;
}

/** Where a refresh's history starts, from what the previous artifact held (pure). */
export function historyStart(previous: BaselineLookup): HistoryStart {
  if ('missing' in previous) {
    return previous.lookupFailed
      ? {
          history: emptyHistory(),
          warning: `could not read the previous baseline artifact (${previous.missing}): the history of the default branch starts anew with this run`,
        }
      : {
          history: emptyHistory(),
          notice: `no previous baseline artifact (${previous.missing}): a new history of the default branch starts with this run`,
        };
  }
  const held: ArtifactHistory = previous.history ?? { absent: true };
  if ('history' in held) return { history: held.history };
  if ('problem' in held) {
    return {
      history: emptyHistory(),
      warning: `the history in the previous baseline artifact (run ${previous.runId}) is unusable (${held.problem}): a new history starts with this run`,
    };
  }
  // An older loadgate's artifact: its baseline run is the first entry.
  const seed =
    historyProblem(previous.result) === undefined
      ? appendRun(emptyHistory(), summarizeRun(previous.result, { runId: previous.runId })).history
      : emptyHistory();
  return {
    history: seed,
    notice: `the previous baseline artifact (run ${previous.runId}) has no history yet: a new history starts with its run and this one`,
  };
}

/** The scenarios `result` finds regressed against the previous baseline and history (pure). */
export function regressedScenarios(
  result: RunResult,
  previous: BaselineLookup,
  history: History,
  options: JudgeOptions,
): string[] {
  if ('missing' in previous) return [];
  try {
    const verdict = judge(
      previous.result,
      result,
      { ...options, acceptedBy: undefined },
      history.runs.length > 0 ? history : undefined,
    );
    return verdict.scenarios.filter((s) => s.status === 'regression').map((s) => s.name);
  } catch {
    return [];
  }
}

/**
 * The history a refresh uploads: the previous artifact's, this run appended (marked accepted
 * when the merged pull request carried the accept label), capped. Never throws for GitHub.
 */
export async function nextHistory(
  result: RunResult,
  previous: BaselineLookup,
  inputs: ActionInputs,
  deps: ActionDeps,
): Promise<History | undefined> {
  const { ctx, log } = deps;
  const problem = historyProblem(result);
  if (problem !== undefined) {
    log.info(`loadgate: this run is not added to the history: ${problem}`);
    return undefined;
  }
  const start = historyStart(previous);
  if (start.notice) log.notice(`loadgate: ${start.notice}`);
  if (start.warning) log.warning(`loadgate: ${start.warning}`);
  const accepted = await acceptedMark(result, previous, start.history, inputs, deps);
  const entry: HistoryRun = summarizeRun(result, {
    ...(ctx.runId === undefined ? {} : { runId: ctx.runId }),
    ...(accepted === undefined ? {} : { accepted }),
  });
  const appended = appendRun(start.history, entry);
  log.info(
    `loadgate: history of the default branch: ${appended.history.runs.length} run(s)${appended.replaced ? ' (this workflow run replaced its earlier entry)' : ''}${appended.dropped > 0 ? `, the oldest ${appended.dropped} dropped (cap)` : ''}`,
  );
  return appended.history;
}

async function acceptedMark(
  result: RunResult,
  previous: BaselineLookup,
  history: History,
  inputs: ActionInputs,
  deps: ActionDeps,
): Promise<HistoryRun['accepted'] | undefined> {
  const { ctx, octokit, log } = deps;
  const sha = ctx.sha ?? result.git?.sha;
  if (!octokit || !sha || !ctx.owner || !ctx.isDefaultBranchPush || !ctx.defaultBranch) {
    return undefined;
  }
  const found = await mergedPullOf(
    octokit,
    { owner: ctx.owner, repo: ctx.repo, sha, branch: ctx.defaultBranch },
    deps.retry,
  );
  if ('problem' in found) {
    log.info(`loadgate: could not find the pull request this push merged (${found.problem})`);
    return undefined;
  }
  if (!found.pull?.labels.includes(inputs.acceptLabel)) return undefined;
  const scenarios = regressedScenarios(result, previous, history, inputs.judge);
  log.info(
    `loadgate: pull request #${found.pull.number} carried ${inputs.acceptLabel}: this run is marked as its accepted change${scenarios.length > 0 ? ` (${scenarios.join(', ')})` : ''}`,
  );
  return { label: inputs.acceptLabel, pullRequest: found.pull.number, scenarios };
}
