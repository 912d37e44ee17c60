import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../../src/github/client.js';
import { statusOf, withRetry } from '../../../src/github/retry.js';

/**
 * The GitHub client's time limit, against a local server that answers one path and never answers
 * another (a connection that hangs, as a stalled proxy does).
 */
let server: Server;
let baseUrl = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url?.startsWith('/repos/o/r/issues/1')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ number: 1, title: 'answered' }));
    }
    // Anything else: no answer, ever.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('githubClient', () => {
  it('passes an answered request through', async () => {
    const client = githubClient('t0ken', { baseUrl, timeoutMs: 2000 });
    const { data } = await client.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 1 });
    expect(data.title).toBe('answered');
  });

  it('gives up on a request that gets no answer, as a transient error the retry repeats', async () => {
    const client = githubClient('t0ken', { baseUrl, timeoutMs: 300 });
    const before = seen.length;
    const attempt = () => client.rest.issues.get({ owner: 'o', repo: 'r', issue_number: 2 });
    const error = await withRetry(attempt, { retries: 1, baseDelayMs: 10 }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(statusOf(error)).toBe(500);
    expect((error as Error).message).toMatch(/no answer from GitHub in 0\.3 s/);
    // Both attempts reached the server.
    expect(seen.slice(before).filter((u) => u.startsWith('/repos/o/r/issues/2'))).toHaveLength(2);
  }, 20_000);
});
