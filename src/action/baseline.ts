/**
 * Where this run's baseline comes from, and whether this run writes one.
 *
 * - `baseline: artifact`: the default branch's latest successful push run of this workflow in
 *   this repository (ArtifactBaselineStore). Never a crash, but two kinds of "no baseline":
 *   - **there is none** (first run, no successful push run yet, artifact expired or deleted):
 *     `on-missing-baseline` decides: `pass` a notice, `warn` (default) a warning, `fail` the
 *     check fails after publishing;
 *   - **could not look** (the API failing after retries, a token without `actions: read`, no
 *     token, a download error, a corrupt artifact): regression gating is off for this run without
 *     anyone having chosen it, so it is always a warning in the log and the report, and with
 *     `fail` the check fails too.
 * - `baseline: <path>`: a committed RunResult file. Missing = there is none (as above);
 *   corrupt = the run still happens and is published, then the check fails naming the file.
 * - A run that saves the baseline (push to the default branch) is not compared: it *is* the
 *   baseline; `baseline: none` and `base-commit` never look for one.
 */
import { noBaseline, type BaselineOutcome } from '../baseline/outcome.js';
import { readBaselineFile } from '../baseline/read-file.js';
import {
  ArtifactBaselineStore,
  type ArtifactHistory,
  type BaselineLookup,
} from '../github/baseline-artifact.js';
import type { ActionsContext } from '../github/context.js';
import { withRetry } from '../github/retry.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs, MissingBaselinePolicy } from './inputs.js';

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

/**
 * A pull request measured against a stored baseline only because `baseline` was left empty: the
 * default stays `artifact` (base-commit needs a start command, usually a setup command for the
 * base checkout, and twice the services), but the log and the job summary say what the
 * recommended setup is. Setting `baseline` to anything, `artifact` included, silences it.
 */
export function baselineAdvice(
  baseline: ActionInputs['baseline'],
  ctx: Pick<ActionsContext, 'eventName' | 'prNumber'>,
): string | undefined {
  if (baseline.kind !== 'artifact' || !baseline.byDefault || !isPullRequestEvent(ctx)) {
    return undefined;
  }
  return 'baseline is not set, so this pull request is compared with a stored run of the default branch, from another runner at another time. The recommended setup measures the base commit beside the head on this runner: baseline: base-commit, with start-command (and setup-command to prepare the base checkout, e.g. npm ci). Set baseline: artifact to keep the stored baseline without this warning.';
}

/** Why a run that should be compared has nothing to compare with. */
export type BaselineAbsence = 'none-yet' | 'lookup-failed';

/** What looking found, before on-missing-baseline applies. */
interface Lookup {
  outcome: BaselineOutcome;
  absence?: BaselineAbsence;
  /** The default branch's history the artifact held beside the baseline. */
  history?: ArtifactHistory;
}

/** The baseline, and the history of the default branch when the artifact had one. */
export type FoundBaseline = BaselineOutcome & { history?: ArtifactHistory };

/** What a lookup in artifacts found, as an outcome. */
export function fromArtifactLookup(found: BaselineLookup, branch: string): Lookup {
  if ('missing' in found) {
    return {
      outcome: noBaseline(found.missing),
      absence: found.lookupFailed ? 'lookup-failed' : 'none-yet',
    };
  }
  return {
    outcome: {
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
    },
    ...(found.history === undefined ? {} : { history: found.history }),
  };
}

/**
 * on-missing-baseline applied to what looking found (pure): the notice, warning or failure
 * (`fatal`: the check fails after the run is published, with a caution line in the report).
 */
export function applyMissingBaseline(
  lookup: Lookup,
  policy: MissingBaselinePolicy,
): BaselineOutcome {
  const { outcome, absence } = lookup;
  if (absence === undefined || outcome.result !== undefined || outcome.fatal !== undefined) {
    return outcome;
  }
  const reason = outcome.description.kind === 'none' ? outcome.description.reason : 'unknown';
  const { notice: _notice, warning: found, ...rest } = outcome;
  const failing = (text: string) =>
    policy === 'fail' ? { fatal: `${text} (on-missing-baseline: fail)`, problem: text } : {};
  if (absence === 'lookup-failed') {
    const hint = /HTTP 403/.test(reason) ? ' (the token needs `actions: read`)' : '';
    const warning =
      found ??
      `could not look for a baseline: ${reason}${hint}. Regressions are not checked in this run, only SLAs.`;
    return { ...rest, warning, ...failing(`could not look for a baseline: ${reason}`) };
  }
  const text = `no baseline: ${reason}`;
  if (policy === 'pass') return { ...rest, notice: `${text}; SLA verdicts only` };
  if (policy === 'warn') {
    return { ...rest, warning: `${text}; regressions are not checked, SLA verdicts only` };
  }
  return { ...rest, ...failing(`no baseline to compare with: ${reason}`) };
}

async function defaultBranchOf(
  deps: ActionDeps,
): Promise<{ branch: string } | { problem: string }> {
  if (deps.ctx.defaultBranch) return { branch: deps.ctx.defaultBranch };
  if (!deps.octokit) return { problem: 'no github-token to ask for the default branch' };
  try {
    const { data } = await withRetry(
      () => deps.octokit!.rest.repos.get({ owner: deps.ctx.owner, repo: deps.ctx.repo }),
      deps.retry,
    );
    return { branch: data.default_branch };
  } catch (error) {
    return {
      problem: `the default branch is unknown (no repository in the event payload, and GET /repos/${deps.ctx.owner}/${deps.ctx.repo} failed: ${(error as Error).message})`,
    };
  }
}

/**
 * The store of the default branch's baseline artifacts (this workflow's successful push runs),
 * or why it cannot be read: no token (`noToken` says so in the caller's words), not in GitHub
 * Actions, or a default branch it cannot find out. A pull request's lookup and a refresh's search
 * for the previous baseline both read through it.
 */
export async function defaultBranchStore(
  inputs: Pick<ActionInputs, 'githubToken'>,
  deps: ActionDeps,
  noToken: string,
): Promise<{ store: ArtifactBaselineStore; branch: string } | { problem: string }> {
  const { ctx, octokit } = deps;
  if (!octokit || !inputs.githubToken) return { problem: noToken };
  if (!ctx.workflowFile || !ctx.owner) {
    return {
      problem:
        'GITHUB_WORKFLOW_REF / GITHUB_REPOSITORY are not set (not running in GitHub Actions?)',
    };
  }
  const found = await defaultBranchOf(deps);
  if ('problem' in found) return found;
  const store = new ArtifactBaselineStore({
    octokit,
    token: inputs.githubToken,
    owner: ctx.owner,
    repo: ctx.repo,
    workflow: ctx.workflowFile,
    defaultBranch: found.branch,
    artifactPrefix: '',
    ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  return { store, branch: found.branch };
}

/** This run's baseline, as `baseline:` and `on-missing-baseline` say; never throws for a missing one. */
export async function findBaseline(
  inputs: ActionInputs,
  deps: ActionDeps,
  saving: boolean,
): Promise<FoundBaseline> {
  const lookup = await lookUp(inputs, deps, saving);
  const outcome = applyMissingBaseline(lookup, inputs.onMissingBaseline);
  return lookup.history === undefined ? outcome : { ...outcome, history: lookup.history };
}

async function lookUp(inputs: ActionInputs, deps: ActionDeps, saving: boolean): Promise<Lookup> {
  const source = inputs.baseline;
  if (source.kind === 'none') return { outcome: noBaseline('baseline: none') };
  if (source.kind === 'base-commit')
    return { outcome: noBaseline('the base commit is measured beside the head') };
  if (source.kind === 'file') {
    const outcome = await readBaselineFile(source.path, source.display);
    // Missing (not corrupt: that is `fatal` already) = there is none yet.
    const missing = outcome.result === undefined && outcome.fatal === undefined;
    return missing ? { outcome, absence: 'none-yet' } : { outcome };
  }
  if (saving) {
    return { outcome: noBaseline('this run refreshes the baseline (push to the default branch)') };
  }
  const couldNotLook = (reason: string): Lookup => ({
    outcome: noBaseline(reason),
    absence: 'lookup-failed',
  });
  const access = await defaultBranchStore(
    inputs,
    deps,
    'no github-token to read the baseline artifact with',
  );
  if ('problem' in access) return couldNotLook(access.problem);
  const { store, branch } = access;
  try {
    return fromArtifactLookup(await store.loadWithProvenance(inputs.baselineArtifact), branch);
  } catch (error) {
    // CorruptBaselineError: a result of another loadgate version or a broken upload.
    const message = (error as Error).message;
    const lookup = couldNotLook(`the baseline artifact is unusable (${message})`);
    return {
      ...lookup,
      outcome: {
        ...lookup.outcome,
        warning: `${message}. Comparing against no baseline; the next push to ${branch} replaces it.`,
      },
    };
  }
}
