/**
 * The artifact baseline store against the fake GitHub: @actions/artifact's real upload (Twirp +
 * Azure block blob) and real cross-run download (REST 302 → blob zip → unzip-stream).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub, FakeRun } from '../../fakes/github-server.js';
import { smallRunResult } from '../../fakes/run-result.js';
import type * as BaselineTypes from '../../../src/github/baseline-artifact.js';
import type { Octokit } from '../../../src/github/sticky-comment.js';

type BaselineModule = typeof BaselineTypes;

const owner = 'octo-org';
const repo = 'admin-api';
const TOKEN = 'ghs_faketoken0000000000000000000000000000';

let fake: FakeGitHub;
let restoreBase: () => void;
let restoreRun: (() => void) | undefined;
let mod: BaselineModule;
let octokit: Octokit;
let temp: string;

/** Become a job of `run`: its runtime token, run id, event. */
function enterRun(run: FakeRun): void {
  restoreRun?.();
  restoreRun = applyEnv(fake.envFor(run, { RUNNER_TEMP: temp, GITHUB_WORKSPACE: temp }));
}

function store(
  workflow = 'perf.yml',
  extra: Partial<ConstructorParameters<BaselineModule['ArtifactBaselineStore']>[0]> = {},
) {
  return new mod.ArtifactBaselineStore({
    octokit,
    token: TOKEN,
    owner,
    repo,
    workflow,
    defaultBranch: 'main',
    retry: { retries: 1, baseDelayMs: 10 },
    ...extra,
  });
}

beforeAll(async () => {
  fake = await startFakeGitHub({ owner, repo });
  temp = mkdtempSync(join(tmpdir(), 'lg-baseline-'));
  restoreBase = applyEnv({
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    ACTIONS_RESULTS_URL: fake.resultsUrl,
  });
  // @actions/github reads GITHUB_API_URL when it loads: import after setting it.
  const github = await import('@actions/github');
  mod = await import('../../../src/github/baseline-artifact.js');
  octokit = github.getOctokit(TOKEN);
});

afterEach(() => {
  restoreRun?.();
  restoreRun = undefined;
  fake.clearFaults();
});

afterAll(async () => {
  restoreBase();
  rmSync(temp, { recursive: true, force: true });
  await fake.close();
});

describe('ArtifactBaselineStore', () => {
  it('saves on a push run and loads the identical RunResult from a later PR run', async () => {
    const baseline = smallRunResult(12.5);
    const push = fake.addRun({
      event: 'push',
      headBranch: 'main',
      status: 'in_progress',
      conclusion: null,
    });
    enterRun(push);
    const saved = await store().upload('main', baseline);
    expect(saved.name).toBe('loadgate-baseline-main');

    // The upload really landed: one finalized artifact on the push run, zip holding main.json.
    const [artifact] = fake.artifactsOf(push.id);
    expect(artifact).toMatchObject({
      id: saved.id,
      name: 'loadgate-baseline-main',
      finalized: true,
    });
    expect(JSON.parse(fake.artifactFiles(artifact!.id)['main.json']!.toString('utf8'))).toEqual(
      baseline,
    );
    // With retentionDays 90 → expires_at ≈ now + 90 days.
    const days = (Date.parse(artifact!.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThan(91);
    const create = fake.calls('twirp.CreateArtifact').at(-1);
    expect(create?.body).toMatchObject({
      workflow_run_backend_id: push.backendId,
      workflow_job_run_backend_id: push.jobBackendId,
      name: 'loadgate-baseline-main',
      version: 7,
      mime_type: 'application/zip',
    });
    expect(fake.calls('blob.put').map((c) => c.query.comp)).toEqual(['block', 'blocklist']);

    push.status = 'completed';
    push.conclusion = 'success';

    // A newer successful push run whose head repository is a fork must be ignored.
    const forked = fake.addRun({
      event: 'push',
      headBranch: 'main',
      headRepository: 'contributor/admin-api',
    });
    fake.addArtifact(forked.id, 'loadgate-baseline-main', {
      'main.json': JSON.stringify(smallRunResult(999)),
    });
    // A newer failed push run and a successful PR run do not count either.
    fake.addRun({ event: 'push', headBranch: 'main', conclusion: 'failure' });
    fake.addRun({ event: 'pull_request', headBranch: 'feature', pullRequests: [7] });

    const pr = fake.addRun({
      event: 'pull_request',
      headBranch: 'faster-search',
      pullRequests: [42],
      status: 'in_progress',
      conclusion: null,
    });
    enterRun(pr);
    const found = await store().loadWithProvenance('main');
    expect('missing' in found).toBe(false);
    if ('missing' in found) return;
    expect(found.result).toEqual(baseline);
    expect(found).toMatchObject({
      runId: push.id,
      headSha: push.headSha,
      artifactId: saved.id,
      artifactName: 'loadgate-baseline-main',
    });
    expect(found.ageDays).toBeGreaterThanOrEqual(0);
    expect(found.runUrl).toContain(`/actions/runs/${push.id}`);
    // The download went through the REST 302 and the blob.
    const download = fake.calls('actions.downloadArtifact').at(-1);
    expect(download).toMatchObject({
      status: 302,
      path: `/repos/${owner}/${repo}/actions/artifacts/${saved.id}/zip`,
    });
    expect(download?.authorization).toBe(`token ${TOKEN}`);
    expect(fake.calls('blob.get').at(-1)?.status).toBe(200);
    const runsQuery = fake.calls('actions.listWorkflowRuns').at(-1)?.query;
    expect(runsQuery).toMatchObject({ branch: 'main', event: 'push', status: 'success' });

    expect(await store().load('main')).toEqual(baseline);
    expect(await store().load('nightly')).toBeUndefined();
  });

  it('refuses a second upload of the same name in one run (artifacts are immutable per run)', async () => {
    const push = fake.addRun({ event: 'push', status: 'in_progress', conclusion: null });
    enterRun(push);
    await store().save('dup', smallRunResult());
    await expect(store().save('dup', smallRunResult())).rejects.toThrow(/already exists/);
  });

  it('reports a workflow without a successful push run as missing, with a reason', async () => {
    fake.addRun({ path: '.github/workflows/fresh.yml', event: 'push', conclusion: 'failure' });
    fake.addRun({
      path: '.github/workflows/fresh.yml',
      event: 'pull_request',
      headBranch: 'x',
      pullRequests: [3],
    });
    const out = await store('fresh.yml').loadWithProvenance('main');
    expect(out).toEqual({
      missing: `no successful push run of fresh.yml on main in ${owner}/${repo} yet`,
    });
    expect(await store('unknown.yml').loadWithProvenance('main')).toEqual({
      missing: `workflow unknown.yml was not found in ${owner}/${repo}`,
    });
  });

  it('reports expired and deleted artifacts as missing, falling back to an older run', async () => {
    const path = '.github/workflows/expiry.yml';
    const old = fake.addRun({ path, event: 'push' });
    const oldArtifact = fake.addArtifact(old.id, 'loadgate-baseline-main', {
      'main.json': JSON.stringify(smallRunResult(20)),
    });
    const recent = fake.addRun({ path, event: 'push' });
    const recentArtifact = fake.addArtifact(recent.id, 'loadgate-baseline-main', {
      'main.json': JSON.stringify(smallRunResult(30)),
    });

    fake.expireArtifact(recentArtifact.id);
    const fallback = await store('expiry.yml').loadWithProvenance('main');
    expect(fallback).toMatchObject({ runId: old.id, artifactId: oldArtifact.id });

    fake.expireArtifact(oldArtifact.id);
    const expired = await store('expiry.yml').loadWithProvenance('main');
    expect('missing' in expired && expired.missing).toMatch(
      /^artifact loadgate-baseline-main of run \d+ expired/,
    );

    fake.deleteArtifact(recentArtifact.id);
    fake.deleteArtifact(oldArtifact.id);
    const deleted = await store('expiry.yml').loadWithProvenance('main');
    expect('missing' in deleted && deleted.missing).toMatch(
      /^no artifact loadgate-baseline-main in the 2 latest/,
    );
  });

  it('turns API failures into missing, and a corrupt document into CorruptBaselineError', async () => {
    fake.failNext('actions.listWorkflowRuns', {
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const denied = await store().loadWithProvenance('main');
    expect('missing' in denied && denied.missing).toMatch(
      /could not list the runs of perf.yml: HTTP 403/,
    );

    fake.failNext('actions.listWorkflowRuns', { status: 502 });
    expect('missing' in (await store().loadWithProvenance('main'))).toBe(false); // retried

    const path = '.github/workflows/corrupt.yml';
    const run = fake.addRun({ path, event: 'push' });
    fake.addArtifact(run.id, 'loadgate-baseline-main', { 'main.json': '{"schemaVersion": 99}' });
    const { CorruptBaselineError } = await import('../../../src/baseline/errors.js');
    await expect(store('corrupt.yml').load('main')).rejects.toBeInstanceOf(CorruptBaselineError);

    const racy = fake.addRun({ path: '.github/workflows/racy.yml', event: 'push' });
    const racyArtifact = fake.addArtifact(racy.id, 'loadgate-baseline-main', { 'main.json': '{}' });
    // Listed as live, then expired by the time it is downloaded.
    fake.failNext('actions.downloadArtifact', {
      status: 410,
      body: { message: 'Artifact has expired' },
    });
    const gone = await store('racy.yml').loadWithProvenance('main');
    expect('missing' in gone && gone.missing).toMatch(
      new RegExp(
        `^could not download artifact ${racyArtifact.id} of run ${racy.id}: .*Artifact has expired`,
      ),
    );
  });

  it('describes itself', () => {
    expect(store().describe()).toBe(
      `artifact "loadgate-baseline-<name>" of the latest successful push run of perf.yml on main in ${owner}/${repo}`,
    );
  });
});
