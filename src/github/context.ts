/**
 * What loadgate needs to know about the workflow run it is in, read from the Actions
 * environment variables and the event payload (the JSON file at GITHUB_EVENT_PATH).
 * `readActionsContext` is pure: (env, payload) in, a typed object out.
 */
import { readFileSync } from 'node:fs';

export interface TriggeringRun {
  /** For `workflow_run` events: the run that triggered this one. */
  id: number;
  event: string;
  headSha: string;
  headBranch: string | undefined;
  conclusion: string | null;
  /** Empty for pull requests from forks: GitHub leaves `workflow_run.pull_requests` empty then. */
  prNumber: number | undefined;
  headRepository: string | undefined;
  isFork: boolean;
}

export interface ActionsContext {
  owner: string;
  repo: string;
  /** `owner/repo`. */
  repository: string;
  eventName: string;
  /** GITHUB_SHA: for pull_request events the merge commit, not the PR head. */
  sha: string | undefined;
  /** The commit under test: the PR head for pull requests, the run's head for workflow_run, else GITHUB_SHA. */
  headSha: string | undefined;
  ref: string | undefined;
  /** Branch of the commit under test (PR head branch, or the pushed branch). */
  headBranch: string | undefined;
  /** Target branch of a pull request. */
  baseBranch: string | undefined;
  /** `pull_request.base.sha` of a pull request event: the base branch tip the event saw. */
  baseSha: string | undefined;
  /** `repository.default_branch` from the payload. */
  defaultBranch: string | undefined;
  prNumber: number | undefined;
  /** `pull_request.labels[].name` of a pull request event (as the event saw them). */
  prLabels: string[] | undefined;
  /** The pull request comes from another repository: its token is read-only, no PR comments. */
  isFork: boolean;
  /** A push to the default branch: the event that refreshes the baseline. */
  isDefaultBranchPush: boolean;
  runId: number | undefined;
  runAttempt: number | undefined;
  runNumber: number | undefined;
  /** GITHUB_WORKFLOW (the workflow's display name). */
  workflowName: string | undefined;
  /** GITHUB_WORKFLOW_REF, e.g. `octo-org/admin-api/.github/workflows/perf.yml@refs/heads/main`. */
  workflowRef: string | undefined;
  /** `.github/workflows/perf.yml`. */
  workflowPath: string | undefined;
  /** `perf.yml`: what `GET /repos/{o}/{r}/actions/workflows/{workflow_id}/runs` accepts. */
  workflowFile: string | undefined;
  /** GITHUB_JOB (the job's id in the workflow file; equal across matrix legs). */
  job: string | undefined;
  actor: string | undefined;
  apiUrl: string;
  serverUrl: string;
  /** Set for `workflow_run` events. */
  triggeringRun: TriggeringRun | undefined;
}

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
function int(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}
function sameRepo(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Read and parse the event payload file; `{}` when GITHUB_EVENT_PATH is unset or unreadable. */
export function readEventPayload(env: Env = process.env): Json {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return obj(JSON.parse(readFileSync(path, 'utf8'))) ?? {};
  } catch {
    return {};
  }
}

/** Split GITHUB_WORKFLOW_REF (`owner/repo/<path>@<ref>`) into the workflow file's path. */
export function workflowPathFromRef(
  workflowRef: string | undefined,
  repository: string,
): string | undefined {
  if (!workflowRef) return undefined;
  const at = workflowRef.lastIndexOf('@');
  const left = at >= 0 ? workflowRef.slice(0, at) : workflowRef;
  const prefix = `${repository}/`;
  if (left.toLowerCase().startsWith(prefix.toLowerCase())) return left.slice(prefix.length);
  // A ref from another repository (should not happen for the caller's own workflow): drop owner/repo.
  return left.split('/').slice(2).join('/') || undefined;
}

/** What the event says about the commit and pull request under test. */
interface EventFacts {
  prNumber: number | undefined;
  prLabels?: string[];
  headSha: string | undefined;
  headBranch: string | undefined;
  baseBranch: string | undefined;
  baseSha: string | undefined;
  isFork: boolean;
  triggeringRun: TriggeringRun | undefined;
}

function pullRequestFacts(
  p: Record<string, unknown>,
  pr: Record<string, unknown>,
  ownName: string,
  sha: string | undefined,
): EventFacts {
  const head = obj(pr.head);
  const base = obj(pr.base);
  // head.repo is null when the fork was deleted: still a fork.
  const headRepo = str(obj(head?.repo)?.full_name);
  return {
    prNumber: int(pr.number) ?? int(p.number),
    prLabels: (Array.isArray(pr.labels) ? pr.labels : [])
      .map((label) => str(obj(label)?.name))
      .filter((name): name is string => name !== undefined),
    headSha: str(head?.sha) ?? sha,
    headBranch: str(head?.ref),
    baseBranch: str(base?.ref),
    baseSha: str(base?.sha),
    isFork: !sameRepo(headRepo, ownName),
    triggeringRun: undefined,
  };
}

function workflowRunFacts(
  workflowRun: Record<string, unknown>,
  ownName: string,
  sha: string | undefined,
): EventFacts {
  const headRepo = str(obj(workflowRun.head_repository)?.full_name);
  const runFork = !sameRepo(headRepo, ownName);
  const firstPr = obj(
    (Array.isArray(workflowRun.pull_requests) ? workflowRun.pull_requests : [])[0],
  );
  const triggeringRun: TriggeringRun = {
    id: int(workflowRun.id) ?? 0,
    event: str(workflowRun.event) ?? '',
    headSha: str(workflowRun.head_sha) ?? '',
    headBranch: str(workflowRun.head_branch),
    conclusion: str(workflowRun.conclusion) ?? null,
    prNumber: int(firstPr?.number),
    headRepository: headRepo,
    isFork: runFork,
  };
  return {
    prNumber: triggeringRun.prNumber,
    headSha: triggeringRun.headSha || sha,
    headBranch: triggeringRun.headBranch,
    baseBranch: undefined,
    baseSha: undefined,
    isFork: runFork,
    triggeringRun,
  };
}

function eventFacts(
  p: Record<string, unknown>,
  ownName: string,
  sha: string | undefined,
): EventFacts {
  const pr = obj(p.pull_request);
  if (pr) return pullRequestFacts(p, pr, ownName, sha);
  const workflowRun = obj(p.workflow_run);
  const issue = obj(p.issue);
  const none: EventFacts = {
    prNumber: undefined,
    headSha: sha,
    headBranch: undefined,
    baseBranch: undefined,
    baseSha: undefined,
    isFork: false,
    triggeringRun: undefined,
  };
  // issue_comment on a pull request
  if (issue && obj(issue.pull_request)) return { ...none, prNumber: int(issue.number) };
  if (workflowRun) return workflowRunFacts(workflowRun, ownName, sha);
  return none;
}

export function readActionsContext(env: Env, payload: unknown): ActionsContext {
  const p = obj(payload) ?? {};
  const repository = obj(p.repository);
  const fullName = str(env.GITHUB_REPOSITORY) ?? str(repository?.full_name) ?? '';
  const [owner = '', repo = ''] = fullName.split('/');
  const eventName = str(env.GITHUB_EVENT_NAME) ?? '';
  const ref = str(env.GITHUB_REF);
  const defaultBranch = str(repository?.default_branch);
  const facts = eventFacts(p, str(repository?.full_name) ?? fullName, str(env.GITHUB_SHA));
  const headBranch =
    facts.headBranch ??
    (ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined);
  const workflowRef = str(env.GITHUB_WORKFLOW_REF);
  const workflowPath = workflowPathFromRef(workflowRef, fullName);

  return {
    owner,
    repo,
    repository: fullName,
    eventName,
    sha: str(env.GITHUB_SHA),
    headSha: facts.headSha,
    ref,
    headBranch,
    baseBranch: facts.baseBranch,
    baseSha: facts.baseSha,
    defaultBranch,
    prNumber: facts.prNumber,
    prLabels: facts.prLabels,
    isFork: facts.isFork,
    isDefaultBranchPush:
      eventName === 'push' && defaultBranch !== undefined && ref === `refs/heads/${defaultBranch}`,
    runId: int(env.GITHUB_RUN_ID),
    runAttempt: int(env.GITHUB_RUN_ATTEMPT),
    runNumber: int(env.GITHUB_RUN_NUMBER),
    workflowName: str(env.GITHUB_WORKFLOW),
    workflowRef,
    workflowPath,
    workflowFile: workflowPath?.split('/').pop(),
    job: str(env.GITHUB_JOB),
    actor: str(env.GITHUB_ACTOR),
    apiUrl: str(env.GITHUB_API_URL) ?? 'https://api.github.com',
    serverUrl: str(env.GITHUB_SERVER_URL) ?? 'https://github.com',
    triggeringRun: facts.triggeringRun,
  };
}

/** The context of the current process: environment plus the event file. */
export function loadActionsContext(env: Env = process.env): ActionsContext {
  return readActionsContext(env, readEventPayload(env));
}
