/**
 * Fault: a cancelled job (the runner sends SIGINT, then SIGTERM) threw away the scenarios that
 * had finished: the process exited without a summary or an artifact. Run as the runner runs the
 * action (dist/index.js under Node 24, the fake GitHub), SIGTERM after the first of two
 * scenarios: the partial result is published (job summary, outputs, report artifact with the
 * pull request's claim, so the fork commenter can say so) before the process exits 143.
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
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
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

describe('a cancelled action run', () => {
  it('publishes the scenarios that finished before SIGTERM, then exits 143', async () => {
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
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let signalled = false;
    const partialWritten = (): boolean => {
      const root = join(runnerTemp, 'loadgate');
      if (!existsSync(root)) return false;
      return readdirSync(root).some((d) => existsSync(join(root, d, 'loadgate-result.json')));
    };
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!signalled && /first: trial 1\/1/.test(stdout)) {
        signalled = true;
        const poll = setInterval(() => {
          if (partialWritten()) {
            clearInterval(poll);
            child.kill('SIGTERM');
          }
        }, 20);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);

    expect(signalled, stdout + stderr).toBe(true);
    expect(code, stdout + stderr).toBe(143);
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('loadgate: the run was stopped (SIGTERM)');
    expect(summary).toContain('1 of 2 scenarios finished');
    const outputs = parseOutputFile(readFileSync(files.output, 'utf8'));
    expect(outputs.verdict).toBe('error');
    const onDisk = JSON.parse(readFileSync(outputs['results-path']!, 'utf8')) as RunResult;
    expect(onDisk.partial).toEqual({ completed: 1, planned: 2, reason: 'stopped by SIGTERM' });

    const artifact = fake.artifactsOf(run.id).find((a) => a.name === 'loadgate-report-perf');
    expect(artifact, stdout).toBeDefined();
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
});
