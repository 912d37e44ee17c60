/**
 * A small bounded retry for GitHub REST calls. @actions/github's `getOctokit` ships without
 * @octokit/plugin-retry (node_modules/@actions/github/lib/utils.js: only rest-endpoint-methods
 * and paginate-rest), so transient failures would otherwise surface at once.
 */

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff in ms, doubled each retry (default 1000). */
  baseDelayMs?: number;
}

/** HTTP status of an octokit RequestError (network failures arrive as status 500), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** 5xx, 429 and errors without a status (network) are worth another try; 4xx are not. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500 || status === 429;
}

export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions = {},
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  const retries = Math.max(0, options.retries ?? 2);
  const base = Math.max(0, options.baseDelayMs ?? 1000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= retries || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, base * 2 ** attempt));
    }
  }
}
