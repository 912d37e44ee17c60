/**
 * A small bounded retry for GitHub REST calls. @actions/github's `getOctokit` ships without
 * @octokit/plugin-retry (node_modules/@actions/github/lib/utils.js: only rest-endpoint-methods
 * and paginate-rest), so transient failures would otherwise surface at once.
 *
 * What is retried: 5xx, 429, network errors (no status), and GitHub's rate limits answered with
 * 403: the secondary rate limit ("You have exceeded a secondary rate limit") and an exhausted
 * primary one (`x-ratelimit-remaining: 0`). How long it waits, as GitHub's REST documentation
 * ("Rate limits for the REST API", "Handle rate limit errors appropriately") asks:
 *
 * - `retry-after` (seconds, or an HTTP date) when the answer carries it;
 * - else, with `x-ratelimit-remaining: 0`, until `x-ratelimit-reset` (epoch seconds);
 * - else, for a secondary rate limit, a minute;
 * - else exponential backoff from `baseDelayMs`.
 *
 * Every wait counts against `maxTotalWaitMs` (default 2 minutes): a wait that would go past it
 * is not started, the error is thrown at once, so a rate limit costs a bounded time, never a hang.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff in ms, doubled each retry (default 1000). */
  baseDelayMs?: number;
  /** The most all waits of one call may add up to (default 120_000 ms). */
  maxTotalWaitMs?: number;
  /** How to wait (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock `x-ratelimit-reset` and a `retry-after` date are read against (tests). */
  now?: () => number;
}

/** Default bound of all waits of one call. */
export const MAX_TOTAL_WAIT_MS = 120_000;
/** GitHub: "If you receive a secondary rate limit error [without retry-after], wait at least one minute". */
export const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;

/** HTTP status of an octokit RequestError (network failures arrive as status 500), if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A response header of an octokit RequestError (names are lower case), if any. */
function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response
    ?.headers;
  const value = headers?.[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function messageText(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data;
  const dataMessage = typeof data?.message === 'string' ? data.message : '';
  return `${dataMessage} ${(error as Error | null)?.message ?? ''}`;
}

/** 403/429 "You have exceeded a secondary rate limit" (older wording: "abuse detection"). */
export function isSecondaryRateLimit(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return false;
  return /secondary rate limit|abuse detection/i.test(messageText(error));
}

/** 403/429 with no requests left in the primary rate limit window. */
export function isPrimaryRateLimit(error: unknown): boolean {
  const status = statusOf(error);
  return (status === 403 || status === 429) && headerOf(error, 'x-ratelimit-remaining') === '0';
}

/** 5xx, 429, rate limits and errors without a status (network) are worth another try; other 4xx are not. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  return (
    status === undefined ||
    status >= 500 ||
    status === 429 ||
    isSecondaryRateLimit(error) ||
    isPrimaryRateLimit(error)
  );
}

/**
 * How long GitHub asks to wait before the next attempt, in ms (0 or more), or undefined when it
 * does not say (then the backoff applies).
 */
export function requestedWaitMs(error: unknown, now = Date.now()): number | undefined {
  const retryAfter = headerOf(error, 'retry-after')?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  if (isPrimaryRateLimit(error)) {
    const reset = Number(headerOf(error, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now + 1000);
  }
  if (isSecondaryRateLimit(error)) return SECONDARY_RATE_LIMIT_WAIT_MS;
  return undefined;
}

export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions = {},
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  const retries = Math.max(0, options.retries ?? 2);
  const base = Math.max(0, options.baseDelayMs ?? 1000);
  const budget = Math.max(0, options.maxTotalWaitMs ?? MAX_TOTAL_WAIT_MS);
  const pause = options.sleep ?? sleep;
  const now = options.now ?? Date.now;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= retries || !retryable(error)) throw error;
      const wait = requestedWaitMs(error, now()) ?? base * 2 ** attempt;
      // A wait past the budget is not started: the caller hears of the failure now.
      if (waited + wait > budget) throw error;
      waited += wait;
      await pause(wait);
    }
  }
}
