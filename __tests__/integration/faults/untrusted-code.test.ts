/**
 * Untrusted code and the runner's tokens, through the bundled action (dist/index.js under
 * Node 24, the fake GitHub). Needs a fresh `npm run build`.
 *
 * - The "pwn request": on pull_request_target (and issue_comment, workflow_run) the job holds a
 *   write token while the workflow may have checked out the pull request; loadgate started its
 *   start command there. It now refuses unless allow-untrusted-code is true.
 * - The service's parent: a start command with `exec` made loadgate itself the service's parent,
 *   and `/proc/<ppid>/environ` of loadgate holds INPUT_GITHUB-TOKEN and ACTIONS_RUNTIME_TOKEN.
 *   The service now runs under a launcher shell whose environment never held them.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import { payload, runAction } from '../action/harness.js';
import { freePort, newMarker, processesWithMarker } from '../cli/helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURES = join(import.meta.dirname, 'fixtures');
const GITHUB_TOKEN = 'ghs_writeToken7a6b5c4d3e2f1a0b9c8d';
let fake: FakeGitHub;
const marker = newMarker();

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
  await fake.close();
});

function config(dir: string): string {
  const file = join(dir, 'loadgate.yml');
  writeFileSync(
    file,
    [
      'preset: none',
      'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 1 }',
      'scenarios:',
      '  - { name: ok, requests: [{ name: ok, path: /ok }] }',
      '',
    ].join('\n'),
  );
  return file;
}

// workflow_run with mode: gate (mode auto there is the commenter: below).
const EVENTS: [string, string, Record<string, string>][] = [
  ['pull_request_target', 'pull_request-fork.json', {}],
  ['issue_comment', 'pull_request-fork.json', {}],
  ['workflow_run', 'workflow_run-fork-pr.json', { mode: 'gate' }],
];

/** The action on `event` with a start command that leaves a file behind when it runs. */
async function startOn(event: string, file: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lg-untrusted-'));
  const started = join(dir, 'the-start-command-ran');
  const port = await freePort();
  const run = fake.addRun({ event, headBranch: 'main', status: 'in_progress', conclusion: null });
  const out = await runAction({
    inputs: {
      'start-command': `touch ${started}; exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node ${join(FIXTURES, 'tiny-api.mjs')}`,
      'base-url': `http://127.0.0.1:${port}`,
      config: config(dir),
      baseline: 'none',
      'github-token': GITHUB_TOKEN,
      ...extra,
    },
    event: payload<Json>(file, (p) => {
      if (event === 'issue_comment') {
        // A comment on the pull request: the payload GitHub sends for it.
        p.issue = { number: p.number, pull_request: { url: 'x' } };
        delete p.pull_request;
      }
    }),
    env: fake.envFor(run, { GITHUB_EVENT_NAME: event }),
  });
  return { out, run, started: existsSync(started) };
}

describe('events that hold a write token while the code may be a pull request’s', () => {
  it.each(EVENTS)('on %s, loadgate starts nothing', async (event, file, extra) => {
    const { out, run, started } = await startOn(event, file, extra);
    expect(out.code, out.stdout).toBe(1);
    expect(started).toBe(false);
    const error = out.commands.find((c) => c.kind === 'error')?.message ?? '';
    expect(error).toContain(`loadgate starts no command on ${event}`);
    expect(error).toContain('allow-untrusted-code: true');
    expect(fake.artifactsOf(run.id)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('on workflow_run the default mode is the commenter: a start command is refused, not run', async () => {
    const { out, run, started } = await startOn('workflow_run', 'workflow_run-fork-pr.json', {
      'allow-untrusted-code': 'true',
    });
    expect(out.code, out.stdout).toBe(1);
    expect(started).toBe(false);
    const error = out.commands.find((c) => c.kind === 'error')?.message ?? '';
    expect(error).toMatch(
      /^loadgate: input start-command: not used in comment mode \(mode: auto on a workflow_run event\)/,
    );
    expect(error).toContain('set mode: gate');
    expect(fake.artifactsOf(run.id)).toEqual([]);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('with allow-untrusted-code: true the workflow author vouches, and it runs', async () => {
    const { out, started } = await startOn('pull_request_target', 'pull_request-fork.json', {
      'allow-untrusted-code': 'true',
    });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(started).toBe(true);
    expect(out.commands).toContainEqual({
      kind: 'warning',
      message: expect.stringContaining('allow-untrusted-code is true'),
    });
  });
});

describe('the service’s parent process', () => {
  it('holds none of the runner’s tokens in its environment, even when the command execs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-parent-'));
    const report = join(dir, 'parent.json');
    const port = await freePort();
    const run = fake.addRun({
      event: 'pull_request',
      headBranch: 'feature',
      pullRequests: [91],
      status: 'in_progress',
      conclusion: null,
    });
    const out = await runAction({
      inputs: {
        'start-command': `exec env PORT=${port} REPORT_FILE=${report} LOADGATE_TEST_MARKER=${marker} node ${join(FIXTURES, 'parent-environ.mjs')}`,
        'base-url': `http://127.0.0.1:${port}`,
        config: config(dir),
        baseline: 'none',
        'github-token': GITHUB_TOKEN,
      },
      event: payload<Json>('pull_request-same-repo.json'),
      env: fake.envFor(run),
    });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const parent = JSON.parse(readFileSync(report, 'utf8')) as {
      comm: string;
      environ: string[];
    };
    // The launcher shell, not loadgate's node process.
    expect(parent.comm).toBe('sh');
    expect(parent.environ.length).toBeGreaterThan(0);
    expect(parent.environ.filter((v) => /^(INPUT_|ACTIONS_RUNTIME_TOKEN=)/.test(v))).toEqual([]);
    expect(parent.environ.some((v) => v.includes(GITHUB_TOKEN))).toBe(false);
    expect(processesWithMarker(marker)).toEqual([]);
  });
});
