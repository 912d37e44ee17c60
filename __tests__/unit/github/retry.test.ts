import { describe, expect, it } from 'vitest';
import {
  isRetryable,
  requestedWaitMs,
  SECONDARY_RATE_LIMIT_WAIT_MS,
  withRetry,
} from '../../../src/github/retry.js';

/** Shaped like an octokit RequestError: status, response.headers (lower case), response.data. */
function httpError(status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), {
    status,
    response: { status, headers, data: { message } },
  });
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Runs `withRetry` over `answers` (errors thrown in turn, then 'ok'); returns the waits. */
async function waitsFor(errors: unknown[], options: Parameters<typeof withRetry>[1] = {}) {
  const waits: number[] = [];
  let calls = 0;
  const outcome = await withRetry(
    async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'ok';
    },
    {
      retries: 3,
      baseDelayMs: 10,
      now: () => NOW,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...options,
    },
  ).catch((e: unknown) => e);
  return { outcome, waits, calls };
}

describe('withRetry and GitHub rate limits (issue 11)', () => {
  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const seconds = await waitsFor([httpError(503, 'Service Unavailable', { 'retry-after': '7' })]);
    expect(seconds).toMatchObject({ outcome: 'ok', waits: [7000], calls: 2 });
    const date = new Date(NOW + 4000).toUTCString();
    const dated = await waitsFor([httpError(429, 'Too Many Requests', { 'retry-after': date })]);
    expect(dated.waits).toEqual([4000]);
  });

  it('retries the secondary rate limit (403): Retry-After, else a minute', async () => {
    const withHeader = await waitsFor([httpError(403, SECONDARY, { 'retry-after': '3' })]);
    expect(withHeader).toMatchObject({ outcome: 'ok', waits: [3000] });
    const without = await waitsFor([httpError(403, SECONDARY)]);
    expect(without).toMatchObject({ outcome: 'ok', waits: [SECONDARY_RATE_LIMIT_WAIT_MS] });
  });

  it('waits for x-ratelimit-reset when the primary rate limit is used up', async () => {
    const reset = String(Math.floor(NOW / 1000) + 20);
    const { outcome, waits } = await waitsFor([
      httpError(403, 'API rate limit exceeded for installation', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset,
      }),
    ]);
    expect(outcome).toBe('ok');
    expect(waits[0]).toBeGreaterThanOrEqual(20_000);
    expect(waits[0]).toBeLessThanOrEqual(21_000);
  });

  it('bounds the total wait: a wait past the budget is not started, the error is thrown', async () => {
    const limited = httpError(403, SECONDARY, { 'retry-after': '3600' });
    const { outcome, waits, calls } = await waitsFor([limited], { maxTotalWaitMs: 120_000 });
    expect(outcome).toBe(limited);
    expect(waits).toEqual([]);
    expect(calls).toBe(1);
    const twice = await waitsFor(
      [
        httpError(403, SECONDARY, { 'retry-after': '50' }),
        httpError(403, SECONDARY, { 'retry-after': '50' }),
        httpError(403, SECONDARY, { 'retry-after': '50' }),
      ],
      { maxTotalWaitMs: 120_000 },
    );
    expect(twice.waits).toEqual([50_000, 50_000]);
    expect(twice.calls).toBe(3);
    expect((twice.outcome as Error).message).toBe(SECONDARY);
  });

  it('still backs off exponentially without a hint, and never retries other 4xx', async () => {
    const { waits } = await waitsFor([httpError(502, 'Bad Gateway'), httpError(500, 'x')]);
    expect(waits).toEqual([10, 20]);
    const denied = httpError(403, 'Resource not accessible by integration');
    expect(isRetryable(denied)).toBe(false);
    expect((await waitsFor([denied])).calls).toBe(1);
    expect(isRetryable(httpError(404, 'Not Found'))).toBe(false);
    expect(requestedWaitMs(httpError(500, 'x'))).toBeUndefined();
  });
});
