/**
 * The bundled action (dist/index.js), the gate and the fork-safe commenter (its comment mode, on
 * workflow_run), run as the runner runs them (INPUT_* variables, an event file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) against
 * the example service and the fake GitHub. The full list under Node 24 (runs.using: node24) and
 * one smoke test under Node 20. The runs share one fake: a clean push run seeds the baseline
 * artifact the pull request runs compare with.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub, FakeRun } from '../../fakes/github-server.js';
import type { RunResult } from '../../../src/result/types.js';
import { readVerdictKey } from '../../../src/report/comment-protocol.js';
import { exampleCommand, freePort, newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';
import type { ActionRun } from './harness.js';
import { actionDefaults, NODE20, payload, runAction, startPullsProxy } from './harness.js';
import type { PullsProxy } from './harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PR_SHA = '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4';
const MAIN_SHA = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const CLEAN = 'busy-health:0.001ms'; // the fault hook installed, doing nothing measurable
const SLOW_SEARCH = 'slow-search:20ms';
const QUICK = ['list-admins'];

let fake: FakeGitHub;
let config: string;
let quickConfig: string;
let breachConfig: string;
let searchBreachConfig: string;
const markers: string[] = [];
const cleanup: string[] = [];
let pushRun: FakeRun;

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
  const dir = mkdtempSync(join(tmpdir(), 'lg-action-config-'));
  config = join(dir, 'loadgate.yml');
  writeFileSync(
    config,
    [
      '# Two preset scenarios, six short trials: the fewest whose exact test can see a 20 ms delay',
      '# after Holm over their 18 tests (nine gated metrics each): 1/C(12, 6) < 0.05 / 18.',
      'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
      'defaults: { trials: 6, trialSeconds: 0.3, warmupSeconds: 0, connections: 4 }',
      '',
    ].join('\n'),
  );
  // For runs that test publishing, not detection: one scenario, one trial.
  quickConfig = join(dir, 'quick.yml');
  writeFileSync(
    quickConfig,
    [
      'exclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
      'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 4 }',
      '',
    ].join('\n'),
  );
  // The same, with an SLA no service meets: a run that fails the check in a few seconds.
  breachConfig = join(dir, 'breach.yml');
  writeFileSync(
    breachConfig,
    readFileSync(quickConfig, 'utf8').replace(
      'connections: 4 }',
      'connections: 4, sla: { p95Ms: 0.001 } }',
    ),
  );
  // The same for search-admins alone: a verdict that fails whatever the machine is doing.
  searchBreachConfig = join(dir, 'search-breach.yml');
  writeFileSync(
    searchBreachConfig,
    readFileSync(breachConfig, 'utf8').replace('search-admins, ', 'list-admins, '),
  );
});

afterAll(async () => {
  for (const m of markers) for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  await fake.close();
});

async function serviceInputs(
  faults: string,
  quick: boolean | 'breach' | 'search-breach' = false,
): Promise<Record<string, string>> {
  const port = await freePort();
  const m = newMarker();
  markers.push(m);
  return {
    'start-command': exampleCommand(port, m, { ADMIN_SERVICE_FAULTS: faults }),
    'base-url': `http://127.0.0.1:${port}`,
    'working-directory': '.',
    config:
      quick === 'breach'
        ? breachConfig
        : quick === 'search-breach'
          ? searchBreachConfig
          : quick
            ? quickConfig
            : config,
    'auth-token': 'test_superuser_token',
    // Tests compare short runs on a shared machine: only a large change counts.
    'min-effect': '0.5',
    'github-token': 'ghs_faketoken0000000000000000000000000000',
  };
}

function prEvent(number: number, file = 'pull_request-same-repo.json'): Json {
  return payload<Json>(file, (p) => {
    p.number = number;
    p.pull_request.number = number;
  });
}

const prRuns: FakeRun[] = [];

function prRun(number: number, extra: Partial<FakeRun> = {}): FakeRun {
  const run = fake.addRun({
    event: 'pull_request',
    headBranch: 'faster-search',
    headSha: PR_SHA,
    pullRequests: [number],
    status: 'in_progress',
    conclusion: null,
    ...extra,
  });
  prRuns.push(run);
  return run;
}

function errors(run: ActionRun): string {
  return run.commands
    .filter((c) => c.kind === 'error')
    .map((c) => c.message)
    .join('\n');
}

function expectOutputsComplete(run: ActionRun, scenarios = ['list-admins', 'search-admins']): void {
  for (const name of [
    'verdict',
    'regressions',
    'sla-breaches',
    'results-path',
    'report-path',
    'comment-url',
  ]) {
    expect(run.outputs, `output ${name}`).toHaveProperty(name);
  }
  expect(existsSync(run.outputs['results-path'] ?? ''), 'results file').toBe(true);
  const result = JSON.parse(readFileSync(run.outputs['results-path'] ?? '', 'utf8')) as RunResult;
  expect(result.scenarios.map((s) => s.name)).toEqual(scenarios);
}

function log(label: string, run: ActionRun, started: number): void {
  console.log(`${label}: exit ${run.code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

describe('dist/index.js under Node 24', () => {
  it('a push to the default branch saves the baseline artifact and uploads the report', async () => {
    const t0 = Date.now();
    pushRun = fake.addRun({
      event: 'push',
      headBranch: 'main',
      headSha: MAIN_SHA,
      status: 'in_progress',
      conclusion: null,
    });
    const run = await runAction({
      inputs: await serviceInputs(CLEAN),
      event: payload('push-main.json'),
      env: fake.envFor(pushRun),
    });
    log('push', run, t0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectOutputsComplete(run);
    expect(['pass', 'warn']).toContain(run.outputs.verdict);
    expect(run.outputs['comment-url']).toBe('');
    const names = fake.artifactsOf(pushRun.id).map((a) => a.name);
    expect(names.sort()).toEqual(['loadgate-baseline', 'loadgate-report-perf']);
    const baseline = fake.artifactsOf(pushRun.id).find((a) => a.name === 'loadgate-baseline')!;
    // Explicit retention: 90 days.
    const days = (Date.parse(baseline.expiresAt) - Date.parse(baseline.createdAt)) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    const files = fake.artifactFiles(baseline.id);
    const saved = JSON.parse(files['loadgate-baseline.json']!.toString('utf8')) as RunResult;
    expect(saved).toEqual(JSON.parse(readFileSync(run.outputs['results-path']!, 'utf8')));
    // It is the baseline: not compared, no comment, summary written.
    expect(run.summary).toContain('<!-- loadgate:perf -->');
    expect(run.summary).toContain('this run refreshes the baseline');
    expect(fake.calls('issues.createComment')).toHaveLength(0);
    // It looks up the previous baseline once, for the history it extends (none yet).
    expect(fake.calls('actions.listWorkflowRuns')).toHaveLength(1);
    // The job is over and green: later pull requests find it.
    pushRun.status = 'completed';
    pushRun.conclusion = 'success';
  });

  it('the first pull request run compares with that baseline and creates the comment', async () => {
    const t0 = Date.now();
    const run = await runAction({
      inputs: await serviceInputs(CLEAN),
      event: prEvent(43),
      env: fake.envFor(prRun(43)),
    });
    log('first PR', run, t0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectOutputsComplete(run);
    expect(run.outputs.regressions).toBe('0');
    const comments = fake.comments(43);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body.startsWith('<!-- loadgate:perf -->\n<!-- loadgate-verdict:')).toBe(true);
    // Provenance: which run and commit, and how old.
    expect(body).toContain(`**Baseline:** run [${pushRun.id}]`);
    expect(body).toContain(`\`${MAIN_SHA.slice(0, 7)}\``);
    expect(body).toMatch(/old\)/);
    expect(run.outputs['comment-url']).toBe(
      `https://github.com/octo-org/admin-api/pull/43#issuecomment-${comments[0]!.id}`,
    );
    expect(run.summary).toContain('**Baseline:** run');
    // The five-second layout: the verdict in scenarios, the links, the rest collapsed.
    const runUrl = `https://github.com/octo-org/admin-api/actions/runs/${prRuns.at(-1)!.id}`;
    expect(body).toContain(`[workflow run](${runUrl})`);
    expect(body).toContain(`[full report (loadgate-report-perf)](${runUrl}#artifacts)`);
    expect(body).toMatch(/<summary>Method: (\d+) trials per scenario against the baseline's \1, /);
    expect(body).toMatch(/<summary>SLA: /);
  });

  it('a slow-search regression on the next push updates the same comment and fails naming the scenario', async () => {
    const t0 = Date.now();
    const before = { ...fake.comments(43)[0]! };
    const run = await runAction({
      inputs: await serviceInputs(SLOW_SEARCH),
      event: prEvent(43),
      env: fake.envFor(prRun(43)),
    });
    log('regression PR', run, t0);
    expect(run.code, run.stdout).toBe(1);
    expectOutputsComplete(run);
    expect(run.outputs.verdict).toBe('fail');
    expect(Number(run.outputs.regressions), errors(run)).toBeGreaterThan(0);
    const error = errors(run);
    expect(error).toMatch(/regression/);
    expect(error).toContain('search-admins');
    expect(error).not.toMatch(/list-admins: .*regress/);
    const comments = fake.comments(43);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.id).toBe(before.id);
    expect(comments[0]!.body).not.toBe(before.body);
    expect(comments[0]!.body).toContain('search-admins');
    expect(comments[0]!.body).toContain('❌');
    // The verdict line names the scenario; the table has its base → head figures.
    const lines = comments[0]!.body.split('\n');
    expect(lines[2]).toMatch(/^### ❌ loadgate: search-admins got slower \(p\d+ \+\d+ %\)/);
    expect(comments[0]!.body).toMatch(
      /^\| search-admins \| p\d+ \| [\d.]+ ms → [\d.]+ ms \| \+[\d.]+ % \[.*\] \| /m,
    );
    expect(comments[0]!.body).toContain(
      `[workflow run](https://github.com/octo-org/admin-api/actions/runs/${prRuns.at(-1)!.id})`,
    );
    expect(fake.calls('issues.updateComment')).toHaveLength(1);
    // scripts/comment-screenshot.ts renders this real comment for docs/comment.png.
    if (process.env.LOADGATE_SAVE_COMMENT) {
      writeFileSync(process.env.LOADGATE_SAVE_COMMENT, comments[0]!.body);
    }
  });

  it('comment: on-change leaves the comment alone when the verdict did not change (after a retried 502)', async () => {
    const t0 = Date.now();
    const before = { ...fake.comments(43)[0]! };
    fake.failNext('issues.listComments', { status: 502 });
    const updatesBefore = fake.calls('issues.updateComment').length;
    const run = await runAction({
      inputs: { ...(await serviceInputs(SLOW_SEARCH)), comment: 'on-change' },
      event: prEvent(43),
      env: fake.envFor(prRun(43)),
    });
    log('on-change PR', run, t0);
    expect(run.code, run.stdout).toBe(1);
    expect(errors(run)).toContain('search-admins');
    const statuses = fake.calls('issues.listComments').map((c) => c.status);
    expect(statuses.slice(-2)).toEqual([502, 200]);
    expect(run.outputs['comment-url']).toContain(`issuecomment-${before.id}`);
    // Both runs are measured: on a busy machine a second scenario can breach or regress in one of
    // them, and then the verdict did change. The key each run wrote decides what must happen.
    const previousKey = readVerdictKey(before.body);
    const runKey = readVerdictKey(run.summary);
    expect(previousKey).toMatch(/^fail:/);
    expect(runKey).toMatch(/^fail:/);
    if (runKey === previousKey) {
      expect(fake.calls('issues.updateComment')).toHaveLength(updatesBefore);
      expect(fake.comments(43)[0]!.updatedAt).toBe(before.updatedAt);
    } else {
      console.log(`verdict changed between the runs: ${previousKey} → ${runKey}`);
      expect(fake.calls('issues.updateComment')).toHaveLength(updatesBefore + 1);
      expect(readVerdictKey(fake.comments(43)[0]!.body)).toBe(runKey);
    }
  });

  it('no baseline (a workflow whose default branch never ran) is a neutral result, not a crash', async () => {
    const t0 = Date.now();
    const run = await runAction({
      inputs: await serviceInputs(CLEAN, true),
      event: prEvent(44),
      env: fake.envFor(prRun(44, { path: '.github/workflows/fresh.yml' })),
    });
    log('no baseline', run, t0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectOutputsComplete(run, QUICK);
    expect(run.outputs.verdict).toBe('warn');
    expect(run.outputs.regressions).toBe('0');
    const body = fake.comments(44)[0]!.body;
    expect(body).toContain('**No baseline:** no successful push run of fresh.yml on main');
    // on-missing-baseline: warn (the default) makes it a warning, not a notice.
    expect(
      run.commands
        .filter((c) => c.kind === 'warning')
        .map((c) => c.message)
        .join(),
    ).toMatch(/no baseline: .*regressions are not checked/);
  });

  it('the same code on a noisy machine (a CPU hog beside the run) does not fail against the one stored run', async () => {
    // One run against one cannot tell the machine from the code: what the hog does to latency
    // is undecided (or left unjudged when the probes see it), never a failed check.
    const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    try {
      const run = await runAction({
        // The default min effect (10 %): the bar one run against one holds changes to is 20 %.
        inputs: { ...(await serviceInputs(CLEAN)), 'min-effect': '' },
        event: prEvent(49),
        env: fake.envFor(prRun(49)),
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs.regressions).toBe('0');
      const verdict = JSON.parse(
        readFileSync(
          join(dirname(run.outputs['results-path'] ?? ''), 'loadgate-verdict.json'),
          'utf8',
        ),
      ) as Json;
      expect(verdict.failsCheck).toBe(false);
    } finally {
      hog.kill('SIGKILL');
    }
  });

  describe('comment: on-failure', () => {
    const PR = 47;
    async function push(kind: 'pass' | 'fail'): Promise<ActionRun> {
      const t0 = Date.now();
      const run = await runAction({
        inputs: {
          ...(await serviceInputs(CLEAN, kind === 'fail' ? 'breach' : true)),
          comment: 'on-failure',
        },
        event: prEvent(PR),
        env: fake.envFor(prRun(PR)),
      });
      log(`on-failure ${kind}`, run, t0);
      return run;
    }

    it('a passing run writes no comment', async () => {
      const run = await push('pass');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(fake.comments(PR)).toHaveLength(0);
      expect(run.outputs['comment-url']).toBe('');
      expect(run.stdout).toContain('the check passes: no comment (comment: on-failure)');
    });

    it('a failing run comments, with the new layout and the run link', async () => {
      const run = await push('fail');
      expect(run.code, run.stdout).toBe(1);
      const comments = fake.comments(PR);
      expect(comments).toHaveLength(1);
      const body = comments[0]!.body;
      expect(body.split('\n')[2]).toMatch(
        // (On a busy machine the probe may also find the machines differ: said first.)
        /^### ❌ loadgate: (machines differ, latency not judged; )?list-admins breaches its SLA \(p95 latency [\d.]+ ms, over 0\.00100 ms\)/,
      );
      expect(body).toMatch(
        /^\| list-admins \| SLA: p95 latency \| [\d.]+ ms \| limit ≤ 0\.00100 ms/m,
      );
      expect(body).toContain(
        `[workflow run](https://github.com/octo-org/admin-api/actions/runs/${prRuns.at(-1)!.id})`,
      );
      expect(run.outputs['comment-url']).toContain(`issuecomment-${comments[0]!.id}`);
      expect(comments[0]!.isMinimized).toBeUndefined();
    });

    it('the next push passes: the same comment says so and is hidden as outdated', async () => {
      const before = { ...fake.comments(PR)[0]! };
      const run = await push('pass');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const comments = fake.comments(PR);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.id).toBe(before.id);
      expect(comments[0]!.body.split('\n')[2]).toMatch(/^### (✅|⚠️) loadgate: /);
      expect(comments[0]!.body).not.toContain('breaches its SLA');
      expect(comments[0]).toMatchObject({ isMinimized: true, minimizedReason: 'outdated' });
      const mutation = fake
        .calls('graphql')
        .find((c) => /minimizeComment/.test(String((c.body as { query?: string }).query)));
      expect(mutation?.body).toMatchObject({ variables: { id: expect.stringMatching(/^IC_/) } });
      expect(run.outputs['comment-url']).toContain(`issuecomment-${before.id}`);
    });

    it('a later failing run shows the comment again', async () => {
      const id = fake.comments(PR)[0]!.id;
      const run = await push('fail');
      expect(run.code, run.stdout).toBe(1);
      expect(fake.comments(PR)).toHaveLength(1);
      expect(fake.comments(PR)[0]).toMatchObject({ id, isMinimized: false });
      expect(fake.comments(PR)[0]!.body).toContain('breaches its SLA');
    });
  });

  it('a fork pull request (read-only token, 403 on comment) still fails on its verdict, writes the summary and uploads the report', async () => {
    // Its verdict fails on an SLA no service meets: what is checked is the fork's path, not
    // detection (a stored comparison can be undecided when the machine got busier meanwhile).
    const t0 = Date.now();
    fake.addToken('ghs_forktoken', undefined, { readOnly: true });
    const forkRun = prRun(42, {
      headRepository: 'contributor/admin-api',
      pullRequests: [],
    });
    const run = await runAction({
      inputs: {
        ...(await serviceInputs(CLEAN, 'search-breach')),
        'github-token': 'ghs_forktoken',
      },
      event: prEvent(42, 'pull_request-fork.json'),
      env: fake.envFor(forkRun, { GITHUB_REF: 'refs/pull/42/merge' }),
    });
    log('fork PR', run, t0);
    expect(run.code, run.stdout).toBe(1);
    expect(errors(run)).toContain('search-admins');
    const notices = run.commands.filter((c) => c.kind === 'notice' && /read-only/.test(c.message));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toContain('loadgate-report-perf');
    expect(fake.calls('issues.createComment').at(-1)?.status).toBe(403);
    expect(fake.comments(42)).toHaveLength(0);
    expect(run.summary).toContain('search-admins');
    expect(run.outputs['comment-url']).toBe('');
    const report = fake.artifactsOf(forkRun.id).find((a) => a.name === 'loadgate-report-perf');
    expect(report).toBeDefined();
    const files = fake.artifactFiles(report!.id);
    expect(Object.keys(files).sort()).toEqual([
      'comment.md',
      'loadgate-report.md',
      'loadgate-result.json',
      'loadgate-verdict.json',
      'pr.json',
    ]);
    expect(JSON.parse(files['pr.json']!.toString('utf8'))).toMatchObject({
      number: 42,
      headSha: PR_SHA,
    });
    forkRun.status = 'completed';
    forkRun.conclusion = 'failure';
  });

  describe('comment mode (workflow_run, trusted)', () => {
    let proxy: PullsProxy;
    beforeAll(async () => {
      proxy = await startPullsProxy(fake.url);
    });
    afterAll(async () => {
      await proxy.close();
    });

    function workflowRunEvent(run: FakeRun, headSha = run.headSha): Json {
      return payload<Json>('workflow_run-fork-pr.json', (p) => {
        p.workflow_run.id = run.id;
        p.workflow_run.head_sha = headSha;
      });
    }
    function commenterEnv(): Record<string, string> {
      const run = fake.addRun({
        event: 'workflow_run',
        path: '.github/workflows/loadgate-comment.yml',
        status: 'in_progress',
        conclusion: null,
      });
      return fake.envFor(run, { GITHUB_API_URL: proxy.url });
    }

    it('posts the fork run report after checking pr.json against the event and the API', async () => {
      const forkRun = fake.state.runs.find((r) => r.headRepository === 'contributor/admin-api')!;
      proxy.pulls.set(42, { headSha: PR_SHA, baseRepository: 'octo-org/admin-api' });
      const run = await runAction({
        inputs: {
          ...actionDefaults(),
          'github-token': 'ghs_faketoken0000000000000000000000000000',
        },
        event: workflowRunEvent(forkRun),
        env: commenterEnv(),
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const comments = fake.comments(42);
      expect(comments).toHaveLength(1);
      expect(
        comments[0]!.body.startsWith('<!-- loadgate:perf -->\n<!-- loadgate-verdict:fail'),
      ).toBe(true);
      expect(comments[0]!.body).toContain('search-admins');
      expect(run.outputs['comment-url']).toContain(`issuecomment-${comments[0]!.id}`);
    });

    it('refuses an artifact whose pr.json does not match the triggering run, and skips a PR that moved on', async () => {
      // A run whose artifact claims another commit than the one the run tested.
      const evil = prRun(42, { headRepository: 'contributor/admin-api', pullRequests: [] });
      evil.status = 'completed';
      evil.conclusion = 'success';
      fake.addArtifact(evil.id, 'loadgate-report-perf', {
        'pr.json': JSON.stringify({ number: 42, headSha: 'b'.repeat(40) }),
        'comment.md': '<!-- loadgate:other-job -->\nowned',
      });
      const before = fake.comments(42)[0]!.body;
      const refused = await runAction({
        inputs: {
          ...actionDefaults(),
          'github-token': 'ghs_faketoken0000000000000000000000000000',
        },
        event: workflowRunEvent(evil),
        env: commenterEnv(),
      });
      expect(refused.code).toBe(1);
      expect(errors(refused)).toMatch(
        /refused.*pr\.json names commit b{40}, but the triggering run tested/s,
      );
      expect(fake.comments(42)[0]!.body).toBe(before);

      // The PR's head is now another commit: the stale report is not posted.
      const forkRun = fake.state.runs.find((r) => r.headRepository === 'contributor/admin-api')!;
      proxy.pulls.set(42, { headSha: 'd'.repeat(40), baseRepository: 'octo-org/admin-api' });
      const stale = await runAction({
        inputs: {
          ...actionDefaults(),
          'github-token': 'ghs_faketoken0000000000000000000000000000',
        },
        event: workflowRunEvent(forkRun),
        env: commenterEnv(),
      });
      expect(stale.code, stale.stdout).toBe(0);
      expect(
        stale.commands.some((c) => c.kind === 'notice' && /is now at ddddddd/.test(c.message)),
      ).toBe(true);
      expect(fake.comments(42)[0]!.body).toBe(before);
    });
  });

  it('GitHub 5xx: a failed run listing is retried, a comment that keeps failing is reported, the result is kept', async () => {
    const t0 = Date.now();
    fake.failNext('actions.listWorkflowRuns', { status: 502 });
    fake.failNext('issues.createComment', { status: 500, times: 3 });
    const prRun45 = prRun(45);
    const run = await runAction({
      inputs: await serviceInputs(CLEAN, true),
      event: prEvent(45),
      env: fake.envFor(prRun45),
    });
    log('5xx PR', run, t0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectOutputsComplete(run, QUICK);
    // Retried: the baseline was still found.
    expect(
      fake
        .calls('actions.listWorkflowRuns')
        .slice(-2)
        .map((c) => c.status),
    ).toEqual([502, 200]);
    expect(run.summary).toContain(`**Baseline:** run [${pushRun.id}]`);
    // Reported: one warning, no comment, but summary and artifact are there.
    expect(fake.comments(45)).toHaveLength(0);
    expect(run.commands.some((c) => c.kind === 'warning' && /comment failed/.test(c.message))).toBe(
      true,
    );
    expect(run.outputs['comment-url']).toBe('');
    expect(fake.artifactsOf(prRun45.id).map((a) => a.name)).toEqual(['loadgate-report-perf']);
  });

  it('a service that cannot start fails the check with its last log lines', async () => {
    const run = await runAction({
      inputs: {
        ...(await serviceInputs(CLEAN, true)),
        'start-command': `node -e "console.error('listen EADDRINUSE: port taken'); process.exit(3)"`,
        'ready-timeout': '20',
      },
      event: prEvent(46),
      env: fake.envFor(prRun(46)),
    });
    expect(run.code).toBe(1);
    const error = errors(run);
    expect(error).toContain('the service could not start');
    expect(error).toContain('listen EADDRINUSE: port taken');
    expect(run.outputs.verdict).toBe('error');
    expect(run.summary).toContain('listen EADDRINUSE: port taken');
    expect(fake.comments(46)[0]?.body).toContain('the service could not start');
  });

  it('a bad input fails at once, naming the input and what it expects; secrets are masked', async () => {
    const run = await runAction({
      inputs: {
        ...(await serviceInputs(CLEAN, true)),
        'fail-on': 'latency',
        'auth-token': 's3cret-tok',
      },
      event: prEvent(47),
      env: fake.envFor(prRun(47)),
    });
    expect(run.code).toBe(1);
    expect(errors(run)).toBe(
      'loadgate: input fail-on: expected "sla", "regression", "undecided" (several comma-separated, e.g. "sla,regression") or "none", got "latency"',
    );
    const masks = run.commands.filter((c) => c.kind === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(['s3cret-tok', 'ghs_faketoken0000000000000000000000000000']);
  });

  it('a corrupt baseline file fails the check naming the file, after the result is written, summarized and uploaded', async () => {
    const t0 = Date.now();
    // Inside the repository (baseline paths must be), in the git-ignored .loadgate/ folder.
    const rel = `.loadgate/test-${process.pid}-${Date.now()}/main.json`;
    mkdirSync(dirname(join(ROOT, rel)), { recursive: true });
    cleanup.push(dirname(join(ROOT, rel)));
    writeFileSync(
      join(ROOT, rel),
      '{"schemaVersion": 1, "tool": {"name": "loadgate"}, "scenarios": 3}',
    );
    const feature = fake.addRun({
      event: 'push',
      headBranch: 'feature/cache',
      status: 'in_progress',
      conclusion: null,
    });
    const run = await runAction({
      inputs: { ...(await serviceInputs(CLEAN, true)), baseline: rel },
      event: payload('push-feature.json'),
      env: fake.envFor(feature),
    });
    log('corrupt baseline', run, t0);
    expect(run.code).toBe(1);
    expect(errors(run)).toContain(`baseline file ${rel}: invalid loadgate result`);
    expectOutputsComplete(run, QUICK);
    expect(run.summary).toContain('[!CAUTION]');
    expect(fake.artifactsOf(feature.id).map((a) => a.name)).toEqual(['loadgate-report-perf']);
  });
});

describe('dist/index.js under Node 20 (smoke)', () => {
  it('a first pull request run creates the comment', async () => {
    const t0 = Date.now();
    const run = await runAction({
      node: NODE20,
      inputs: await serviceInputs(CLEAN, true),
      event: prEvent(50),
      env: fake.envFor(prRun(50)),
    });
    log('node20 PR', run, t0);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expectOutputsComplete(run, QUICK);
    expect(fake.comments(50)).toHaveLength(1);
    expect(fake.comments(50)[0]!.body).toContain('<!-- loadgate:perf -->');
  });
});

describe('processes', () => {
  it('every service the runs started is gone', () => {
    for (const m of markers) expect(processesWithMarker(m), m).toEqual([]);
  });
});
