/**
 * The GitHub REST client, with a time limit on every request. getOctokit's fetch has none: a
 * connection that stops answering would hold the job until the runner's limit (6 hours). A request
 * past the limit fails as a network error (octokit's RequestError, status 500), which retry.ts
 * retries like any transient failure.
 */
import { getOctokit } from '@actions/github';

/** Per request, answer included: GitHub answers REST calls in well under a second. */
export const GITHUB_REQUEST_TIMEOUT_MS = 60_000;

export interface GitHubClientOptions {
  timeoutMs?: number;
  /** Default: GITHUB_API_URL, as getOctokit reads it. */
  baseUrl?: string;
}

export function githubClient(
  token: string,
  options: GitHubClientOptions = {},
): ReturnType<typeof getOctokit> {
  return getOctokit(token, {
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    request: { fetch: fetchWithTimeout(options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS) },
  });
}

/** fetch that gives up after `timeoutMs`, saying so (the caller's own signal still applies). */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const limit = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, limit]) : limit;
    try {
      return await fetch(input, { ...init, signal });
    } catch (error) {
      if (!limit.aborted) throw error;
      throw new Error(`no answer from GitHub in ${timeoutMs / 1000} s`, { cause: error });
    }
  };
}
