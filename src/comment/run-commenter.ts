/**
 * The trusted half of the fork-safe pattern: on `workflow_run` (the default branch's code, with
 * a write token), take the loadgate report artifact(s) of the triggering pull_request run, verify
 * the PR number and head sha they claim against the event and the API, and post the sticky
 * comment. Nothing from the artifact is executed and none of its markdown is posted: two small
 * files are read (`pr.json`, `loadgate-verdict.json`), size-limited and validated strictly, and
 * the comment is rebuilt here from the verdict with loadgate's own renderers
 * (verdict-comment.ts). Bounded: at most MAX_ARTIFACTS artifacts of at most MAX_ARTIFACT_BYTES,
 * never extracted (a zip bomb), the two files read out with caps of their own. The GitHub adapters and the log are
 * passed in (comment/main.ts).
 */
import type { BaselineArtifactClient } from '../github/baseline-artifact.js';
import type { ActionsContext, TriggeringRun } from '../github/context.js';
import { withRetry } from '../github/retry.js';
import {
  isReadOnlyTokenError,
  upsertStickyComment,
  type Octokit,
} from '../github/sticky-comment.js';
import {
  commentMarker,
  ERROR_VERDICT_KEY,
  protocolHead,
  readVerdictKey,
} from '../report/comment-protocol.js';
import { Refused, type CommenterInputs } from './inputs.js';
import { readArtifactFiles, withTempDir } from './small-files.js';
import { forkComment, type TrustedRunFacts } from './verdict-comment.js';
import { parseVerdict } from './verdict-schema.js';
import { checkAgainstPull, checkAgainstTrigger, jobOfArtifact, parsePrClaim } from './verify.js';

const MAX_PR_JSON = 4 * 1024;
const MAX_VERDICT = 4 * 1024 * 1024;
const VERDICT_FILE = 'loadgate-verdict.json';
/** Artifacts listed per page (the API's maximum), and the most pages read. */
const PER_PAGE = 100;
const MAX_PAGES = 50;
/**
 * The most bytes a report artifact (its zip) may have to be downloaded: a report artifact of
 * loadgate is far smaller, and the archive is never extracted, only two files read out of it
 * with their own caps (small-files.ts).
 */
export const MAX_ARTIFACT_BYTES = 5 * 1024 * 1024;
/**
 * The most report artifacts read from one run (matrix legs): each costs a download, an API call
 * and a comment, and the run that uploaded them may be hostile.
 */
export const MAX_ARTIFACTS = 20;

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
      `loadgate: mode comment runs on workflow_run events (this is ${ctx.eventName || 'no event'}); see the README, "Fork pull requests"`,
    );
  }
  deps.setOutput('comment-url', '');
  if (trigger.event !== 'pull_request') {
    log.info(
      `loadgate (comment mode): the triggering run was a ${trigger.event} run: nothing to comment`,
    );
    return [];
  }
  const artifacts = withinBounds(await reportArtifacts(inputs, deps, trigger), log);
  if (artifacts.length === 0) {
    log.notice(
      `loadgate (comment mode): run ${trigger.id} has no ${inputs.artifactName || 'loadgate-report-*'} artifact (the loadgate step may not have run): nothing to comment`,
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
  /** The zip's size as the API lists it. */
  size: number;
}

/**
 * The artifacts to read: none over MAX_ARTIFACT_BYTES, at most MAX_ARTIFACTS (by name), each
 * left out with a notice.
 */
function withinBounds(artifacts: ReportArtifact[], log: CommenterDeps['log']): ReportArtifact[] {
  const small = artifacts.filter((a) => {
    if (a.size <= MAX_ARTIFACT_BYTES) return true;
    log.notice(
      `loadgate (comment mode): artifact ${a.name} is ${a.size} bytes, more than a loadgate report (at most ${MAX_ARTIFACT_BYTES}): not read`,
    );
    return false;
  });
  const sorted = small.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length > MAX_ARTIFACTS) {
    log.notice(
      `loadgate (comment mode): the run has ${sorted.length} loadgate report artifacts; only the first ${MAX_ARTIFACTS} by name are read (${sorted[MAX_ARTIFACTS]?.name} and after are not)`,
    );
  }
  return sorted.slice(0, MAX_ARTIFACTS);
}

async function reportArtifacts(
  inputs: CommenterInputs,
  deps: CommenterDeps,
  trigger: TriggeringRun,
): Promise<ReportArtifact[]> {
  const { owner, repo } = deps.ctx;
  const listed: ReportArtifact[] = [];
  // A run may hold more than one page of artifacts (matrix legs, other tools): read them all.
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await withRetry(() =>
      deps.octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: trigger.id,
        per_page: PER_PAGE,
        page,
        ...(inputs.artifactName === '' ? {} : { name: inputs.artifactName }),
      }),
    );
    for (const a of data.artifacts) {
      if (
        !a.expired &&
        jobOfArtifact(a.name) !== undefined &&
        (inputs.artifactName === '' || a.name === inputs.artifactName)
      ) {
        listed.push({ id: a.id, name: a.name, size: a.size_in_bytes });
      }
    }
    if (data.artifacts.length < PER_PAGE || page * PER_PAGE >= data.total_count) break;
  }
  // A re-run's upload under the same name: keep the newest (highest id) of each name.
  const newest = new Map<string, ReportArtifact>();
  for (const a of listed) if ((newest.get(a.name)?.id ?? -1) < a.id) newest.set(a.name, a);
  return [...newest.values()];
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
  // The archive itself, never extracted: a zip bomb would fill the disk (small-files.ts).
  await deps.artifactClient.downloadArtifact(artifact.id, {
    path: dir,
    skipDecompress: true,
    findBy: {
      token: inputs.token,
      repositoryOwner: owner,
      repositoryName: repo,
      workflowRunId: trigger.id,
    },
  });
  const files = await readArtifactFiles(
    dir,
    { 'pr.json': MAX_PR_JSON, [VERDICT_FILE]: MAX_VERDICT },
    MAX_ARTIFACT_BYTES,
  ).catch((error: unknown) => {
    throw error instanceof Refused ? new Refused(`${artifact.name}: ${error.message}`) : error;
  });
  const prText = files.get('pr.json');
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
    {
      headSha: pull.head.sha,
      baseRepository: pull.base.repo.full_name,
      state: pull.state,
      headRef: pull.head.ref,
      headRepository: pull.head.repo === null ? null : pull.head.repo.full_name,
    },
    repository,
    trigger,
  );
  if (!byApi.ok) {
    if (!byApi.stale) throw new Refused(`artifact ${artifact.name}: ${byApi.reason}`);
    deps.log.notice(`loadgate (comment mode): ${byApi.reason}`);
    return;
  }
  const facts: TrustedRunFacts = {
    job,
    artifactName: artifact.name,
    runId: trigger.id,
    runUrl: `${deps.ctx.serverUrl}/${repository}/actions/runs/${trigger.id}`,
    headSha: trigger.headSha,
    conclusion: trigger.conclusion,
  };
  const verdictText = files.get(VERDICT_FILE);
  let body: string;
  if (verdictText === undefined) {
    body = noVerdictComment(facts);
  } else {
    const parsed = parseVerdict(verdictText);
    if ('error' in parsed) throw new Refused(`artifact ${artifact.name}: ${parsed.error}`);
    body = forkComment(parsed.verdict, facts);
  }
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
  deps.log.info(
    `loadgate (comment mode): ${out.action} the comment on #${claim.number}: ${out.url}`,
  );
  deps.setOutput('comment-url', out.url);
}

/**
 * An artifact without a verdict: the run could not judge (the service did not start, crashed, or
 * the run was cancelled; its partial result may be in the artifact). A fixed text: nothing from
 * the artifact but its verified commit.
 */
function noVerdictComment(facts: TrustedRunFacts): string {
  return [
    protocolHead(facts.job, ERROR_VERDICT_KEY),
    '### ❌ loadgate: the run produced no verdict',
    '',
    `The pull request's [run ${facts.runId}](${encodeURI(facts.runUrl)}) of \`${facts.headSha.slice(0, 7)}\` ` +
      `(concluded **${facts.conclusion ?? 'not finished'}**) could not judge this change: the service did not start, ` +
      `crashed, or the run was cancelled. The reason and any partial result are in that run's job summary and artifact \`${facts.artifactName.replace(/[`\r\n]/g, '')}\`.`,
    '',
  ].join('\n');
}
