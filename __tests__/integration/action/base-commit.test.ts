/**
 * `baseline: base-commit`, run as the runner runs it (dist/index.js under Node 24, INPUT_*
 * variables, an event file) in a real git repository: a pull request's merge commit checked out
 * shallow, as actions/checkout does. The action finds the base (the merge commit's first parent),
 * fetches it, checks it out into a worktree, runs setup-command there, starts base and head side
 * by side, judges the pairs, comments, and removes the worktree.
 */
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import {
  gitSandbox,
  pullRequestCheckout,
  type PullRequestCheckout,
} from '../../helpers/git-repo.js';
import { defaultDuetCpus } from '../../../src/service/cpu-affinity.js';
import { newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';
import { pullRequestEvent, runAction } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const box = gitSandbox('lg-base-commit-');
const DIR = box.root;
const { git } = box;
const GIT_ENV = box.env;

// The "service" of this repository is the example admin service; the commit under test makes
// search 10 ms slower (its faults file), nothing else.
const config = [
  'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
  'defaults: { trials: 10, trialSeconds: 0.3, warmupSeconds: 0 }',
  '',
].join('\n');
let sha: PullRequestCheckout['sha'];
let fake: FakeGitHub;
let workspace: string;
const marker = newMarker();

beforeAll(async () => {
  // What actions/checkout does on a pull request: the merge commit, one commit deep.
  ({ sha, workspace } = pullRequestCheckout(box, {
    base: { 'faults.txt': 'busy-health:0.001ms\n', 'loadgate.yml': config },
    head: { 'faults.txt': 'busy-health:0.001ms,slow-search:10ms\n' },
  }));
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
    const event = pullRequestEvent(sha);
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
        // A fixed number of rounds (the default is a budget: rounds until each scenario is
        // decided), so the plan below is known in advance.
        'ab-rounds': '5',
        'min-effect': '0.2',
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
      'loadgate: plan: base and head side by side, 2 scenarios, 10 pairs of trials of 0.3 s per scenario in 5 rounds, 0 s warm-up, α 0.01, min effect 20 %',
    );

    // The log: a group per scenario and round, its place in the run and the time; inside it
    // each trial labelled with its side.
    expect(result.stdout).toMatch(
      /^::group::loadgate: \[1\/2\] list-admins, round 1\/5 \(\d+ s elapsed/m,
    );
    expect(result.stdout).toMatch(/^::group::loadgate: \[2\/2\] search-admins, round 5\/5 \(/m);
    expect(result.stdout).toMatch(/^search-admins: head trial \d+\/10 /m);
    expect(result.stdout).toMatch(/^search-admins: base trial \d+\/10 /m);
    expect(result.stdout).toMatch(/^::endgroup::$/m);

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
    // fault waits (a 10 ms timer): the duet must see it although the head frees the CPU meanwhile.
    const pinnable = defaultDuetCpus() !== undefined;
    expect(saved.ab.schedule).toBe(pinnable ? 'duet' : 'interleaved');
    // ab-rounds 5: 10 pairs in 5 rounds of 2, both services restarted between them, and the
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
