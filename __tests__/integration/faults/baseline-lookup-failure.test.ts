/**
 * Issue 11, "no silent pass": any error while listing runs or artifacts (a token without
 * `actions: read`, a 5xx after retries) was "no baseline yet", a notice, and the pull request
 * passed on SLAs alone. Now "could not look" is told from "there is none": a warning in the log
 * and the report whatever `on-missing-baseline` says, and a failed check with `fail`.
 *
 * findBaseline against the fake GitHub (fast), then the bundled action once (dist/index.js,
 * rebuilt by `npm run build` before this runs) with a 403 on the run listing and
 * `on-missing-baseline: fail`: the result is still written and published, the log and the job
 * summary say what happened, and the check fails.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../../fakes/github-server.js';
import { smallRunResult } from '../../fakes/run-result.js';
import type * as BaselineTypes from '../../../src/action/baseline.js';
import type { ActionDeps } from '../../../src/action/deps.js';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import type { Octokit } from '../../../src/github/sticky-comment.js';
import { readActionsContext } from '../../../src/github/context.js';
import { freePort, newMarker, processesWithMarker } from '../cli/helpers.js';
import { payload, runAction } from '../action/harness.js';

const TOKEN = 'ghs_faketoken0000000000000000000000000000';
const ACCESS_DENIED = { status: 403, body: { message: 'Resource not accessible by integration' } };

let fake: FakeGitHub;
let restore: () => void;
let baseline: typeof BaselineTypes;
let octokit: Octokit;
const markers: string[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
  restore = applyEnv({ GITHUB_API_URL: fake.apiUrl, ACTIONS_RESULTS_URL: fake.resultsUrl });
  const github = await import('@actions/github');
  octokit = github.getOctokit(TOKEN);
  baseline = await import('../../../src/action/baseline.js');
  // A push run on main with a baseline artifact: there IS a baseline to be found.
  const push = fake.addRun({ event: 'push' });
  fake.addArtifact(push.id, 'loadgate-baseline', {
    'loadgate-baseline.json': JSON.stringify(smallRunResult(10)),
  });
});

afterAll(async () => {
  restore();
  await fake.close();
  for (const m of markers) for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
});

beforeEach(() => fake.clearFaults());

function prRun(path = '.github/workflows/perf.yml'): FakeRun {
  return fake.addRun({
    event: 'pull_request',
    headBranch: 'feature',
    pullRequests: [7],
    status: 'in_progress',
    conclusion: null,
    path,
  });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const prPayload = () =>
  payload<Json>('pull_request-same-repo.json', (p) => {
    p.number = 7;
    p.pull_request.number = 7;
  });

async function find(values: Partial<Record<InputName, string>>, run = prRun()) {
  const inputs = parseInputs((name) => values[name] ?? '', { cwd: process.cwd() });
  const deps = {
    ctx: readActionsContext(fake.envFor(run), prPayload()),
    octokit,
    retry: { retries: 1, baseDelayMs: 5 },
  } as unknown as ActionDeps;
  return baseline.findBaseline({ ...inputs, githubToken: TOKEN }, deps, false);
}

describe('findBaseline: "could not look" is not "there is none"', () => {
  it('finds the baseline when the API answers', async () => {
    const found = await find({});
    expect(found.result).toBeDefined();
    expect(found.warning).toBeUndefined();
  });

  it('a 403 on the run listing (no actions: read): a warning naming the permission, never a notice', async () => {
    fake.failNext('actions.listWorkflowRuns', ACCESS_DENIED);
    const out = await find({ 'on-missing-baseline': 'pass' });
    expect(out.result).toBeUndefined();
    expect(out.notice).toBeUndefined();
    expect(out.warning).toMatch(
      /^could not look for a baseline: could not list the runs of perf\.yml: HTTP 403.*actions: read/,
    );
    expect(out.fatal).toBeUndefined();
  });

  it('5xx after retries on the artifact listing: a warning, and with fail a failed check', async () => {
    fake.failNext('actions.listWorkflowRunArtifacts', { status: 502, times: 2 });
    const out = await find({ 'on-missing-baseline': 'fail' });
    expect(out.warning).toMatch(/^could not look for a baseline: could not list the artifacts/);
    expect(out.fatal).toMatch(/could not look for a baseline.*\(on-missing-baseline: fail\)$/);
  });

  it('there is none (the workflow never ran on main): the input decides', async () => {
    const fresh = '.github/workflows/fresh.yml';
    const none = (policy: string) => find({ 'on-missing-baseline': policy }, prRun(fresh));
    expect((await none('pass')).notice).toMatch(/^no baseline: .*fresh\.yml.*SLA verdicts only$/);
    expect((await none('warn')).warning).toMatch(/^no baseline: .*regressions are not checked/);
    expect((await none('fail')).fatal).toMatch(/^no baseline to compare with: .*fresh\.yml/);
  });
});

describe('the action (dist/index.js) with a 403 on the run listing and on-missing-baseline: fail', () => {
  it('publishes the run, warns in the log and the summary, and fails the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-lookup-'));
    const config = join(dir, 'loadgate.yml');
    writeFileSync(
      config,
      [
        'preset: none',
        'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 2 }',
        'scenarios:',
        '  - name: hello',
        '    requests: [{ name: root, path: / }]',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const m = newMarker();
    markers.push(m);
    fake.failNext('actions.listWorkflowRuns', { ...ACCESS_DENIED, times: 3 });
    const run = prRun();
    const out = await runAction({
      inputs: {
        'start-command': `exec env PORT=${port} LOADGATE_TEST_MARKER=${m} node __tests__/helpers/fixtures/server.mjs`,
        'base-url': `http://127.0.0.1:${port}`,
        config,
        'on-missing-baseline': 'fail',
        'github-token': TOKEN,
      },
      event: prPayload(),
      env: fake.envFor(run),
    });
    const said = (kind: string) =>
      out.commands.filter((c) => c.kind === kind).map((c) => c.message);
    expect(out.code, out.stdout + out.stderr).toBe(1);
    expect(said('warning').join('\n')).toMatch(
      /could not look for a baseline: could not list the runs of perf\.yml: HTTP 403/,
    );
    expect(said('notice').join('\n')).not.toMatch(/no baseline/);
    expect(said('error').join('\n')).toMatch(/on-missing-baseline: fail/);
    // The run was kept and published all the same.
    expect(readFileSync(out.outputs['results-path'] ?? '', 'utf8')).toContain('"hello"');
    expect(out.summary).toMatch(/\[!WARNING\]\n> could not look for a baseline/);
    expect(out.summary).toMatch(/\[!CAUTION\]\n> could not look for a baseline/);
    expect(fake.comments(7).at(-1)?.body).toMatch(/could not look for a baseline/);
    expect(processesWithMarker(m)).toEqual([]);
  });
});
