/**
 * Where this run's baseline comes from, and whether this run writes one.
 *
 * - `baseline: artifact`: the default branch's latest successful push run of this workflow in
 *   this repository (ArtifactBaselineStore). Anything missing (first run, expired, deleted, the
 *   API failing after retries) is "no baseline": SLA verdicts only, never a crash. A corrupt
 *   artifact is also "no baseline", with a warning (a result of an older loadgate version; the
 *   next push to the default branch replaces it).
 * - `baseline: <path>`: a committed RunResult file. Missing = no baseline (with a notice);
 *   corrupt = the run still happens and is published, then the check fails naming the file.
 * - A run that saves the baseline (push to the default branch) is not compared: it *is* the
 *   baseline.
 */
import { noBaseline, type BaselineOutcome } from '../baseline/outcome.js';
import { readBaselineFile } from '../baseline/read-file.js';
import { ArtifactBaselineStore, type BaselineLookup } from '../github/baseline-artifact.js';
import type { ActionsContext } from '../github/context.js';
import { withRetry } from '../github/retry.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';

export interface SaveDecision {
  save: boolean;
  /** Why a requested save was refused or is unusual. */
  warning?: string;
}

/** Events whose runs may carry code from a pull request: they never write the baseline. */
export function isPullRequestEvent(ctx: Pick<ActionsContext, 'eventName' | 'prNumber'>): boolean {
  return ctx.eventName.startsWith('pull_request') || ctx.prNumber !== undefined;
}

export function decideSave(
  mode: ActionInputs['saveBaseline'],
  ctx: Pick<ActionsContext, 'eventName' | 'prNumber' | 'isDefaultBranchPush' | 'headBranch'>,
): SaveDecision {
  if (mode === 'false') return { save: false };
  if (isPullRequestEvent(ctx)) {
    return mode === 'true'
      ? {
          save: false,
          warning:
            'save-baseline: true is ignored on pull requests: a pull request can never write the baseline (it would let unmerged code set the bar). The baseline is saved by pushes to the default branch.',
        }
      : { save: false };
  }
  if (mode === 'auto') return { save: ctx.isDefaultBranchPush };
  return ctx.isDefaultBranchPush
    ? { save: true }
    : {
        save: true,
        warning: `save-baseline: true on ${ctx.eventName}${ctx.headBranch ? ` of ${ctx.headBranch}` : ''}: the artifact is uploaded, but pull requests only read baselines from successful push runs on the default branch.`,
      };
}

/** What a lookup in artifacts found, as an outcome. */
export function fromArtifactLookup(found: BaselineLookup, branch: string): BaselineOutcome {
  if ('missing' in found) {
    return {
      result: undefined,
      description: { kind: 'none', reason: found.missing },
      notice: `no baseline: ${found.missing}; SLA verdicts only`,
    };
  }
  return {
    result: found.result,
    description: {
      kind: 'artifact',
      runId: found.runId,
      runUrl: found.runUrl,
      headSha: found.headSha,
      branch,
      createdAt: found.createdAt,
      ageDays: found.ageDays,
      artifactName: found.artifactName,
    },
  };
}

async function defaultBranchOf(deps: ActionDeps): Promise<string | undefined> {
  if (deps.ctx.defaultBranch) return deps.ctx.defaultBranch;
  if (!deps.octokit) return undefined;
  try {
    const { data } = await withRetry(
      () => deps.octokit!.rest.repos.get({ owner: deps.ctx.owner, repo: deps.ctx.repo }),
      deps.retry,
    );
    return data.default_branch;
  } catch {
    return undefined;
  }
}

/** This run's baseline, as `baseline:` says; never throws for a missing one. */
export async function findBaseline(
  inputs: ActionInputs,
  deps: ActionDeps,
  saving: boolean,
): Promise<BaselineOutcome> {
  const source = inputs.baseline;
  if (source.kind === 'none') return noBaseline('baseline: none');
  if (source.kind === 'file') return readBaselineFile(source.path, source.display);
  if (saving) return noBaseline('this run refreshes the baseline (push to the default branch)');
  const { ctx, octokit } = deps;
  const unavailable = (reason: string, warning: string): BaselineOutcome => ({
    ...noBaseline(reason),
    warning,
  });
  if (!octokit || !inputs.githubToken) {
    const reason = 'no github-token to read the baseline artifact with';
    return unavailable(reason, `${reason}: SLA verdicts only`);
  }
  if (!ctx.workflowFile || !ctx.owner) {
    const reason =
      'GITHUB_WORKFLOW_REF / GITHUB_REPOSITORY are not set (not running in GitHub Actions?)';
    return unavailable(reason, `no baseline: ${reason}`);
  }
  const branch = await defaultBranchOf(deps);
  if (!branch) {
    const reason = 'the default branch is unknown (no repository in the event payload)';
    return unavailable(reason, `no baseline: ${reason}`);
  }
  const store = new ArtifactBaselineStore({
    octokit,
    token: inputs.githubToken,
    owner: ctx.owner,
    repo: ctx.repo,
    workflow: ctx.workflowFile,
    defaultBranch: branch,
    artifactPrefix: '',
    ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  try {
    return fromArtifactLookup(await store.loadWithProvenance(inputs.baselineArtifact), branch);
  } catch (error) {
    // CorruptBaselineError: a result of another loadgate version or a broken upload.
    const message = (error as Error).message;
    return unavailable(
      `the baseline artifact is unusable (${message})`,
      `${message}. Comparing against no baseline; the next push to ${branch} replaces it.`,
    );
  }
}
