/**
 * Fault: a cancelled job (the runner sends SIGINT, then SIGTERM) threw away the scenarios that
 * had finished: the process exited without a summary or an artifact. Run as the runner runs the
 * action (dist/index.js under Node 24, the fake GitHub), SIGTERM after the first of two
 * scenarios: the partial result is published (job summary, outputs, report artifact with the
 * pull request's claim, so the fork commenter can say so) before the process exits 143.
 *
 * The runner's own cancel is a ladder: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that.
 * The second signal used to end the process at once, so a publication still under way (a slow
 * GitHub) was lost. With the real ladder and a slow comment API, the partial result is still
 * published, and the process exits by itself before the SIGKILL.
 * Needs a fresh `npm run build`.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import { startFakeGitHub, type FakeGitHub, type FakeRun } from '../../fakes/github-server.js';
import { DIST, NODE24, parseOutputFile, payload } from '../action/harness.js';
import { freePort, newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE = join(import.meta.dirname, 'fixtures/tiny-api.mjs');
const PR_SHA = '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4';
let fake: FakeGitHub;
const marker = newMarker();

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
  await fake.close();
});

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)) env[k] = v;
  }
  return env;
}

interface CancellableRun {
  child: ReturnType<typeof spawn>;
  files: { event: string; output: string; summary: string };
  run: FakeRun;
  output: () => string;
  /** Resolves once the first scenario's partial result is on disk. */
  firstScenarioDone: Promise<void>;
  closed: Promise<number | null>;
}

/** The action on a fork's pull request: two scenarios, the second 30 s long. */
async function startRun(): Promise<CancellableRun> {
  const temp = mkdtempSync(join(tmpdir(), 'lg-cancel-'));
  const runnerTemp = join(temp, 'runner-temp');
  mkdirSync(runnerTemp);
  const config = join(temp, 'loadgate.yml');
  writeFileSync(
    config,
    [
      'preset: none',
      'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 2 }',
      'scenarios:',
      '  - { name: first, requests: [{ name: ok, path: /ok }] }',
      '  - { name: second, trialSeconds: 30, requests: [{ name: ok, path: /ok }] }',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const run = fake.addRun({
    event: 'pull_request',
    headBranch: 'faster-search',
    headSha: PR_SHA,
    headRepository: 'contributor/admin-api',
    pullRequests: [],
    status: 'in_progress',
    conclusion: null,
  });
  const files = {
    event: join(temp, 'event.json'),
    output: join(temp, 'github_output'),
    summary: join(temp, 'step_summary.md'),
  };
  writeFileSync(files.event, JSON.stringify(payload<Json>('pull_request-fork.json')));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const inputs: Record<string, string> = {
    'start-command': `exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node ${FIXTURE}`,
    'base-url': `http://127.0.0.1:${port}`,
    config,
    baseline: 'none',
    'github-token': 'ghs_faketoken0000000000000000000000000000',
  };
  const child = spawn(NODE24, [join(DIST, 'index.js')], {
    cwd: ROOT,
    env: {
      ...cleanEnv(),
      ...fake.envFor(run, { GITHUB_REF: 'refs/pull/42/merge' }),
      ...Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
      ),
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: ROOT,
      RUNNER_TEMP: runnerTemp,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const partialWritten = (): boolean => {
    const root = join(runnerTemp, 'loadgate');
    if (!existsSync(root)) return false;
    return readdirSync(root).some((d) => existsSync(join(root, d, 'loadgate-result.json')));
  };
  const firstScenarioDone = new Promise<void>((resolve) => {
    let seen = false;
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      if (seen || !/first: trial 1\/1/.test(output)) return;
      seen = true;
      const poll = setInterval(() => {
        if (!partialWritten()) return;
        clearInterval(poll);
        resolve();
      }, 20);
    });
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return { child, files, run, output: () => output, firstScenarioDone, closed };
}

describe('a cancelled action run', () => {
  it('publishes the scenarios that finished before SIGTERM, then exits 143', async () => {
    const { child, files, run, output, firstScenarioDone, closed } = await startRun();
    await firstScenarioDone;
    child.kill('SIGTERM');
    const code = await closed;

    expect(code, output()).toBe(143);
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('loadgate: the run was stopped (SIGTERM)');
    expect(summary).toContain('1 of 2 scenarios finished');
    const outputs = parseOutputFile(readFileSync(files.output, 'utf8'));
    expect(outputs.verdict).toBe('error');
    const onDisk = JSON.parse(readFileSync(outputs['results-path']!, 'utf8')) as RunResult;
    expect(onDisk.partial).toEqual({ completed: 1, planned: 2, reason: 'stopped by SIGTERM' });

    const artifact = fake.artifactsOf(run.id).find((a) => a.name === 'loadgate-report-perf');
    expect(artifact, output()).toBeDefined();
    const inArtifact = fake.artifactFiles(artifact!.id);
    expect(Object.keys(inArtifact).sort()).toEqual([
      'loadgate-report.md',
      'loadgate-result.json',
      'pr.json',
    ]);
    const kept = JSON.parse(inArtifact['loadgate-result.json']!.toString('utf8')) as RunResult;
    expect(kept.scenarios.map((s) => s.name)).toEqual(['first']);
    expect(kept.partial?.reason).toBe('stopped by SIGTERM');
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it("keeps publishing through the runner's SIGTERM and exits before its SIGKILL", async () => {
    // GitHub answers the comment's lookup slowly: it is still under way when SIGTERM comes.
    fake.delay('issues.listComments', 7_600);
    try {
      const { child, files, run, output, firstScenarioDone, closed } = await startRun();
      await firstScenarioDone;
      const cancelled = Date.now();
      child.kill('SIGINT');
      const term = setTimeout(() => child.kill('SIGTERM'), 7_500);
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await closed;
      const took = Date.now() - cancelled;
      clearTimeout(term);
      clearTimeout(kill);

      // It exited by itself (130 for the first signal), not by the runner's SIGKILL.
      expect(code, output()).toBe(130);
      expect(took).toBeGreaterThan(7_500);
      expect(took).toBeLessThan(10_000);
      expect(readFileSync(files.summary, 'utf8')).toContain(
        'loadgate: the run was stopped (SIGINT)',
      );
      expect(fake.artifactsOf(run.id).map((a) => a.name)).toContain('loadgate-report-perf');
      // The comment, the last thing published, got through after the SIGTERM.
      const comments = fake.comments(42);
      expect(comments.at(-1)?.body, output()).toContain('the run was stopped (SIGINT)');
      expect(processesWithMarker(marker)).toEqual([]);
    } finally {
      fake.clearFaults();
    }
  });
});
