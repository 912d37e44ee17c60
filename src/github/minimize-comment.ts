/**
 * Hiding a comment as outdated and showing it again (GraphQL `minimizeComment` with the
 * classifier OUTDATED, `unminimizeComment`), and asking whether it is hidden (`isMinimized` of
 * the IssueComment node): REST has none of them. `comment: on-failure` hides its earlier failing
 * comment once a run passes, and shows it again when a later run fails.
 */
import { withRetry, type RetryOptions } from './retry.js';
import { retryableHttp, type Octokit } from './sticky-comment.js';

interface MinimizedState {
  isMinimized?: unknown;
}

/** Whether the comment (its GraphQL node id) is hidden. */
export async function isCommentMinimized(
  octokit: Octokit,
  nodeId: string,
  retry?: RetryOptions,
): Promise<boolean> {
  const data = await withRetry(
    () =>
      octokit.graphql<{ node?: MinimizedState | null }>(
        'query($id: ID!) { node(id: $id) { ... on IssueComment { isMinimized } } }',
        { id: nodeId },
      ),
    retry,
    retryableHttp,
  );
  return data.node?.isMinimized === true;
}

/** Hide the comment as outdated, or show it again; nothing when it already is as asked. */
export async function setCommentMinimized(
  octokit: Octokit,
  nodeId: string,
  minimized: boolean,
  retry?: RetryOptions,
): Promise<'changed' | 'as-is'> {
  if ((await isCommentMinimized(octokit, nodeId, retry)) === minimized) return 'as-is';
  await withRetry(
    () =>
      minimized
        ? octokit.graphql(
            'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } } }',
            { id: nodeId },
          )
        : octokit.graphql(
            'mutation($id: ID!) { unminimizeComment(input: { subjectId: $id }) { unminimizedComment { isMinimized } } }',
            { id: nodeId },
          ),
    retry,
    retryableHttp,
  );
  return 'changed';
}
