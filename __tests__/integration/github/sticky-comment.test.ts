/**
 * The sticky comment against the fake GitHub, through a real @actions/github octokit whose base
 * URL comes from GITHUB_API_URL (read when @actions/github loads, hence the dynamic imports).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { GITHUB_ACTIONS_BOT, startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub } from '../../fakes/github-server.js';
import { commentMarker } from '../../../src/report/comment-protocol.js';
import type * as StickyTypes from '../../../src/github/sticky-comment.js';

type StickyModule = typeof StickyTypes;

let fake: FakeGitHub;
let restoreEnv: () => void;
let sticky: StickyModule;
let octokit: StickyTypes.Octokit;
let issue = 100;

const owner = 'octo-org';
const repo = 'admin-api';
const retry = { retries: 2, baseDelayMs: 10 };
const human = { login: 'maintainer', id: 1234, type: 'User' as const };

beforeAll(async () => {
  fake = await startFakeGitHub({ owner, repo });
  restoreEnv = applyEnv({ GITHUB_API_URL: fake.apiUrl, GITHUB_SERVER_URL: 'https://github.com' });
  const github = await import('@actions/github');
  sticky = await import('../../../src/github/sticky-comment.js');
  octokit = github.getOctokit('ghs_writetoken');
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

describe('upsertStickyComment', () => {
  it("keeps another job's marker printed in a report from taking over that job's comment", async () => {
    // Attack: leg a's error report quotes a service's output holding leg b's marker. Leg b
    // must then create its own comment, not overwrite leg a's.
    const a = commentMarker('perf-a');
    const b = commentMarker('perf-b');
    const first = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker: a,
      body: `${a}\n### error\n\n\`\`\`text\n${b}\n\`\`\`\n`,
      retry,
    });
    const posted = fake.comments(issue).find((c) => c.id === first.id)?.body ?? '';
    expect(posted.startsWith(`${a}\n`)).toBe(true);
    expect(posted).not.toContain(b);
    const second = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker: b,
      body: `${b}\nleg b`,
      retry,
    });
    expect(second.action).toBe('created');
    expect(second.id).not.toBe(first.id);
    expect(fake.comments(issue).find((c) => c.id === first.id)?.body).toBe(posted);
  });

  it('creates, then updates the same comment found behind 3 pages of others', async () => {
    const marker = commentMarker('perf');
    // 250 comments first (3 pages of 100), some by the bot with other markers, one by a human quoting the marker.
    for (let i = 0; i < 250; i++) {
      if (i % 50 === 0) fake.addComment(issue, `<!-- loadgate:other-job -->\nother job ${i}`);
      else if (i === 7) fake.addComment(issue, `quoting ${marker} in a human comment`, human);
      else fake.addComment(issue, `comment ${i}`, human);
    }
    const first = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\n## loadgate\nfirst`,
      retry,
    });
    expect(first.action).toBe('created');
    expect(first.url).toBe(
      `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${first.id}`,
    );
    const pages = fake.calls('issues.listComments');
    expect(pages.map((c) => c.status)).toEqual([200, 200, 200]);
    // The second and third pages were fetched through the Link header's /repositories/{id}/ URLs.
    expect(pages[1]?.path).toBe(`/repositories/${fake.repo.id}/issues/${issue}/comments`);
    expect(pages[2]?.query).toMatchObject({ page: '3', per_page: '100' });

    const second = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\n## loadgate\nsecond`,
      retry,
    });
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const mine = fake
      .comments(issue)
      .filter((c) => c.body.includes(marker) && c.user.login === GITHUB_ACTIONS_BOT.login);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toBe(`${marker}\n## loadgate\nsecond`);
    expect(fake.comments(issue)).toHaveLength(251);
    const patch = fake.calls('issues.updateComment')[0];
    expect(patch?.path).toBe(`/repos/${owner}/${repo}/issues/comments/${first.id}`);
    expect(patch?.body).toEqual({ body: `${marker}\n## loadgate\nsecond` });
  });

  it('leaves the comment alone when onlyIfChanged says so, and when the body is identical', async () => {
    const marker = commentMarker('perf');
    const existing = fake.addComment(issue, `${marker}\nverdict: pass\n_updated 10:00_`);
    const skipped = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\nverdict: pass\n_updated 10:05_`,
      onlyIfChanged: (previous) => !previous.includes('verdict: pass'),
      retry,
    });
    expect(skipped).toMatchObject({ action: 'unchanged', id: existing.id });
    const same = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: existing.body,
      retry,
    });
    expect(same.action).toBe('unchanged');
    expect(fake.calls('issues.updateComment')).toHaveLength(0);
    expect(fake.comments(issue)[0]?.body).toBe(existing.body);
  });

  it("ignores a marker in another author's comment unless botLogin is null", async () => {
    const marker = commentMarker('perf');
    const byHuman = fake.addComment(issue, `${marker}\ncopied`, human);
    const created = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: 'x',
      retry,
    });
    expect(created.action).toBe('created');
    expect(created.id).not.toBe(byHuman.id);
    const found = await sticky.findStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      botLogin: null,
    });
    expect(found?.id).toBe(byHuman.id);
  });

  it('turns the fork token 403 into ReadOnlyTokenError', async () => {
    fake.addToken('ghs_forktoken', GITHUB_ACTIONS_BOT, { readOnly: true });
    const forkOctokit = (await import('@actions/github')).getOctokit('ghs_forktoken');
    const marker = commentMarker('perf');
    const attempt = sticky.upsertStickyComment(forkOctokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: 'report',
      retry,
    });
    await expect(attempt).rejects.toBeInstanceOf(sticky.ReadOnlyTokenError);
    await expect(attempt).rejects.toThrow(/read-only/);
    // Not retried: a 403 is not transient.
    expect(fake.calls('issues.createComment')).toHaveLength(1);
    expect(fake.calls('issues.createComment')[0]?.status).toBe(403);

    // The same through an injected fault on update.
    fake.addComment(issue, `${marker}\nold`);
    fake.failNext('issues.updateComment', { status: 403 });
    await expect(
      sticky.upsertStickyComment(octokit, {
        owner,
        repo,
        issueNumber: issue,
        marker,
        body: 'new',
        retry,
      }),
    ).rejects.toBeInstanceOf(sticky.ReadOnlyTokenError);
  });

  it('retries one 502 and succeeds', async () => {
    const marker = commentMarker('perf');
    fake.failNext('issues.createComment', { status: 502 });
    const out = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: 'report',
      retry,
    });
    expect(out.action).toBe('created');
    expect(fake.calls('issues.createComment').map((c) => c.status)).toEqual([502, 201]);
    expect(fake.comments(issue)).toHaveLength(1);
  });

  it('retries listing 5xx errors', async () => {
    const marker = commentMarker('perf');
    fake.failNext('issues.listComments', { status: 500, times: 2 });
    const out = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: 'report',
      retry,
    });
    expect(out.action).toBe('created');
    expect(fake.calls('issues.listComments').map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it('does not duplicate a comment whose create landed before a 502', async () => {
    const marker = commentMarker('perf');
    fake.failNext('issues.createComment', { status: 502, applyFirst: true });
    const out = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: 'report',
      retry,
    });
    expect(out.action).toBe('unchanged'); // the retry found the landed comment with the same body
    expect(fake.comments(issue)).toHaveLength(1);
    expect(fake.comments(issue)[0]?.id).toBe(out.id);
  });

  it('gives up after 2 retries', async () => {
    const marker = commentMarker('perf');
    fake.failNext('issues.listComments', { status: 503, times: 5 });
    await expect(
      sticky.upsertStickyComment(octokit, {
        owner,
        repo,
        issueNumber: issue,
        marker,
        body: 'report',
        retry,
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(fake.calls('issues.listComments')).toHaveLength(3);
  });

  it('never sends a body over 65,536 characters', async () => {
    const marker = commentMarker('perf');
    const huge = `${marker}\n${'| a | b |\n'.repeat(10_000)}`;
    const out = await sticky.upsertStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: huge,
      retry,
    });
    expect(out).toMatchObject({ action: 'created', truncated: true });
    const sent = fake.comments(issue)[0]?.body ?? '';
    expect(sent.length).toBeLessThanOrEqual(65_536);
    expect(sent.startsWith(marker)).toBe(true);
    // The fake rejects oversize bodies like GitHub does (422), proving the guard matters.
    const raw = octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue,
      body: 'x'.repeat(65_537),
    });
    await expect(raw).rejects.toMatchObject({ status: 422 });
  });
});

describe('updateStickyComment and hiding a comment as outdated (comment: on-failure)', () => {
  it('updates the comment there, and writes nothing when there is none', async () => {
    const marker = commentMarker('perf');
    const none = await sticky.updateStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\npasses`,
      retry,
    });
    expect(none).toBeUndefined();
    expect(fake.comments(issue)).toHaveLength(0);
    expect(fake.calls('issues.createComment')).toHaveLength(0);

    const failing = fake.addComment(issue, `${marker}\nfails`);
    const out = await sticky.updateStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
      body: `${marker}\npasses now`,
      retry,
    });
    expect(out).toMatchObject({ action: 'updated', id: failing.id });
    expect(fake.comments(issue)[0]?.body).toBe(`${marker}\npasses now`);
    // The GraphQL id REST gave is the one minimizeComment takes.
    expect(out?.nodeId).toMatch(/^IC_/);
  });

  it('hides it as OUTDATED and shows it again, asking first whether it is hidden', async () => {
    const minimize = await import('../../../src/github/minimize-comment.js');
    const marker = commentMarker('perf');
    fake.addComment(issue, `${marker}\nfails`);
    const found = await sticky.findStickyComment(octokit, {
      owner,
      repo,
      issueNumber: issue,
      marker,
    });
    const nodeId = found?.nodeId ?? '';
    expect(await minimize.isCommentMinimized(octokit, nodeId)).toBe(false);
    expect(await minimize.setCommentMinimized(octokit, nodeId, true)).toBe('changed');
    expect(fake.comments(issue)[0]).toMatchObject({
      isMinimized: true,
      minimizedReason: 'outdated',
    });
    const mutation = fake.calls('graphql').at(-1)?.body as { query: string; variables: unknown };
    expect(mutation.query).toMatch(
      /minimizeComment\(input: \{ subjectId: \$id, classifier: OUTDATED \}\)/,
    );
    expect(mutation.variables).toEqual({ id: nodeId });
    // Already hidden: asked, not hidden again.
    const before = fake.calls('graphql').length;
    expect(await minimize.setCommentMinimized(octokit, nodeId, true)).toBe('as-is');
    expect(fake.calls('graphql')).toHaveLength(before + 1);
    expect(await minimize.setCommentMinimized(octokit, nodeId, false)).toBe('changed');
    expect(fake.comments(issue)[0]?.isMinimized).toBe(false);
  });

  it("GitHub's GraphQL errors reach the caller: an unknown node, a read-only token", async () => {
    const minimize = await import('../../../src/github/minimize-comment.js');
    await expect(minimize.setCommentMinimized(octokit, 'IC_nope', true)).rejects.toThrow(
      /Could not resolve to a node with the global id of 'IC_nope'/,
    );
    fake.addToken('ghs_forkreader', GITHUB_ACTIONS_BOT, { readOnly: true });
    const reader = (await import('@actions/github')).getOctokit('ghs_forkreader');
    const c = fake.addComment(issue, `${commentMarker('perf')}\nfails`);
    const found = await sticky.findStickyComment(reader, {
      owner,
      repo,
      issueNumber: issue,
      marker: commentMarker('perf'),
    });
    expect(found?.id).toBe(c.id);
    await expect(minimize.setCommentMinimized(reader, found?.nodeId ?? '', true)).rejects.toThrow(
      /Resource not accessible by integration/,
    );
    expect(fake.comments(issue).find((x) => x.id === c.id)?.isMinimized).toBeUndefined();
  });
});
