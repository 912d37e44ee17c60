/**
 * loadgate killed outright (SIGKILL: the OOM killer, the runner's last step of a cancel) runs
 * none of its own cleanup: the services it started (each in its own process group) and the base
 * worktree of `baseline: base-commit` stayed behind. A watchdog process now stops them when
 * loadgate is gone. Run as the runner runs the action (dist/index.js under Node 24) in a real
 * git repository, SIGKILLed while both services run. Needs a fresh `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import {
  gitSandbox,
  pullRequestCheckout,
  type PullRequestCheckout,
} from '../../helpers/git-repo.js';
import { DIST, NODE24, pullRequestEvent } from '../action/harness.js';
import { newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/tiny-api.mjs');
const box = gitSandbox('lg-sigkill-');
const DIR = box.root;
const marker = newMarker();
let fake: FakeGitHub;
let workspace: string;
let sha: PullRequestCheckout['sha'];

beforeAll(async () => {
  // Long trials: loadgate is killed in the middle of them.
  const config = [
    'preset: none',
    'defaults: { trials: 4, trialSeconds: 30, warmupSeconds: 0, connections: 1 }',
    'scenarios:',
    '  - { name: ok, requests: [{ name: ok, path: /ok }] }',
    '',
  ].join('\n');
  ({ sha, workspace } = pullRequestCheckout(box, {
    base: { 'loadgate.yml': config, 'version.txt': 'base\n' },
    head: { 'version.txt': 'head\n' },
  }));
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});

afterAll(async () => {
  for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
  await fake.close();
  rmSync(DIR, { recursive: true, force: true });
});

async function eventually(condition: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (condition()) return true;
    await sleep(100);
  }
  return condition();
}

describe('loadgate SIGKILLed mid-run', () => {
  it('leaves neither its services nor the base worktree behind', async () => {
    const runnerTemp = join(DIR, 'runner-temp');
    mkdirSync(runnerTemp);
    const eventPath = join(DIR, 'event.json');
    writeFileSync(eventPath, JSON.stringify(pullRequestEvent(sha)));
    const run = fake.addRun({
      event: 'pull_request',
      headBranch: 'change',
      headSha: sha.head,
      pullRequests: [7],
      status: 'in_progress',
      conclusion: null,
    });
    const inputs: Record<string, string> = {
      baseline: 'base-commit',
      'working-directory': workspace,
      'start-command': `exec env LOADGATE_TEST_MARKER=${marker} node ${FIXTURE}`,
      config: 'loadgate.yml',
      'ab-rounds': '1',
      'github-token': 'ghs_faketoken0000000000000000000000000000',
    };
    const child = spawn(NODE24, [join(DIST, 'index.js')], {
      cwd: ROOT,
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            (e): e is [string, string] =>
              e[1] !== undefined && !/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(e[0]),
          ),
        ),
        ...fake.envFor(run, { GITHUB_SHA: sha.merge, GITHUB_REF: 'refs/pull/7/merge' }),
        ...box.env,
        ...Object.fromEntries(
          Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
        ),
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: join(DIR, 'github_output'),
        GITHUB_STEP_SUMMARY: join(DIR, 'step_summary.md'),
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const closed = new Promise((resolve) => child.on('close', resolve));
    const worktrees = (): string[] =>
      readdirSync(runnerTemp).filter((name) => name.startsWith('loadgate-base-'));

    // Both services up (base and head), the base worktree checked out: then the SIGKILL.
    const running = await eventually(
      () => processesWithMarker(marker).length === 2 && worktrees().length === 1,
      60_000,
    );
    expect(running, output).toBe(true);
    await sleep(500);
    child.kill('SIGKILL');
    await closed;

    expect(await eventually(() => processesWithMarker(marker).length === 0, 10_000), output).toBe(
      true,
    );
    expect(await eventually(() => worktrees().length === 0, 10_000)).toBe(true);
    expect(
      box.git(workspace, 'worktree', 'list', '--porcelain').match(/^worktree /gm),
    ).toHaveLength(1);
    expect(existsSync(join(runnerTemp, 'loadgate'))).toBe(true);
  });
});
