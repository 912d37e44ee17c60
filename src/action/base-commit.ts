/**
 * Which commit the base side of `baseline: base-commit` runs, and why, decided from what git and
 * the event say, and every sentence about it. Pure: base-worktree.ts alone asks, with the facts it
 * read (git cat-file, the event payload), and fetches and checks out the answer.
 *
 * - `base-ref` set: that ref, whatever the event (resolved and fetched by the caller).
 * - Pull request events: actions/checkout checks out the test merge commit refs/pull/N/merge, whose
 *   first parent is the base branch tip it was merged onto; that is the fair base (head = base +
 *   the pull request), better than `pull_request.base.sha`, which GitHub does not move when the
 *   base branch does. When HEAD is not that merge commit (the user checked out the PR head), the
 *   payload's `pull_request.base.sha` is all there is.
 * - Other events: HEAD's first parent.
 */

/** A problem finding or preparing the base commit. The message is for users and names a fix. */
export class BaseCommitError extends Error {
  override readonly name: string = 'BaseCommitError';
}

export interface HeadCommit {
  sha: string;
  /** In order: for a merge commit, [the branch merged onto, the branch merged in]. */
  parents: readonly string[];
}

/** What a pull request event's payload says (`pull_request.base.sha` / `.head.sha`). */
export interface PullRequestShas {
  baseSha: string | undefined;
  headSha: string | undefined;
}

export interface BaseCommitFacts {
  /** GITHUB_EVENT_NAME. */
  eventName: string;
  /** GITHUB_REF (`refs/pull/7/merge`): only for the explanation. */
  ref?: string | undefined;
  head: HeadCommit;
  /** From the event payload; undefined when the event has no pull request. */
  pullRequest?: PullRequestShas | undefined;
  /** The `base-ref` input; blank means unset. */
  baseRef?: string | undefined;
}

/** A known sha: the caller checks it is in the clone and fetches it when it is not. */
export interface CommitChoice {
  kind: 'commit';
  sha: string;
  reason: string;
}

/** A name or sha the user gave: the caller resolves it, fetching it from origin if needed. */
export interface RefChoice {
  kind: 'ref';
  ref: string;
  reason: string;
}

export type BaseChoice = CommitChoice | RefChoice;

const SHA_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The 7-character form used in messages. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function sha(value: unknown): string | undefined {
  return typeof value === 'string' && SHA_RE.test(value) ? value : undefined;
}

/** `pull_request.base.sha` and `.head.sha` of an event payload; undefined without a pull request. */
export function pullRequestShas(payload: unknown): PullRequestShas | undefined {
  const pr = obj(obj(payload)?.pull_request);
  if (pr === undefined) return undefined;
  return { baseSha: sha(obj(pr.base)?.sha), headSha: sha(obj(pr.head)?.sha) };
}

/**
 * The parents listed in `git cat-file -p <commit>` output. The raw object keeps its parent lines
 * in a shallow clone too, where the parents themselves are missing.
 */
export function parseCommitParents(catFileText: string): string[] {
  const headerEnd = catFileText.indexOf('\n\n');
  const header = headerEnd === -1 ? catFileText : catFileText.slice(0, headerEnd);
  const lines = header.split('\n');
  if (!lines[0]?.startsWith('tree ')) {
    throw new BaseCommitError(
      `expected a commit object from git cat-file -p, got: ${JSON.stringify(catFileText.slice(0, 80))}`,
    );
  }
  const parents: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('parent ')) continue;
    const parent = line.slice('parent '.length).trim();
    if (!SHA_RE.test(parent))
      throw new BaseCommitError(`malformed parent line in a commit: ${line}`);
    parents.push(parent);
  }
  return parents;
}

function isPullRequestEvent(facts: BaseCommitFacts): boolean {
  return facts.eventName.startsWith('pull_request') || facts.pullRequest !== undefined;
}

/**
 * HEAD is the pull request's test merge commit: two parents, the second being the PR head when the
 * payload names it (so a base-branch tip that is itself a merge, as pull_request_target checks
 * out, or a PR head that merged main in, is not mistaken for it).
 */
function isPullRequestMerge(head: HeadCommit, pr: PullRequestShas | undefined): boolean {
  if (head.parents.length !== 2) return false;
  return pr?.headSha === undefined || head.parents[1] === pr.headSha;
}

function fromPullRequest(facts: BaseCommitFacts): CommitChoice {
  const { head, pullRequest: pr } = facts;
  const first = head.parents[0];
  if (first !== undefined && isPullRequestMerge(head, pr)) {
    const where = facts.ref ? ` (${facts.ref})` : '';
    return {
      kind: 'commit',
      sha: first,
      reason: `first parent of the merge commit ${shortSha(head.sha)}${where}`,
    };
  }
  const why =
    pr?.headSha === head.sha
      ? `HEAD ${shortSha(head.sha)} is the pull request head, not its merge commit`
      : `HEAD ${shortSha(head.sha)} is not the pull request's merge commit`;
  if (pr?.baseSha === undefined) {
    throw new BaseCommitError(
      `cannot tell the base commit: ${why}, and the event payload has no pull_request.base.sha. ` +
        'Check out the merge commit (actions/checkout does by default on pull_request) or set base-ref.',
    );
  }
  return {
    kind: 'commit',
    sha: pr.baseSha,
    reason: `the pull request's base commit ${shortSha(pr.baseSha)} (pull_request.base.sha; ${why})`,
  };
}

function fromParent(head: HeadCommit): CommitChoice {
  const first = head.parents[0];
  if (first === undefined) {
    throw new BaseCommitError(
      `cannot tell the base commit: HEAD ${shortSha(head.sha)} has no parent (the repository's first commit). ` +
        'Set base-ref to the commit to compare against.',
    );
  }
  const which = head.parents.length > 1 ? 'first parent of the merge commit' : 'parent of';
  return { kind: 'commit', sha: first, reason: `${which} HEAD ${shortSha(head.sha)}` };
}

/** Which commit the base side runs, and a short explanation for the log and the report. */
export function chooseBaseCommit(facts: BaseCommitFacts): BaseChoice {
  const baseRef = facts.baseRef?.trim();
  if (baseRef) return { kind: 'ref', ref: baseRef, reason: `base-ref "${baseRef}"` };
  const choice = isPullRequestEvent(facts) ? fromPullRequest(facts) : fromParent(facts.head);
  assertNotHead(choice.sha, facts.head.sha, choice.reason);
  return choice;
}

/** The explanation once a base-ref is resolved: `base-ref "main" (1a2b3c4)`. */
export function describeResolvedRef(ref: string, resolvedSha: string): string {
  return `base-ref "${ref}" (${shortSha(resolvedSha)})`;
}

/**
 * What a base equal to HEAD is answered with. pull_request_target checks out the base branch's
 * tip, so its users are the likely ones to meet it. Checking out the pull request there instead
 * would run its code with that event's write token and secrets (a "pwn request",
 * action/untrusted-code.ts), so the advice is the pull_request event, whose merge commit has the
 * base as its first parent.
 */
export const SAME_AS_HEAD_ADVICE =
  'Run loadgate on pull_request: actions/checkout then checks out the merge commit, whose first parent is the base. ' +
  'Otherwise set base-ref to another commit. On pull_request_target, never check out the pull request: ' +
  "its code would run with the workflow's write token and secrets (docs/security.md).";

/** Both sides running one commit would measure nothing: refuse it, with the likely cause. */
export function assertNotHead(baseSha: string, headSha: string, reason: string): void {
  if (baseSha !== headSha) return;
  throw new BaseCommitError(
    `the base commit is HEAD itself (${shortSha(headSha)}, ${reason}): both sides would run the same code. ` +
      SAME_AS_HEAD_ADVICE,
  );
}
