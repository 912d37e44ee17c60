/**
 * One sticky PR comment per job: found by a hidden HTML marker among the comments the token's own
 * identity wrote, updated in place, created when absent.
 *
 * - The identity is asked of GitHub (tokenLogin): GraphQL `viewer { login }` answers user tokens
 *   (a PAT: the user's login) and installation tokens alike (GITHUB_TOKEN: `github-actions[bot]`,
 *   a GitHub App's: `<app-slug>[bot]`); REST `GET /user` is the fallback for user tokens. Only
 *   when neither answers is `github-actions[bot]` assumed.
 *
 * - All pages of comments are searched (octokit.paginate follows the `Link: rel="next"` URLs).
 * - A body over GitHub's 65,536-character limit is never sent: it is cut with a note.
 * - A fork PR's read-only token answers 403 "Resource not accessible by integration": that becomes
 *   a ReadOnlyTokenError for the caller to log once and go on.
 * - 5xx/429/network failures retry the whole find-then-write (2 retries, backoff): a create that
 *   reached GitHub before its 502 is found by the retry and updated, not duplicated.
 * - updateStickyComment only updates: `comment: on-failure` rewrites an earlier failing comment
 *   when a run passes, and writes nothing when there is none.
 */
import type { getOctokit } from '@actions/github';
import { redact } from '../redact/index.js';
import { hasMarker, neutraliseBody } from '../report/comment-protocol.js';
import { isRetryable, statusOf, withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';
import { truncateMarkdown } from './truncate.js';

export type Octokit = ReturnType<typeof getOctokit>;

/** GitHub rejects comment bodies longer than this (characters). */
export const COMMENT_MAX_CHARS = 65_536;
/** The author of comments written with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export class ReadOnlyTokenError extends Error {
  readonly status = 403;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadOnlyTokenError';
  }
}

/** 403 "Resource not accessible by integration" (or any 403 on a write with a GITHUB_TOKEN of a fork). */
export function isReadOnlyTokenError(error: unknown): boolean {
  if (statusOf(error) !== 403) return false;
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  const message = `${typeof data?.message === 'string' ? data.message : ''} ${(error as Error).message ?? ''}`;
  return /not accessible by integration/i.test(message);
}

/**
 * The body to send: the marker guaranteed present, and at most `max` characters (cut with a note
 * pointing to the job summary when longer).
 */
export function capCommentBody(
  body: string,
  marker: string,
  max = COMMENT_MAX_CHARS,
): { body: string; truncated: boolean } {
  const withMarker = hasMarker(body, marker) ? body : `${marker}\n${body}`;
  if (withMarker.length <= max) return { body: withMarker, truncated: false };
  const rest = withMarker.split(marker).join('');
  const note = `> [!NOTE]\n> This comment was cut to fit GitHub's ${COMMENT_MAX_CHARS.toLocaleString('en-US')}-character limit; the full report is in the job summary and the report artifact.`;
  const cut = truncateMarkdown(rest.replace(/^\n+/, ''), max - marker.length - 1, note);
  return { body: `${marker}\n${cut.text}`, truncated: true };
}

export interface StickyCommentOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden marker identifying the comment, e.g. commentMarker('perf') (report/comment-protocol.ts). */
  marker: string;
  body: string;
  /**
   * Called with the existing comment's body; return true to update it, false to leave it
   * ('unchanged'). Without it, an existing comment is left alone only when its body is identical.
   */
  onlyIfChanged?: (previousBody: string) => boolean;
  /** Author whose comments are searched (default: the token's own login, tokenLogin); null: any author. */
  botLogin?: string | null;
  retry?: RetryOptions;
  /** Page size when listing comments (default 100, the maximum). */
  perPage?: number;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  /** The comment's GraphQL node id (minimizeComment takes it). */
  nodeId: string;
  url: string;
  /** The body was cut to fit the size limit. */
  truncated: boolean;
}

export interface FoundComment {
  id: number;
  nodeId: string;
  body: string;
  url: string;
}

/** Only HTTP failures worth retrying: a GraphQL error (no status) is an answer, not an outage. */
export const retryableHttp = (error: unknown): boolean =>
  statusOf(error) !== undefined && isRetryable(error);

/**
 * The login the token's comments carry: GraphQL `viewer` (any token), else `GET /user` (user
 * tokens), else github-actions[bot] (the workflow's GITHUB_TOKEN, the common case).
 */
export async function tokenLogin(octokit: Octokit, retry?: RetryOptions): Promise<string> {
  try {
    const data = await withRetry(
      () => octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }'),
      retry,
      retryableHttp,
    );
    if (typeof data.viewer?.login === 'string' && data.viewer.login !== '')
      return data.viewer.login;
  } catch {
    // GraphQL not reachable or refused: try REST
  }
  try {
    const { data } = await withRetry(
      () => octokit.rest.users.getAuthenticated(),
      retry,
      retryableHttp,
    );
    if (typeof data.login === 'string' && data.login !== '') return data.login;
  } catch {
    // an installation token cannot read /user (403): its comments are the Actions bot's
  }
  return ACTIONS_BOT_LOGIN;
}

/** The first comment by `botLogin` (null: anyone) that contains `marker`, searching all pages. */
export async function findStickyComment(
  octokit: Octokit,
  opts: Pick<
    StickyCommentOptions,
    'owner' | 'repo' | 'issueNumber' | 'marker' | 'botLogin' | 'perPage' | 'retry'
  >,
): Promise<FoundComment | undefined> {
  const botLogin =
    opts.botLogin === undefined ? await tokenLogin(octokit, opts.retry) : opts.botLogin;
  const author = botLogin?.toLowerCase();
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: opts.owner,
    repo: opts.repo,
    issue_number: opts.issueNumber,
    per_page: opts.perPage ?? 100,
  });
  for await (const page of pages) {
    for (const c of page.data) {
      if (author !== undefined && c.user?.login?.toLowerCase() !== author) continue;
      if (hasMarker(c.body, opts.marker)) {
        return { id: c.id, nodeId: c.node_id, body: c.body ?? '', url: c.html_url };
      }
    }
  }
  return undefined;
}

/** Create the comment, or update the one there (unless `onlyIfChanged` says it is current). */
export async function upsertStickyComment(
  octokit: Octokit,
  opts: StickyCommentOptions,
): Promise<StickyCommentResult> {
  return (await writeStickyComment(octokit, opts, true)) as StickyCommentResult;
}

/** Update the comment if there is one (as upsertStickyComment would); undefined when none. */
export async function updateStickyComment(
  octokit: Octokit,
  opts: StickyCommentOptions,
): Promise<StickyCommentResult | undefined> {
  return writeStickyComment(octokit, opts, false);
}

async function writeStickyComment(
  octokit: Octokit,
  opts: StickyCommentOptions,
  create: boolean,
): Promise<StickyCommentResult | undefined> {
  // Every known secret out (src/redact/: GitHub masks logs, not comments), before the cut; no
  // `<!--` but the protocol head's, so no text in it can pass for another job's marker.
  const { body, truncated } = capCommentBody(neutraliseBody(redact(opts.body)), opts.marker);
  // Whose comments to search, asked once (not again on each retry of the find-then-write).
  const botLogin =
    opts.botLogin === undefined ? await tokenLogin(octokit, opts.retry) : opts.botLogin;
  const attempt = async (): Promise<StickyCommentResult | undefined> => {
    const existing = await findStickyComment(octokit, { ...opts, botLogin });
    if (existing) {
      const changed = opts.onlyIfChanged
        ? opts.onlyIfChanged(existing.body)
        : existing.body !== body;
      if (!changed) {
        const { id, nodeId, url } = existing;
        return { action: 'unchanged', id, nodeId, url, truncated };
      }
    } else if (!create) return undefined;
    const comment = { owner: opts.owner, repo: opts.repo, body };
    const { data } = existing
      ? await octokit.rest.issues.updateComment({ ...comment, comment_id: existing.id })
      : await octokit.rest.issues.createComment({ ...comment, issue_number: opts.issueNumber });
    return {
      action: existing ? 'updated' : 'created',
      id: data.id,
      nodeId: data.node_id,
      url: data.html_url,
      truncated,
    };
  };
  try {
    return await withRetry(attempt, opts.retry);
  } catch (error) {
    if (isReadOnlyTokenError(error)) {
      throw new ReadOnlyTokenError(
        `cannot comment on ${opts.owner}/${opts.repo}#${opts.issueNumber}: the token is read-only ` +
          '(pull requests from forks get one); the report is in the job summary and the report artifact',
        { cause: error },
      );
    }
    throw error;
  }
}
