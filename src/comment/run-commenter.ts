/**
 * The trusted half of the fork-safe pattern: on `workflow_run` (the default branch's code, with
 * a write token), take the loadgate report artifact(s) of the triggering pull_request run, verify
 * the PR number and head sha they claim against the event and the API, and post the sticky
 * comment. Nothing from the artifact is executed: two small text files are read (`pr.json`,
 * `comment.md`), size-limited, and the comment's hidden lines are rebuilt here. The GitHub
 * adapters and the log are passed in (comment/main.ts wires them).
 */
import type { BaselineArtifactClient } from '../github/baseline-artifact.js';
import type { ActionsContext, TriggeringRun } from '../github/context.js';
import { REPORT_FILE } from '../github/report-artifact.js';
import { withRetry } from '../github/retry.js';
import {
  isReadOnlyTokenError,
  upsertStickyComment,
  type Octokit,
} from '../github/sticky-comment.js';
import { commentMarker, readVerdictKey } from '../report/comment-protocol.js';
import { Refused, type CommenterInputs } from './inputs.js';
import { readSmallFile, withTempDir } from './small-files.js';
import {
  checkAgainstPull,
  checkAgainstTrigger,
  commentBodyFrom,
  jobOfArtifact,
  parsePrClaim,
} from './verify.js';

const MAX_PR_JSON = 4 * 1024;
const MAX_REPORT = 1024 * 1024;

export interface CommenterDeps {
  ctx: ActionsContext;
  octokit: Octokit;
  artifactClient: Pick<BaselineArtifactClient, 'downloadArtifact'>;
  log: { info(message: string): void; notice(message: string): void };
  setOutput(name: 'comment-url', value: string): void;
  tempDir: string;
}

/** Posts what can be verified; returns the refusals (the step fails when there are any). */
export async function runCommenter(
  inputs: CommenterInputs,
  deps: CommenterDeps,
): Promise<string[]> {
  const { ctx, log } = deps;
  const trigger = ctx.triggeringRun;
  if (ctx.eventName !== 'workflow_run' || !trigger) {
    throw new Refused(
      `loadgate/comment runs on workflow_run events (this is ${ctx.eventName || 'no event'}); see the README, "Fork pull requests"`,
    );
  }
  deps.setOutput('comment-url', '');
  if (trigger.event !== 'pull_request') {
    log.info(`loadgate/comment: the triggering run was a ${trigger.event} run: nothing to comment`);
    return [];
  }
  const artifacts = await reportArtifacts(inputs, deps, trigger);
  if (artifacts.length === 0) {
    log.notice(
      `loadgate/comment: run ${trigger.id} has no ${inputs.artifactName || 'loadgate-report-*'} artifact (the loadgate step may not have run): nothing to comment`,
    );
    return [];
  }
  const refusals: string[] = [];
  for (const artifact of artifacts) {
    try {
      await withTempDir(deps.tempDir, (dir) =>
        postFromArtifact(artifact, dir, inputs, deps, trigger),
      );
    } catch (error) {
      if (error instanceof Refused) refusals.push(error.message);
      else if (isReadOnlyTokenError(error) || (error as Error).name === 'ReadOnlyTokenError') {
        throw new Refused(
          'the token cannot write comments: give the workflow permissions: pull-requests: write',
        );
      } else throw error;
    }
  }
  return refusals;
}

interface ReportArtifact {
  id: number;
  name: string;
}

async function reportArtifacts(
  inputs: CommenterInputs,
  deps: CommenterDeps,
  trigger: TriggeringRun,
): Promise<ReportArtifact[]> {
  const { owner, repo } = deps.ctx;
  const { data } = await withRetry(() =>
    deps.octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: trigger.id,
      per_page: 100,
    }),
  );
  return data.artifacts.filter(
    (a) =>
      !a.expired &&
      jobOfArtifact(a.name) !== undefined &&
      (inputs.artifactName === '' || a.name === inputs.artifactName),
  );
}

/** Download one report artifact, verify its claim, and post (or skip a stale one). */
async function postFromArtifact(
  artifact: ReportArtifact,
  dir: string,
  inputs: CommenterInputs,
  deps: CommenterDeps,
  trigger: TriggeringRun,
): Promise<void> {
  const { owner, repo, repository } = deps.ctx;
  const job = jobOfArtifact(artifact.name) as string;
  await deps.artifactClient.downloadArtifact(artifact.id, {
    path: dir,
    findBy: {
      token: inputs.token,
      repositoryOwner: owner,
      repositoryName: repo,
      workflowRunId: trigger.id,
    },
  });
  const prText = await readSmallFile(dir, 'pr.json', MAX_PR_JSON);
  if (prText === undefined) throw new Refused(`artifact ${artifact.name} has no pr.json`);
  const claim = parsePrClaim(prText);
  if ('error' in claim) throw new Refused(`artifact ${artifact.name}: ${claim.error}`);
  const byEvent = checkAgainstTrigger(claim, trigger);
  if (!byEvent.ok) throw new Refused(`artifact ${artifact.name}: ${byEvent.reason}`);
  const { data: pull } = await withRetry(() =>
    deps.octokit.rest.pulls.get({ owner, repo, pull_number: claim.number }),
  );
  const byApi = checkAgainstPull(
    claim,
    { headSha: pull.head.sha, baseRepository: pull.base.repo.full_name, state: pull.state },
    repository,
  );
  if (!byApi.ok) {
    if (!byApi.stale) throw new Refused(`artifact ${artifact.name}: ${byApi.reason}`);
    deps.log.notice(`loadgate/comment: ${byApi.reason}`);
    return;
  }
  const report =
    (await readSmallFile(dir, 'comment.md', MAX_REPORT)) ??
    (await readSmallFile(dir, REPORT_FILE, MAX_REPORT));
  if (report === undefined) throw new Refused(`artifact ${artifact.name} has no report`);
  const body = commentBodyFrom(report, job);
  const key = readVerdictKey(body);
  const out = await upsertStickyComment(deps.octokit, {
    owner,
    repo,
    issueNumber: claim.number,
    marker: commentMarker(job),
    body,
    onlyIfChanged:
      inputs.mode === 'on-change' && key !== undefined
        ? (previous) => readVerdictKey(previous) !== key
        : () => true,
  });
  deps.log.info(`loadgate/comment: ${out.action} the comment on #${claim.number}: ${out.url}`);
  deps.setOutput('comment-url', out.url);
}
