import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadActionsContext,
  readActionsContext,
  workflowPathFromRef,
} from '../../../src/github/context.js';
import prFork from '../../fakes/payloads/pull_request-fork.json' with { type: 'json' };
import prSame from '../../fakes/payloads/pull_request-same-repo.json' with { type: 'json' };
import pushFeature from '../../fakes/payloads/push-feature.json' with { type: 'json' };
import pushMain from '../../fakes/payloads/push-main.json' with { type: 'json' };
import wrFork from '../../fakes/payloads/workflow_run-fork-pr.json' with { type: 'json' };
import wrSame from '../../fakes/payloads/workflow_run-same-repo-pr.json' with { type: 'json' };

function env(
  event: string,
  ref: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    GITHUB_REPOSITORY: 'octo-org/admin-api',
    GITHUB_EVENT_NAME: event,
    GITHUB_REF: ref,
    GITHUB_SHA: 'merge0000000000000000000000000000000000a',
    GITHUB_RUN_ID: '12345678999',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_RUN_NUMBER: '78',
    GITHUB_WORKFLOW: 'perf',
    GITHUB_WORKFLOW_REF: `octo-org/admin-api/.github/workflows/perf.yml@${ref}`,
    GITHUB_JOB: 'load',
    GITHUB_ACTOR: 'contributor',
    ...extra,
  };
}

describe('readActionsContext', () => {
  it('reads a pull request from a fork', () => {
    const ctx = readActionsContext(env('pull_request', 'refs/pull/42/merge'), prFork);
    expect(ctx).toMatchObject({
      owner: 'octo-org',
      repo: 'admin-api',
      repository: 'octo-org/admin-api',
      eventName: 'pull_request',
      prNumber: 42,
      isFork: true,
      headSha: '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4',
      sha: 'merge0000000000000000000000000000000000a',
      headBranch: 'faster-search',
      baseBranch: 'main',
      defaultBranch: 'main',
      isDefaultBranchPush: false,
      runId: 12345678999,
      runAttempt: 2,
      runNumber: 78,
      workflowPath: '.github/workflows/perf.yml',
      workflowFile: 'perf.yml',
      job: 'load',
      apiUrl: 'https://api.github.com',
      triggeringRun: undefined,
    });
  });

  it('reads a pull request from the same repository', () => {
    const ctx = readActionsContext(env('pull_request', 'refs/pull/43/merge'), prSame);
    expect(ctx.prNumber).toBe(43);
    expect(ctx.isFork).toBe(false);
    expect(ctx.headSha).toBe('9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4');
  });

  it('treats a pull request whose head repository was deleted as a fork', () => {
    const payload = structuredClone(prFork) as { pull_request: { head: { repo: unknown } } };
    payload.pull_request.head.repo = null;
    expect(readActionsContext(env('pull_request', 'refs/pull/42/merge'), payload).isFork).toBe(
      true,
    );
  });

  it('reads a push to the default branch', () => {
    const ctx = readActionsContext(
      env('push', 'refs/heads/main', { GITHUB_SHA: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' }),
      pushMain,
    );
    expect(ctx).toMatchObject({
      eventName: 'push',
      prNumber: undefined,
      isFork: false,
      isDefaultBranchPush: true,
      headBranch: 'main',
      defaultBranch: 'main',
      headSha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
    });
  });

  it('reads a push to another branch', () => {
    const ctx = readActionsContext(env('push', 'refs/heads/feature/cache'), pushFeature);
    expect(ctx.isDefaultBranchPush).toBe(false);
    expect(ctx.headBranch).toBe('feature/cache');
    expect(ctx.defaultBranch).toBe('main');
  });

  it('reads a workflow_run triggered by a fork pull request (no PR number: GitHub leaves it empty)', () => {
    const ctx = readActionsContext(env('workflow_run', 'refs/heads/main'), wrFork);
    expect(ctx.triggeringRun).toEqual({
      id: 12345678901,
      event: 'pull_request',
      headSha: '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4',
      headBranch: 'faster-search',
      conclusion: 'failure',
      prNumber: undefined,
      headRepository: 'contributor/admin-api',
      isFork: true,
    });
    expect(ctx.isFork).toBe(true);
    expect(ctx.prNumber).toBeUndefined();
    expect(ctx.headSha).toBe('9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4');
  });

  it('reads a workflow_run of a same-repository pull request with its number', () => {
    const ctx = readActionsContext(env('workflow_run', 'refs/heads/main'), wrSame);
    expect(ctx.prNumber).toBe(43);
    expect(ctx.isFork).toBe(false);
    expect(ctx.triggeringRun?.conclusion).toBe('success');
  });

  it('falls back to the payload for the repository and tolerates an empty environment', () => {
    const ctx = readActionsContext({}, pushMain);
    expect(ctx.repository).toBe('octo-org/admin-api');
    expect(ctx.runId).toBeUndefined();
    expect(ctx.workflowFile).toBeUndefined();
    expect(readActionsContext({}, undefined).repository).toBe('');
  });

  it('loads the event file named by GITHUB_EVENT_PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-ctx-'));
    try {
      const path = join(dir, 'event.json');
      writeFileSync(path, JSON.stringify(prFork));
      const ctx = loadActionsContext(
        env('pull_request', 'refs/pull/42/merge', { GITHUB_EVENT_PATH: path }),
      );
      expect(ctx.prNumber).toBe(42);
      expect(
        loadActionsContext({ GITHUB_EVENT_PATH: join(dir, 'nope.json') }).prNumber,
      ).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('workflowPathFromRef', () => {
  it('strips owner/repo and the ref', () => {
    expect(
      workflowPathFromRef(
        'octo-org/admin-api/.github/workflows/perf.yml@refs/pull/42/merge',
        'octo-org/admin-api',
      ),
    ).toBe('.github/workflows/perf.yml');
    expect(
      workflowPathFromRef(
        'Octo-Org/Admin-API/.github/workflows/a@b.yml@refs/heads/main',
        'octo-org/admin-api',
      ),
    ).toBe('.github/workflows/a@b.yml');
    expect(workflowPathFromRef(undefined, 'o/r')).toBeUndefined();
  });
});
