/**
 * The one action's comment mode, as the runner runs it (dist/index.js under Node 24, every
 * input's default from action.yml, the fake GitHub): on workflow_run it is chosen by default and
 * reads only its own inputs; any other event, a gate input, or a comment setting it cannot honour
 * fails before a single API call, naming the input. Needs a fresh `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import { actionDefaults, payload, runAction } from '../action/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN = 'ghs_commentModeToken0123456789abcdef';
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  await fake.close();
});

async function commenter(inputs: Record<string, string>, event = 'workflow_run') {
  const run = fake.addRun({ event, status: 'in_progress', conclusion: null });
  fake.clearLog();
  const out = await runAction({
    inputs: { ...actionDefaults(), 'github-token': TOKEN, ...inputs },
    event: payload<Json>('workflow_run-fork-pr.json'),
    env: fake.envFor(run, { GITHUB_EVENT_NAME: event }),
  });
  const error = out.commands.find((c) => c.kind === 'error')?.message ?? '';
  return { out, error };
}

describe('comment mode', () => {
  it('mode: comment on a pull_request event is refused before any API call', async () => {
    const { out, error } = await commenter({ mode: 'comment' }, 'pull_request');
    expect(out.code).toBe(1);
    expect(error).toContain('mode comment runs on workflow_run events (this is pull_request)');
    expect(fake.log).toEqual([]);
    // The token is masked even when the step fails early.
    expect(out.stdout).toContain(`::add-mask::${TOKEN}`);
  });

  it('a gate input is an error naming it; comment: never is one naming comment', async () => {
    const gate = await commenter({ 'setup-command': 'npm ci' });
    expect(gate.out.code).toBe(1);
    expect(gate.error).toMatch(
      /^loadgate: input setup-command: not used in comment mode \(mode: auto on a workflow_run event\)/,
    );
    const never = await commenter({ mode: 'comment', comment: 'never' });
    expect(never.out.code).toBe(1);
    expect(never.error).toContain(
      'input comment: in comment mode expected "always" or "on-change"',
    );
    expect(fake.log).toEqual([]);
  });

  it('artifact-name outside comment mode is an error naming it', async () => {
    const { out, error } = await commenter(
      { mode: 'gate', 'artifact-name': 'loadgate-report-perf' },
      'pull_request',
    );
    expect(out.code).toBe(1);
    expect(error).toMatch(/^loadgate: input artifact-name: only used in comment mode/);
  });

  it('with only its defaults, on a workflow_run that was not a pull request, it comments nothing and passes', async () => {
    const run = fake.addRun({ event: 'workflow_run', status: 'in_progress', conclusion: null });
    const out = await runAction({
      inputs: { ...actionDefaults(), 'github-token': TOKEN },
      event: payload<Json>('workflow_run-fork-pr.json', (p) => {
        p.workflow_run.event = 'push';
      }),
      env: fake.envFor(run, { GITHUB_EVENT_NAME: 'workflow_run' }),
    });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('the triggering run was a push run: nothing to comment');
    expect(out.outputs['comment-url']).toBe('');
  });
});
