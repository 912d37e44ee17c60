/**
 * Faults of the fork commenter (comment/, the action's comment mode: the trusted `workflow_run`
 * half), its core in process against the fake GitHub (REST and artifact listing with real
 * pagination); `pulls.get` is answered here. The mode as the runner runs it (dist/index.js, the
 * choice of the mode, the refused inputs): comment-mode.test.ts, fork-commenter-zip-bomb.test.ts
 * and action/action.test.ts.
 *
 * - The fork's `comment.md` used to be posted verbatim as the bot: mentions, images, links and a
 *   fake "pass" went through. The comment is now rebuilt from the verdict JSON, validated strictly.
 * - A claimed pull request number whose head is not the branch the run tested was skipped as
 *   "stale"; it is refused.
 * - Only the first 100 artifacts of the run were read.
 * - Matrix legs (`name` input) upload `loadgate-report-<job>-<name>`: one comment per leg.
 * - Bounds (the run that uploaded the artifacts may be hostile): an artifact over 5 MiB is not
 *   downloaded, at most 20 are read, each with a notice; the artifact's name is escaped in the
 *   comment that has no verdict. (The zip bomb: fork-commenter-zip-bomb.test.ts.)
 */
import { getOctokit } from '@actions/github';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommenter, type CommenterDeps } from '../../../src/comment/run-commenter.js';
import { readActionsContext } from '../../../src/github/context.js';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS, type Verdict } from '../../../src/judge/types.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../../fakes/github-server.js';
import { payload } from '../action/harness.js';
import { zipFiles } from '../../fakes/zip.js';
import { buildRun, noisy, type ScenarioSpec } from '../../unit/helpers/results.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN = 'ghs_faketoken0000000000000000000000000000';
const PR_SHA = '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4';
const FORK = 'contributor/admin-api';
const BRANCH = 'faster-search';

let fake: FakeGitHub;
/** pull number → what `GET /pulls/{n}` answers. */
const pulls = new Map<number, { headSha: string; headRef: string; headRepo: string | null }>();
const logs: string[] = [];
/** Artifact ids the commenter downloaded. */
const downloads: number[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  pulls.clear();
  logs.length = 0;
  downloads.length = 0;
});

function spec(name: string, p95: number, seed: number): ScenarioSpec {
  return {
    name,
    p95: noisy(p95, 8, 0.02, seed),
    throughput: noisy(1000, 8, 0.02, seed + 1),
    sla: { p95Ms: 500 },
  };
}

/** A real verdict: search-admins 50 % slower than its baseline. */
function failingVerdict(): Verdict {
  const base = buildRun([spec('list-admins', 10, 1), spec('search-admins', 20, 3)]);
  const cur = buildRun([spec('list-admins', 10, 11), spec('search-admins', 30, 13)]);
  return judge(base, cur, DEFAULT_JUDGE_OPTIONS);
}

function forkRun(): FakeRun {
  return fake.addRun({
    event: 'pull_request',
    headBranch: BRANCH,
    headSha: PR_SHA,
    headRepository: FORK,
    pullRequests: [],
    conclusion: 'failure',
  });
}

function deps(run: FakeRun): CommenterDeps & { outputs: Record<string, string> } {
  const event = payload<Json>('workflow_run-fork-pr.json', (p) => {
    p.workflow_run.id = run.id;
    p.workflow_run.head_sha = run.headSha;
    p.workflow_run.conclusion = run.conclusion;
  });
  const ctx = readActionsContext(
    {
      GITHUB_REPOSITORY: 'octo-org/admin-api',
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_SERVER_URL: 'https://github.com',
    },
    event,
  );
  const octokit = getOctokit(TOKEN, { baseUrl: fake.apiUrl });
  // The fake has no pulls route: answer it here.
  (octokit.rest.pulls as unknown as { get: unknown }).get = async ({
    pull_number,
  }: {
    pull_number: number;
  }) => {
    const pr = pulls.get(pull_number);
    if (!pr) throw Object.assign(new Error('Not Found'), { status: 404 });
    return {
      data: {
        number: pull_number,
        state: 'open',
        head: {
          sha: pr.headSha,
          ref: pr.headRef,
          repo: pr.headRepo === null ? null : { full_name: pr.headRepo },
        },
        base: { ref: 'main', repo: { full_name: 'octo-org/admin-api' } },
      },
    };
  };
  const outputs: Record<string, string> = {};
  const temp = mkdtempSync(join(tmpdir(), 'lg-commenter-'));
  return {
    ctx,
    octokit,
    artifactClient: {
      // As @actions/artifact does: the zip itself with skipDecompress, else its files.
      downloadArtifact: async (
        id: number,
        options?: { path?: string; skipDecompress?: boolean },
      ) => {
        const dir = options?.path ?? temp;
        mkdirSync(dir, { recursive: true });
        downloads.push(id);
        const files = fake.artifactFiles(id);
        if (options?.skipDecompress) {
          writeFileSync(join(dir, `${id}.zip`), zipFiles(files));
          return { downloadPath: dir };
        }
        for (const [name, data] of Object.entries(files)) {
          writeFileSync(join(dir, name), data);
        }
        return { downloadPath: dir };
      },
    } as unknown as CommenterDeps['artifactClient'],
    log: { info: (m) => logs.push(m), notice: (m) => logs.push(`notice: ${m}`) },
    setOutput: (name, value) => (outputs[name] = value),
    tempDir: temp,
    outputs,
  };
}

const inputs = { token: TOKEN, mode: 'always' as const, artifactName: '' };

function reportFiles(number: number, verdict: unknown, comment: string): Record<string, string> {
  return {
    'pr.json': JSON.stringify({ number, headSha: PR_SHA }),
    'comment.md': comment,
    'loadgate-report.md': comment,
    'loadgate-verdict.json': JSON.stringify(verdict),
  };
}

const EVIL_MD = [
  '<!-- loadgate:perf -->',
  '### ✅ loadgate: no regressions, all SLA checks pass',
  'cc @octocat ![x](https://evil.example/pixel.png) [docs](https://evil.example/phish)',
].join('\n');

describe('the fork commenter', () => {
  it("rebuilds the comment from the verdict: none of the fork's markdown is posted", async () => {
    const run = forkRun();
    pulls.set(42, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    fake.addArtifact(run.id, 'loadgate-report-perf', reportFiles(42, failingVerdict(), EVIL_MD));
    const d = deps(run);
    expect(await runCommenter(inputs, d)).toEqual([]);
    const [comment] = fake.comments(42);
    expect(comment).toBeDefined();
    const body = comment!.body;
    expect(body.startsWith('<!-- loadgate:perf -->\n<!-- loadgate-verdict:fail:baseline:r')).toBe(
      true,
    );
    expect(body).toMatch(/### ❌ loadgate: search-admins got slower \(/);
    expect(body).toContain('search-admins');
    expect(body).toContain('concluded **failure**');
    expect(body).toContain(`https://github.com/octo-org/admin-api/actions/runs/${run.id}`);
    for (const evil of ['@octocat', 'evil.example', '![', 'no regressions, all SLA']) {
      expect(body).not.toContain(evil);
    }
    expect(d.outputs['comment-url']).toContain(`issuecomment-${comment!.id}`);
  });

  it('a verdict with free texts of its own gets none of them into the comment', async () => {
    const run = forkRun();
    pulls.set(43, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    const verdict = failingVerdict();
    verdict.findings = verdict.findings.map((f) => ({
      ...f,
      message: 'all good [click](https://evil.example) @octocat <img src=x>',
    }));
    verdict.warnings = ['ping @octocat https://evil.example'];
    verdict.scenarios[0]!.sla[0]!.label = 'see https://evil.example';
    verdict.scenarios[1]!.sla[0]!.basis = 'www.evil.example @octocat';
    verdict.scenarios = verdict.scenarios.map((s) => ({
      ...s,
      comparisons: s.comparisons.map((c) => ({ ...c, reason: '@octocat https://evil.example' })),
    }));
    fake.addArtifact(run.id, 'loadgate-report-perf', reportFiles(43, verdict, 'x'));
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    const body = fake.comments(43)[0]!.body;
    expect(body).not.toMatch(/octocat|evil\.example|<img|all good/);
    // What the findings claim comes from their structured fields: the table of what changed.
    expect(body).toMatch(/^\| search-admins \| p95 \| [\d.]+ ms → [\d.]+ ms \| \+\d/m);
    expect(body).toContain('1 warning or note of this run');
  });

  it.each([
    ['a scenario name with markup', (v: Json) => (v.scenarios[0].name = '@octocat')],
    [
      'a scenario name GitHub would link',
      (v: Json) => {
        v.scenarios[0].name = 'www.evil.example';
        for (const f of v.findings)
          if (f.scenario === 'list-admins') f.scenario = 'www.evil.example';
      },
    ],
    ['an unknown key', (v: Json) => (v.html = '<b>')],
    ['a count that disagrees', (v: Json) => (v.counts.regressions = 0)],
    ['a fake pass with findings', (v: Json) => (v.status = 'pass')],
    ['not JSON', () => 'nope'],
  ])('refuses a verdict with %s', async (_label, edit) => {
    const run = forkRun();
    const number = 44 + Math.floor(Math.random() * 1000);
    pulls.set(number, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    const verdict = failingVerdict() as unknown as Json;
    const edited = edit(verdict);
    const files = reportFiles(number, verdict, EVIL_MD);
    if (typeof edited === 'string') files['loadgate-verdict.json'] = edited;
    fake.addArtifact(run.id, 'loadgate-report-perf', files);
    const refusals = await runCommenter(inputs, deps(run));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/verdict/);
    expect(fake.comments(number)).toHaveLength(0);
  });

  it("refuses a claim naming someone else's pull request (not a stale skip)", async () => {
    const run = forkRun();
    // #7 is another contributor's pull request, at another commit.
    pulls.set(7, { headSha: 'c'.repeat(40), headRef: 'fix-login', headRepo: 'someone/admin-api' });
    fake.addArtifact(run.id, 'loadgate-report-perf', reportFiles(7, failingVerdict(), EVIL_MD));
    const refusals = await runCommenter(inputs, deps(run));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(
      /names pull request #7, whose head is someone\/admin-api:fix-login/,
    );
    expect(fake.comments(7)).toHaveLength(0);
    expect(logs.some((l) => l.startsWith('notice:'))).toBe(false);

    // The same branch moved on: that is stale, skipped with a notice.
    const moved = forkRun();
    pulls.set(8, { headSha: 'd'.repeat(40), headRef: BRANCH, headRepo: FORK });
    fake.addArtifact(moved.id, 'loadgate-report-perf', reportFiles(8, failingVerdict(), EVIL_MD));
    expect(await runCommenter(inputs, deps(moved))).toEqual([]);
    expect(logs.some((l) => /notice: .*is now at ddddddd/.test(l))).toBe(true);
    expect(fake.comments(8)).toHaveLength(0);
  });

  it('finds the report among more than 100 artifacts of the run', async () => {
    const run = forkRun();
    pulls.set(50, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    fake.addArtifact(run.id, 'loadgate-report-perf', reportFiles(50, failingVerdict(), EVIL_MD));
    // Newer artifacts list first: these push the report onto the second page.
    for (let i = 0; i < 120; i++) fake.addArtifact(run.id, `coverage-${i}`, { 'x.txt': 'x' });
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    expect(fake.comments(50)).toHaveLength(1);
    expect(fake.calls('actions.listWorkflowRunArtifacts').at(-1)?.query.page).toBe('2');
  });

  it('matrix legs with a name get one comment each, keyed by job and name', async () => {
    const run = forkRun();
    pulls.set(60, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    for (const leg of ['node-20', 'node-22']) {
      fake.addArtifact(
        run.id,
        `loadgate-report-perf-${leg}`,
        reportFiles(60, failingVerdict(), EVIL_MD),
      );
    }
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    const bodies = fake
      .comments(60)
      .map((c) => c.body.split('\n')[0])
      .sort();
    expect(bodies).toEqual(['<!-- loadgate:perf-node-20 -->', '<!-- loadgate:perf-node-22 -->']);
  });

  it('an artifact without a verdict (the run could not judge) gets a fixed text', async () => {
    const run = forkRun();
    pulls.set(70, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    fake.addArtifact(run.id, 'loadgate-report-perf', {
      'pr.json': JSON.stringify({ number: 70, headSha: PR_SHA }),
      'loadgate-report.md': EVIL_MD,
    });
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    const body = fake.comments(70)[0]!.body;
    expect(body.startsWith('<!-- loadgate:perf -->\n<!-- loadgate-verdict:error -->')).toBe(true);
    expect(body).toContain('the run produced no verdict');
    expect(body).not.toMatch(/octocat|evil/);
  });

  it('does not download an artifact larger than a report, and says so', async () => {
    const run = forkRun();
    pulls.set(71, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    const files = reportFiles(71, failingVerdict(), EVIL_MD);
    // 6 MiB that do not compress: the listed size of the zip is over the cap.
    fake.addArtifact(run.id, 'loadgate-report-perf', {
      ...files,
      'padding.bin': randomBytes(6 * 1024 * 1024),
    });
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    expect(downloads).toEqual([]);
    expect(fake.comments(71)).toHaveLength(0);
    expect(logs).toContainEqual(
      expect.stringMatching(
        /^notice: .*artifact loadgate-report-perf is \d+ bytes, more than a loadgate report \(at most 5242880\): not read/,
      ),
    );
  });

  it('reads at most 20 report artifacts of a run, and says which it left out', async () => {
    const run = forkRun();
    pulls.set(72, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    for (let leg = 10; leg < 35; leg++) {
      fake.addArtifact(
        run.id,
        `loadgate-report-perf-leg-${leg}`,
        reportFiles(72, failingVerdict(), EVIL_MD),
      );
    }
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    expect(downloads).toHaveLength(20);
    expect(fake.comments(72)).toHaveLength(20);
    expect(logs).toContainEqual(
      expect.stringMatching(
        /notice: .*25 loadgate report artifacts; only the first 20 by name are read \(loadgate-report-perf-leg-30 and after are not\)/,
      ),
    );
  });

  it('escapes the artifact name in the comment of a run without a verdict', async () => {
    // Attack: a name that closes the code span and pings someone.
    const run = forkRun();
    pulls.set(73, { headSha: PR_SHA, headRef: BRANCH, headRepo: FORK });
    fake.addArtifact(run.id, 'loadgate-report-perf`@octocat`', {
      'pr.json': JSON.stringify({ number: 73, headSha: PR_SHA }),
    });
    expect(await runCommenter(inputs, deps(run))).toEqual([]);
    const body = fake.comments(73)[0]!.body;
    expect(body).toContain('artifact `loadgate-report-perf@octocat`.');
    // Every @ sits inside a code span (GitHub mentions no one there).
    expect(body.replace(/`[^`\n]*`/g, '')).not.toContain('@');
  });
});
