/**
 * Issue 11: with a personal access token or a GitHub App's token the sticky comment was never
 * found (the search assumed github-actions[bot]), so every run added a comment. And the REST
 * retry ignored Retry-After and GitHub's secondary rate limit (403). Against the fake GitHub,
 * through a real @actions/github octokit (imported after GITHUB_API_URL is set).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { GITHUB_ACTIONS_BOT, startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub, FakeUser } from '../../fakes/github-server.js';
import { commentMarker } from '../../../src/report/comment-protocol.js';
import type * as StickyTypes from '../../../src/github/sticky-comment.js';

let fake: FakeGitHub;
let restoreEnv: () => void;
let sticky: typeof StickyTypes;
let getOctokit: (token: string) => StickyTypes.Octokit;
let issue = 500;

const owner = 'octo-org';
const repo = 'admin-api';
const retry = { retries: 2, baseDelayMs: 10 };
const marker = commentMarker('perf');
const PERSON: FakeUser = { login: 'Perf-Maintainer', id: 4242, type: 'User' };
const APP_BOT: FakeUser = { login: 'loadgate-perf[bot]', id: 987654, type: 'Bot' };

beforeAll(async () => {
  fake = await startFakeGitHub({ owner, repo, strictTokens: true });
  fake.addToken('ghp_personaltoken', PERSON);
  fake.addToken('ghs_apptoken', APP_BOT);
  fake.addToken('ghs_workflowtoken', GITHUB_ACTIONS_BOT);
  restoreEnv = applyEnv({ GITHUB_API_URL: fake.apiUrl, GITHUB_SERVER_URL: 'https://github.com' });
  const github = await import('@actions/github');
  getOctokit = (token) => github.getOctokit(token);
  sticky = await import('../../../src/github/sticky-comment.js');
});

afterAll(async () => {
  restoreEnv();
  await fake.close();
});

beforeEach(() => {
  issue++;
  fake.clearLog();
  fake.clearFaults();
});

async function postTwice(token: string) {
  const octokit = getOctokit(token);
  const post = (text: string) =>
    sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\n${text}`,
      retry,
    });
  return { first: await post('first run'), second: await post('second run') };
}

describe('the sticky comment of the token’s own identity', () => {
  it('a personal access token: created, then found and updated (not duplicated)', async () => {
    // A comment with the same marker by the Actions bot (an earlier GITHUB_TOKEN run) is not ours.
    fake.addComment(issue, `${marker}\nby the workflow token`, GITHUB_ACTIONS_BOT);
    const { first, second } = await postTwice('ghp_personaltoken');
    expect(first.action).toBe('created');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const ours = fake.comments(issue).filter((c) => c.user.login === PERSON.login);
    expect(ours.map((c) => c.body)).toEqual([`${marker}\nsecond run`]);
    expect(fake.comments(issue)).toHaveLength(2);
    expect(fake.comments(issue)[0]!.body).toBe(`${marker}\nby the workflow token`);
  });

  it('a GitHub App installation token (GET /user answers 403): found by its [bot] login', async () => {
    const { first, second } = await postTwice('ghs_apptoken');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(fake.comments(issue).map((c) => c.user.login)).toEqual([APP_BOT.login]);
    expect(fake.calls('graphql').at(-1)?.status).toBe(200);
  });

  it('the workflow token still finds github-actions[bot]’s comment', async () => {
    const existing = fake.addComment(issue, `${marker}\nold`, GITHUB_ACTIONS_BOT);
    const { first } = await postTwice('ghs_workflowtoken');
    expect(first).toMatchObject({ action: 'updated', id: existing.id });
    expect(fake.comments(issue)).toHaveLength(1);
  });

  it('falls back to GET /user when GraphQL fails, and to github-actions[bot] when nothing answers', async () => {
    fake.failNext('graphql', { status: 502, times: 6 });
    const { first, second } = await postTwice('ghp_personaltoken');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(fake.calls('users.getAuthenticated').map((c) => c.status)).toContain(200);

    fake.failNext('graphql', { status: 502, times: 3 });
    fake.failNext('users.getAuthenticated', { status: 502, times: 3 });
    const login = await sticky.tokenLogin(getOctokit('ghp_personaltoken'), retry);
    expect(login).toBe('github-actions[bot]');
  });
});

describe('GitHub rate limits on the comment', () => {
  it('a secondary rate limit (403 with Retry-After) is waited out and retried', async () => {
    fake.failNext('issues.createComment', {
      status: 403,
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
      headers: { 'retry-after': '1' },
    });
    const t0 = Date.now();
    const out = await sticky.upsertStickyComment(getOctokit('ghs_workflowtoken'), {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\nrate limited once`,
      retry,
    });
    expect(out.action).toBe('created');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(fake.calls('issues.createComment').map((c) => c.status)).toEqual([403, 201]);
    expect(fake.comments(issue)).toHaveLength(1);
  });
});
