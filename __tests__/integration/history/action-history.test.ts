/**
 * The history of the default branch in the bundled action (dist/index.js under Node 24), as the
 * runner runs it against the fake GitHub: a first refresh starts a history; a refresh appends to
 * the previous artifact's history and uploads both files; a pull request is judged against that
 * history (and its accept label accepts its regression); the push that merges it marks its run as
 * the accepted change. One scenario, four short trials per run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyText } from '../../../src/baseline/history-file.js';
import type { Verdict } from '../../../src/judge/types.js';
import type { History, HistoryRun } from '../../../src/result/history.js';
import { parseHistory } from '../../../src/result/history-schema.js';
import type { RunResult } from '../../../src/result/types.js';
import { startGitHubProxy, type GitHubProxy } from '../../fakes/github-proxy.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../../fakes/github-server.js';
import { exampleCommand, freePort, newMarker, processesWithMarker } from '../cli/helpers.js';
import { payload, runAction, type ActionRun } from '../action/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LABEL = 'loadgate:accept-regression';
const TOKEN = 'ghs_faketoken0000000000000000000000000000';
const MERGE_SHA = 'beefbeefbeefbeefbeefbeefbeefbeefbeefbeef';

let fake: FakeGitHub;
let proxy: GitHubProxy & { pulls: Map<string, unknown[]> };
let config: string;
let dir: string;
const markers: string[] = [];

/** Answers `GET /repos/{o}/{r}/commits/{sha}/pulls` (the fake has no such route), forwards the rest. */
async function startCommitPullsProxy(target: string): Promise<typeof proxy> {
  const pulls = new Map<string, unknown[]>();
  const forwarding = await startGitHubProxy(target, (method, path) => {
    const m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls(\?.*)?$/.exec(path);
    return m && method === 'GET' ? { status: 200, body: pulls.get(m[1] ?? '') ?? [] } : undefined;
  });
  return { ...forwarding, pulls };
}

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
  proxy = await startCommitPullsProxy(fake.url);
  dir = mkdtempSync(join(tmpdir(), 'lg-history-'));
  config = join(dir, 'loadgate.yml');
  writeFileSync(
    config,
    [
      'exclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
      'defaults: { trials: 4, trialSeconds: 0.3, warmupSeconds: 0, connections: 4 }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const m of markers) for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await proxy.close();
  await fake.close();
});

async function inputs(faults: string): Promise<Record<string, string>> {
  const port = await freePort();
  const marker = newMarker();
  markers.push(marker);
  return {
    'start-command': exampleCommand(port, marker, { ADMIN_SERVICE_FAULTS: faults }),
    'base-url': `http://127.0.0.1:${port}`,
    config,
    'github-token': TOKEN,
    // A 20 ms delay keeps 4 connections below the preset's throughput floor: not tested here.
    'fail-on': 'regression',
  };
}

function pushRun(sha: string): FakeRun {
  return fake.addRun({
    event: 'push',
    headBranch: 'main',
    headSha: sha,
    status: 'in_progress',
    conclusion: null,
  });
}

async function push(
  sha: string,
  faults = 'busy-health:0.001ms',
): Promise<{ run: ActionRun; fakeRun: FakeRun }> {
  const fakeRun = pushRun(sha);
  const run = await runAction({
    inputs: await inputs(faults),
    event: payload<Json>('push-main.json', (p) => {
      p.after = sha;
    }),
    env: fake.envFor(fakeRun, { GITHUB_API_URL: proxy.url }),
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  fakeRun.status = 'completed';
  fakeRun.conclusion = 'success';
  return { run, fakeRun };
}

function baselineFiles(run: FakeRun): Record<string, Buffer> {
  const artifact = fake.artifactsOf(run.id).find((a) => a.name === 'loadgate-baseline');
  expect(artifact, 'baseline artifact').toBeDefined();
  return fake.artifactFiles(artifact!.id);
}

function historyOf(run: FakeRun): History {
  const files = baselineFiles(run);
  expect(Object.keys(files).sort()).toEqual(['loadgate-baseline.json', 'loadgate-history.json']);
  return parseHistory(files['loadgate-history.json']!.toString('utf8'), 'artifact');
}

function notices(run: ActionRun): string {
  return run.commands
    .filter((c) => c.kind === 'notice' || c.kind === 'warning')
    .map((c) => c.message)
    .join('\n');
}

/** A copy of a history entry as another run of main: values and probe scaled, started earlier. */
function earlier(entry: HistoryRun, i: number, factor: number): HistoryRun {
  const scale = (values: number[]) => values.map((v) => v * factor);
  return {
    ...entry,
    commit: String(i).repeat(40).slice(0, 40),
    runId: 100 + i,
    startedAt: new Date(Date.parse(entry.startedAt) - (10 - i) * 86_400_000).toISOString(),
    ...(entry.probe
      ? { probe: { cpuMs: entry.probe.cpuMs * factor, memoryMs: entry.probe.memoryMs * factor } }
      : {}),
    scenarios: Object.fromEntries(
      Object.entries(entry.scenarios).map(([name, metrics]) => [
        name,
        Object.fromEntries(
          Object.entries(metrics).map(([metric, values]) => [
            metric,
            metric === 'throughput' ? values.map((v) => v / factor) : scale(values),
          ]),
        ),
      ]),
    ),
  };
}

describe('the history of the default branch in the action', () => {
  let first: FakeRun;
  let refreshed: FakeRun;

  it('a first refresh starts a history, with a notice, beside the baseline', async () => {
    const { run, fakeRun } = await push('1'.repeat(40));
    first = fakeRun;
    expect(notices(run)).toMatch(
      /no previous baseline artifact \(no successful push run .*\): a new history of the default branch starts with this run/,
    );
    const history = historyOf(first);
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({ commit: '1'.repeat(40), runId: first.id });
    expect(history.runs[0]?.probe?.cpuMs).toBeGreaterThan(0);
    const saved = JSON.parse(
      baselineFiles(first)['loadgate-baseline.json']!.toString('utf8'),
    ) as RunResult;
    expect(saved.probe?.before.cpuMs).toBeGreaterThan(0);
    expect(saved.environment.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('a refresh appends to the previous artifact’s history and uploads both', async () => {
    // The previous refresh: the first run's baseline, and a history of five runs of main.
    const one = historyOf(first).runs[0]!;
    const five: History = {
      schemaVersion: 1,
      runs: [...[0.7, 1.3, 0.85, 1.15].map((f, i) => earlier(one, i + 1, f)), one],
    };
    const seeded = fake.addRun({ event: 'push', headBranch: 'main', headSha: '2'.repeat(40) });
    fake.addArtifact(seeded.id, 'loadgate-baseline', {
      'loadgate-baseline.json': baselineFiles(first)['loadgate-baseline.json']!,
      'loadgate-history.json': historyText(five),
    });
    const { run, fakeRun } = await push('3'.repeat(40));
    refreshed = fakeRun;
    expect(notices(run)).not.toMatch(/history/);
    const history = historyOf(refreshed);
    expect(history.runs.map((r) => r.runId)).toEqual([101, 102, 103, 104, first.id, refreshed.id]);
    expect(run.stdout).toContain('history of the default branch: 6 run(s)');
    // A refresh is the baseline: not compared, however long its history.
    expect(run.summary).toContain('this run refreshes the baseline');
  });

  it('a pull request is judged against that history; its accept label accepts the regression', async () => {
    const prRun = fake.addRun({
      event: 'pull_request',
      headBranch: 'slower-list',
      headSha: '4'.repeat(40),
      pullRequests: [61],
      status: 'in_progress',
      conclusion: null,
    });
    const run = await runAction({
      inputs: await inputs('slow-list:20ms'),
      event: payload<Json>('pull_request-same-repo.json', (p) => {
        p.number = 61;
        p.pull_request.number = 61;
        p.pull_request.labels = [{ name: 'perf' }, { name: LABEL }];
      }),
      env: fake.envFor(prRun, { GITHUB_API_URL: proxy.url }),
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('the baseline artifact holds 6 run(s) of history');
    const report = fake.artifactsOf(prRun.id).find((a) => a.name === 'loadgate-report-perf')!;
    const verdict = JSON.parse(
      fake.artifactFiles(report.id)['loadgate-verdict.json']!.toString('utf8'),
    ) as Verdict;
    expect(verdict.history).toMatchObject({ runs: 6, used: 6 });
    const p95 = verdict.scenarios[0]?.comparisons.find((c) => c.metric === 'p95');
    expect(p95?.test?.name).toBe('history-prediction');
    expect(p95?.outcome).toBe('regression');
    expect(verdict.accepted).toMatchObject({ label: LABEL });
    expect(verdict.failsCheck).toBe(false);
    const body = fake.comments(61)[0]!.body;
    expect(body).toMatch(/, and 6 runs of its history/);
    expect(body).toMatch(
      /^### ⚠️ loadgate: list-admins got slower \(p95 \+[\d,.]+ %\), accepted by the label/m,
    );
    expect(body).toContain(`accepted by the label \`${LABEL}\``);
  });

  it('the push that merges it marks its run in the history as the accepted change', async () => {
    proxy.pulls.set(MERGE_SHA, [
      {
        number: 61,
        merged_at: '2025-03-10T10:00:00Z',
        merge_commit_sha: MERGE_SHA,
        base: { ref: 'main' },
        labels: [{ name: LABEL }],
      },
    ]);
    const { fakeRun } = await push(MERGE_SHA, 'slow-list:20ms');
    const history = historyOf(fakeRun);
    expect(history.runs).toHaveLength(7);
    expect(history.runs.at(-1)?.accepted).toEqual({
      label: LABEL,
      pullRequest: 61,
      scenarios: ['list-admins'],
    });
  });

  it('every service the runs started is gone', () => {
    for (const m of markers) expect(processesWithMarker(m), m).toEqual([]);
  });
});
