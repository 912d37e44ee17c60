/**
 * The pull request a push to the default branch merged, with its labels:
 * `GET /repos/{owner}/{repo}/commits/{sha}/pulls` (the token needs `contents: read`, which every
 * workflow token has, plus `pull-requests: read` for private repositories). A commit pushed
 * directly, an API that fails or a token that may not read it are all "no pull request": the
 * caller only uses this to mark its history entry.
 */
import { withRetry, type RetryOptions } from './retry.js';
import type { Octokit } from './sticky-comment.js';

export interface MergedPull {
  number: number;
  labels: string[];
}

export async function mergedPullOf(
  octokit: Octokit,
  where: { owner: string; repo: string; sha: string; branch: string },
  retry?: RetryOptions,
): Promise<{ pull: MergedPull | undefined } | { problem: string }> {
  let pulls;
  try {
    const { data } = await withRetry(
      () =>
        octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          owner: where.owner,
          repo: where.repo,
          commit_sha: where.sha,
          per_page: 100,
        }),
      retry,
    );
    pulls = data;
  } catch (error) {
    return { problem: (error as Error)?.message ?? String(error) };
  }
  // The one merged into this branch as this commit (a merge or squash commit), else the one
  // merged into this branch whose head this commit is (a fast-forward or rebase merge).
  const merged = pulls.filter((p) => p.merged_at !== null && p.base?.ref === where.branch);
  const pull = merged.find((p) => p.merge_commit_sha === where.sha) ?? merged[0];
  if (pull === undefined) return { pull: undefined };
  const labels = (pull.labels ?? [])
    .map((l) => (typeof l === 'string' ? l : l?.name))
    .filter((n): n is string => typeof n === 'string');
  return { pull: { number: pull.number, labels } };
}
