/**
 * Where the action puts a finished run: the job summary, the report artifact, the baseline
 * artifact (refreshes only) and the sticky comment. Each is a publisher: it runs in its own
 * folded group of the step's log and fails alone, so one broken destination never loses the
 * others. Only the baseline's failure fails the check (pull requests would compare against a
 * stale baseline without anyone noticing); the rest become warnings.
 */
import { ArtifactBaselineStore } from '../github/baseline-artifact.js';
import { reportArtifactName, uploadReportArtifact } from '../github/report-artifact.js';
import { setCommentMinimized } from '../github/minimize-comment.js';
import {
  ReadOnlyTokenError,
  updateStickyComment,
  upsertStickyComment,
  type Octokit,
  type StickyCommentOptions,
} from '../github/sticky-comment.js';
import { writeJobSummary } from '../github/summary.js';
import { commentMarker, readVerdictKey } from '../report/comment-protocol.js';
import { baselineProblem } from '../pipeline/keep-result.js';
import { asStoredBaseline } from '../result/ab.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import type { ActionDeps, ActionLog } from './deps.js';
import type { ActionInputs } from './inputs.js';

export interface Publisher {
  /** The log group's title. */
  name: string;
  publish(): Promise<void>;
  /** Its failure fails the check (the baseline artifact); other publishers only warn. */
  failsCheck?: boolean;
}

/** Run every publisher, each in its own group; returns the failures that fail the check. */
export async function runPublishers(
  publishers: readonly Publisher[],
  log: ActionLog,
): Promise<string[]> {
  const failures: string[] = [];
  for (const publisher of publishers) {
    const work = async (): Promise<void> => {
      try {
        await publisher.publish();
      } catch (error) {
        const message = `loadgate: ${publisher.name} failed: ${(error as Error)?.message ?? String(error)}`;
        if (publisher.failsCheck) failures.push(message);
        else log.warning(message);
      }
    };
    await (log.group ? log.group(`loadgate: ${publisher.name}`, work) : work());
  }
  return failures;
}

export function jobSummaryPublisher(markdown: string, log: ActionLog): Publisher {
  return {
    name: 'job summary',
    publish: async () => {
      const summary = await writeJobSummary(markdown);
      if (summary.warning) log.warning(`loadgate: ${summary.warning}`);
      else log.info(`loadgate: job summary written (${summary.bytes} bytes)`);
    },
  };
}

export function reportArtifactPublisher(
  /** No result when the run never measured anything (the service did not start). */
  files: { result?: RunResult; markdown: string; extraFiles: Record<string, string> },
  jobKey: string,
  deps: ActionDeps,
): Publisher {
  return {
    name: 'report artifact',
    publish: async () => {
      const uploaded = await uploadReportArtifact({
        ...files,
        job: jobKey,
        retentionDays: deps.reportRetentionDays ?? 30,
        ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
      });
      if (uploaded.ok) deps.log.info(`loadgate: report artifact ${uploaded.name} uploaded`);
      else deps.log.warning(`loadgate: ${uploaded.warning}`);
    },
  };
}

export function baselineArtifactPublisher(
  result: RunResult,
  inputs: ActionInputs,
  deps: ActionDeps,
  /** The default branch's history with this run appended (action/history.ts), uploaded beside it. */
  history?: History,
): Publisher {
  const retention = deps.baselineRetentionDays ?? 90;
  return {
    name: 'baseline artifact',
    failsCheck: true,
    publish: async () => {
      const { ctx } = deps;
      const store = new ArtifactBaselineStore({
        // Uploading uses the runner's ACTIONS_RUNTIME_TOKEN; octokit and token are for reads only.
        octokit: deps.octokit as Octokit,
        token: inputs.githubToken ?? '',
        owner: ctx.owner,
        repo: ctx.repo,
        workflow: ctx.workflowFile ?? '',
        defaultBranch: ctx.defaultBranch ?? '',
        artifactPrefix: '',
        retentionDays: retention,
        ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
      });
      // An A/B run stores its head side only: a stored baseline is always a single run.
      const stored = asStoredBaseline(result);
      // Never store what pull requests could not compare against (checked as they will read it).
      const problem = baselineProblem(stored);
      if (problem !== undefined) {
        throw new Error(
          `this run's result is not saved as the baseline artifact ${inputs.baselineArtifact}: ${problem}. ` +
            'Pull requests keep comparing against the previous baseline.',
        );
      }
      try {
        const saved = await store.upload(inputs.baselineArtifact, stored, history);
        deps.log.info(
          `loadgate: baseline saved as artifact ${saved.name} (id ${saved.id ?? '?'}, kept ${retention} days or the repository's limit)`,
        );
      } catch (error) {
        throw new Error(
          `could not save the baseline artifact ${inputs.baselineArtifact}: ${(error as Error).message}. ` +
            'Pull requests keep comparing against the previous baseline; re-run this job to retry.',
          { cause: error },
        );
      }
    },
  };
}

/** What the comment publisher posts. */
export interface CommentToPost {
  markerKey: string;
  body: string;
  verdictKey: string;
  /** Whether this run fails the check (`comment: on-failure`); absent: it does (an error report). */
  failsCheck?: boolean;
}

/** The sticky comment; `onUrl` gets its URL (nothing when none was written). */
export function commentPublisher(
  comment: CommentToPost,
  inputs: ActionInputs,
  deps: ActionDeps,
  onUrl: (url: string) => void,
): Publisher {
  return {
    name: 'pull request comment',
    publish: async () => {
      const url = await postComment(comment, inputs, deps);
      if (url !== undefined) onUrl(url);
    },
  };
}

async function postComment(
  comment: CommentToPost,
  inputs: ActionInputs,
  deps: ActionDeps,
): Promise<string | undefined> {
  const { ctx, octokit, log } = deps;
  if (inputs.comment === 'never') return undefined;
  if (ctx.prNumber === undefined) {
    log.info(`loadgate: no pull request in this ${ctx.eventName || 'run'}: no comment`);
    return undefined;
  }
  if (!octokit) {
    log.warning('loadgate: no github-token: the pull request comment is skipped');
    return undefined;
  }
  const sticky: StickyCommentOptions = {
    owner: ctx.owner,
    repo: ctx.repo,
    issueNumber: ctx.prNumber,
    marker: commentMarker(comment.markerKey),
    body: comment.body,
    onlyIfChanged:
      inputs.comment === 'on-change'
        ? (previous: string) => readVerdictKey(previous) !== comment.verdictKey
        : () => true,
    ...(deps.retry ? { retry: deps.retry } : {}),
  };
  try {
    if (inputs.comment === 'on-failure') return await onFailure(octokit, sticky, comment, deps);
    const out = await upsertStickyComment(octokit, sticky);
    log.info(`loadgate: comment ${out.action}: ${out.url}`);
    if (out.truncated) log.warning("loadgate: the comment was cut to fit GitHub's size limit");
    return out.url;
  } catch (error) {
    if (error instanceof ReadOnlyTokenError) {
      const artifact = reportArtifactName(comment.markerKey);
      log.notice(
        `loadgate could not comment on pull request #${ctx.prNumber}: the token is read-only (pull requests from forks get one). ` +
          `The verdict still decides this check; the report is in the job summary and the artifact ${artifact}. ` +
          'To comment on fork pull requests, add the workflow_run comment workflow (uses: <loadgate>/comment), see the README, "Fork pull requests".',
      );
      return undefined;
    }
    throw new Error(
      `${(error as Error).message}; the report is in the job summary and the report artifact`,
      { cause: error },
    );
  }
}

/**
 * `comment: on-failure`: a failing run comments (and shows its comment again if a passing run
 * had hidden it); a passing run writes nothing, unless an earlier run's comment is there: that
 * one is updated to this run's report and hidden as outdated, so a green pull request is quiet.
 */
async function onFailure(
  octokit: Octokit,
  sticky: StickyCommentOptions,
  comment: CommentToPost,
  deps: ActionDeps,
): Promise<string | undefined> {
  const { log } = deps;
  if (comment.failsCheck ?? true) {
    const out = await upsertStickyComment(octokit, sticky);
    log.info(`loadgate: the check fails: comment ${out.action}: ${out.url}`);
    if (out.action !== 'created') await minimized(octokit, out.nodeId, false, deps);
    return out.url;
  }
  const out = await updateStickyComment(octokit, sticky);
  if (out === undefined) {
    log.info('loadgate: the check passes: no comment (comment: on-failure)');
    return undefined;
  }
  log.info(`loadgate: the check passes now: the earlier comment ${out.action}: ${out.url}`);
  await minimized(octokit, out.nodeId, true, deps);
  return out.url;
}

/** Hide the comment as outdated (or show it again); a failure is a warning, never the check's. */
async function minimized(
  octokit: Octokit,
  nodeId: string,
  hidden: boolean,
  deps: ActionDeps,
): Promise<void> {
  try {
    const done = await setCommentMinimized(octokit, nodeId, hidden, deps.retry);
    if (done === 'changed')
      deps.log.info(`loadgate: comment ${hidden ? 'hidden as outdated' : 'shown again'}`);
  } catch (error) {
    deps.log.warning(
      `loadgate: could not ${hidden ? 'hide the earlier comment as outdated' : 'show the hidden comment again'}: ${(error as Error)?.message ?? String(error)}`,
    );
  }
}
