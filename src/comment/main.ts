/**
 * `uses: <loadgate>/comment`: the trusted half of the fork-safe pattern. Runs on `workflow_run`
 * (the default branch's code, with a write token), takes the loadgate report artifact(s) of the
 * triggering pull_request run, verifies the PR number and head sha they claim against the event
 * and the API, and posts the sticky comment. Nothing from the artifact is executed: two small
 * text files are read (`pr.json`, `comment.md`), size-limited, and the comment's markers are
 * rebuilt here.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_FILE } from '../github/report-artifact.js';
import { loadActionsContext } from '../github/context.js';
import { withRetry } from '../github/retry.js';
import { isReadOnlyTokenError, upsertStickyComment } from '../github/sticky-comment.js';
import { commentMarker, readVerdictKey } from '../action/report-text.js';
import {
  checkAgainstPull,
  checkAgainstTrigger,
  commentBodyFrom,
  jobOfArtifact,
  parsePrClaim,
} from './verify.js';

const MAX_PR_JSON = 4 * 1024;
const MAX_REPORT = 1024 * 1024;

class Refused extends Error {}

/** A regular file inside `dir` (no symlinks), at most `max` bytes, as text; undefined if absent. */
async function readSmallFile(dir: string, name: string, max: number): Promise<string | undefined> {
  const path = join(dir, name);
  let info;
  try {
    info = await lstat(path);
  } catch {
    return undefined;
  }
  if (!info.isFile()) throw new Refused(`${name} in the artifact is not a regular file`);
  if (info.size > max) throw new Refused(`${name} in the artifact is larger than ${max} bytes`);
  return readFile(path, 'utf8');
}

export async function run(): Promise<void> {
  try {
    const token = core.getInput('github-token').trim();
    if (token === '')
      throw new Refused(
        'input github-token is empty (it needs pull-requests: write and actions: read)',
      );
    core.setSecret(token);
    const mode = (core.getInput('comment').trim() || 'always').toLowerCase();
    if (mode !== 'always' && mode !== 'on-change') {
      throw new Refused(`input comment: expected "always" or "on-change", got "${mode}"`);
    }
    const wanted = core.getInput('artifact-name').trim();
    const ctx = loadActionsContext();
    const trigger = ctx.triggeringRun;
    if (ctx.eventName !== 'workflow_run' || !trigger) {
      throw new Refused(
        `loadgate/comment runs on workflow_run events (this is ${ctx.eventName || 'no event'}); see the README, "Fork pull requests"`,
      );
    }
    core.setOutput('comment-url', '');
    if (trigger.event !== 'pull_request') {
      core.info(
        `loadgate/comment: the triggering run was a ${trigger.event} run: nothing to comment`,
      );
      return;
    }
    const octokit = getOctokit(token);
    const { owner, repo, repository } = ctx;
    const { data } = await withRetry(() =>
      octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: trigger.id,
        per_page: 100,
      }),
    );
    const artifacts = data.artifacts.filter(
      (a) =>
        !a.expired && jobOfArtifact(a.name) !== undefined && (wanted === '' || a.name === wanted),
    );
    if (artifacts.length === 0) {
      core.notice(
        `loadgate/comment: run ${trigger.id} has no ${wanted || 'loadgate-report-*'} artifact (the loadgate step may not have run): nothing to comment`,
      );
      return;
    }
    const client = new DefaultArtifactClient();
    const refusals: string[] = [];
    for (const artifact of artifacts) {
      const job = jobOfArtifact(artifact.name) as string;
      const dir = await mkdtemp(join(process.env.RUNNER_TEMP ?? tmpdir(), 'loadgate-comment-'));
      try {
        await client.downloadArtifact(artifact.id, {
          path: dir,
          findBy: {
            token,
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
          octokit.rest.pulls.get({ owner, repo, pull_number: claim.number }),
        );
        const byApi = checkAgainstPull(
          claim,
          { headSha: pull.head.sha, baseRepository: pull.base.repo.full_name, state: pull.state },
          repository,
        );
        if (!byApi.ok) {
          if (byApi.stale) {
            core.notice(`loadgate/comment: ${byApi.reason}`);
            continue;
          }
          throw new Refused(`artifact ${artifact.name}: ${byApi.reason}`);
        }
        const report =
          (await readSmallFile(dir, 'comment.md', MAX_REPORT)) ??
          (await readSmallFile(dir, REPORT_FILE, MAX_REPORT));
        if (report === undefined) throw new Refused(`artifact ${artifact.name} has no report`);
        const body = commentBodyFrom(report, job);
        const key = readVerdictKey(body);
        const out = await upsertStickyComment(octokit, {
          owner,
          repo,
          issueNumber: claim.number,
          marker: commentMarker(job),
          body,
          onlyIfChanged:
            mode === 'on-change' && key !== undefined
              ? (previous) => readVerdictKey(previous) !== key
              : () => true,
        });
        core.info(`loadgate/comment: ${out.action} the comment on #${claim.number}: ${out.url}`);
        core.setOutput('comment-url', out.url);
      } catch (error) {
        if (error instanceof Refused) refusals.push(error.message);
        else if (isReadOnlyTokenError(error) || (error as Error).name === 'ReadOnlyTokenError') {
          throw new Refused(
            'the token cannot write comments: give the workflow permissions: pull-requests: write',
          );
        } else throw error;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (refusals.length > 0) {
      core.setFailed(
        `loadgate/comment refused to comment:\n${refusals.map((r) => `- ${r}`).join('\n')}`,
      );
    }
  } catch (error) {
    core.setFailed(
      error instanceof Refused
        ? error.message
        : `loadgate/comment: ${(error as Error)?.message ?? String(error)}`,
    );
  }
}
