/**
 * `baseline: base-commit`, run as the runner runs it (dist/index.js under Node 24, INPUT_*
 * variables, an event file) in a real git repository: a pull request's merge commit checked out
 * shallow, as actions/checkout does. The action finds the base (the merge commit's first parent),
 * fetches it, checks it out into a worktree, runs setup-command there, starts base and head side
 * by side, judges the pairs, comments, and removes the worktree.
 */
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import { defaultDuetCpus } from '../../../src/service/cpu-affinity.js';
import { newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';
import { payload, runAction } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIR = realpathSync(mkdtempSync(join(tmpdir(), 'lg-base-commit-')));
const HOME = join(DIR, 'home');
const ORIGIN = join(DIR, 'origin.git');
const GIT_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(HOME, '.gitconfig'),
  HOME,
  GIT_AUTHOR_NAME: 'loadgate test',
  GIT_AUTHOR_EMAIL: 'test@loadgate.invalid',
  GIT_COMMITTER_NAME: 'loadgate test',
  GIT_COMMITTER_EMAIL: 'test@loadgate.invalid',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function commit(repo: string, files: Record<string, string>, message: string): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), text);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

const sha = { base: '', head: '', merge: '' };
let fake: FakeGitHub;
let workspace: string;
const marker = newMarker();

beforeAll(async () => {
  mkdirSync(HOME);
  writeFileSync(join(HOME, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  git(DIR, 'init', '-q', '--bare', ORIGIN);
  git(ORIGIN, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const work = join(DIR, 'work');
  git(DIR, 'init', '-q', '-b', 'main', work);
  // The "service" of this repository is the example admin service; the commit under test makes
  // search 5 ms slower (its faults file), nothing else.
  const config = [
    'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
    'defaults: { trials: 10, trialSeconds: 1, warmupSeconds: 0 }',
    '',
  ].join('\n');
  sha.base = commit(
    work,
    { 'faults.txt': 'busy-health:0.001ms\n', 'loadgate.yml': config },
    'base',
  );
  git(work, 'checkout', '-q', '-b', 'slower-search');
  sha.head = commit(
    work,
    { 'faults.txt': 'busy-health:0.001ms,slow-search:5ms\n' },
    'slower search',
  );
  git(work, 'checkout', '-q', '--detach', sha.base);
  git(work, 'merge', '-q', '--no-ff', '--no-edit', 'slower-search');
  sha.merge = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', ORIGIN, `${sha.base}:refs/heads/main`, `${sha.merge}:refs/pull/7/merge`);
  // What actions/checkout does on a pull request: the merge commit, one commit deep.
  workspace = join(DIR, 'workspace');
  git(DIR, 'init', '-q', workspace);
  git(workspace, 'remote', 'add', 'origin', `file://${ORIGIN}`);
  git(workspace, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', 'refs/pull/7/merge');
  git(workspace, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});

afterAll(async () => {
  for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
  await fake.close();
  rmSync(DIR, { recursive: true, force: true });
});

describe('baseline: base-commit (dist/index.js under Node 24)', () => {
  it('measures the base commit beside the head, finds the slower search, and cleans up', async () => {
    const setupLog = join(DIR, 'setup-ran.txt');
    const event = payload<Json>('pull_request-same-repo.json', (p) => {
      p.number = 7;
      p.pull_request.number = 7;
      p.pull_request.base.sha = sha.base;
      p.pull_request.head.sha = sha.head;
    });
    const run = fake.addRun({
      event: 'pull_request',
      headBranch: 'slower-search',
      headSha: sha.head,
      pullRequests: [7],
      status: 'in_progress',
      conclusion: null,
    });
    // Each side reads its own checkout's faults file, then runs the example service.
    const start =
      `F="$(cat faults.txt)"; cd ${ROOT} && exec env LOADGATE_TEST_MARKER=${marker} ` +
      `ADMIN_SERVICE_FAULTS="$F" node ${BUNDLED.example}`;
    const result = await runAction({
      inputs: {
        baseline: 'base-commit',
        'working-directory': workspace,
        'start-command': start,
        'setup-command': `pwd > ${setupLog}; cat faults.txt >> ${setupLog}; echo "side=$LOADGATE_SIDE" >> ${setupLog}`,
        config: 'loadgate.yml',
        'min-effect': '0.2',
        // Fixed rounds: the default budget would run rounds for up to 5 minutes.
        'ab-rounds': '5',
        'github-token': 'ghs_faketoken0000000000000000000000000000',
      },
      event,
      env: {
        ...fake.envFor(run, { GITHUB_SHA: sha.merge, GITHUB_REF: 'refs/pull/7/merge' }),
        ...GIT_ENV,
      },
      timeoutMs: 200_000,
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    // The plan line `loadgate ab` prints for the same config (front-ends.test.ts holds them equal).
    expect(result.stdout).toContain(
      'loadgate: plan: base and head side by side, 2 scenarios, 10 pairs of trials of 1 s per scenario in 5 rounds, 0 s warm-up, α 0.01, min effect 20 %',
    );

    // setup-command ran in the base worktree (the base's faults file), which is gone now.
    const [setupDir, setupFaults, side] = readFileSync(setupLog, 'utf8').trim().split('\n');
    expect(setupFaults).toBe('busy-health:0.001ms');
    expect(side).toBe('side=base');
    expect(setupDir?.startsWith(result.temp)).toBe(true);
    expect(existsSync(setupDir ?? '/')).toBe(false);
    expect(git(workspace, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    // The base commit was fetched into the shallow clone.
    expect(git(workspace, 'cat-file', '-t', sha.base)).toBe('commit');

    // One paired result, the slower search found in that scenario only.
    const saved = JSON.parse(readFileSync(result.outputs['results-path'] ?? '', 'utf8')) as Json;
    expect(saved.ab.base.git.sha).toBe(sha.base);
    expect(saved.ab.base.origin).toMatch(/first parent of the merge commit/);
    // ab-schedule auto: a duet where both services can share one CPU (taskset, 2+ CPUs). The
    // fault waits (a 5 ms timer): the duet must see it although the head frees the CPU meanwhile.
    const pinnable = defaultDuetCpus() !== undefined;
    expect(saved.ab.schedule).toBe(pinnable ? 'duet' : 'interleaved');
    // ab-rounds auto: 10 pairs in 5 rounds of 2, both services restarted between them, and the
    // judge tested the rounds' means.
    expect(saved.ab.rounds).toBe(5);
    const verdict = JSON.parse(
      readFileSync(join(result.outputs['results-path'] ?? '', '../loadgate-verdict.json'), 'utf8'),
    ) as Json;
    expect(verdict.mode).toBe('paired');
    const status = Object.fromEntries(
      (verdict.scenarios as Json[]).map((s) => [s.name as string, s.status as string]),
    );
    expect(status['search-admins']).toBe('regression');
    expect(status['list-admins']).not.toBe('regression');
    const searchP95 = (verdict.scenarios as Json[])
      .find((s) => s.name === 'search-admins')
      ?.comparisons.find((c: Json) => c.metric === 'p95');
    expect(searchP95?.test?.name).toBe('round-means-t');
    expect(searchP95?.rounds).toBe(5);

    const body = fake.comments(7)[0]?.body ?? '';
    expect(body).toContain(
      `**Base:** \`${sha.base.slice(0, 7)}\` (first parent of the merge commit`,
    );
    expect(body).toMatch(/^### ❌ loadgate: search-admins got slower \(/m);
    expect(body).toMatch(/<summary>Method: 10 pairs in 5 rounds, α 0\.01, min effect 20 %/);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
