/**
 * A sharded run as a workflow runs it: a matrix of two shard legs (`shard: 1/2`, `2/2`, one job
 * id, each its own runner job and runtime token) against one shared example service, then the
 * merge job (`merge: true`, needs: the legs) in the same workflow run, all as `dist/index.js`
 * under Node 24 against the fake GitHub and its artifact service.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import {
  makeRuntimeToken,
  startFakeGitHub,
  type FakeGitHub,
  type FakeRun,
} from '../../fakes/github-server.js';
import { payload, runAction, type ActionRun } from '../action/harness.js';
import { healthConfig, startSharedService, type SharedService } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOKEN = 'ghs_faketoken0000000000000000000000000000';
let fake: FakeGitHub;
let service: SharedService;
let config: string;
let dir: string;

beforeAll(async () => {
  [fake, service] = await Promise.all([startFakeGitHub(), startSharedService()]);
  dir = mkdtempSync(join(tmpdir(), 'lg-action-shards-'));
  config = healthConfig(dir, 4, 2, 0.5);
});

afterAll(async () => {
  service?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function prEvent(number: number): Json {
  return payload<Json>('pull_request-same-repo.json', (p) => {
    p.number = number;
    p.pull_request.number = number;
  });
}

function prRun(number: number): FakeRun {
  return fake.addRun({
    event: 'pull_request',
    headBranch: 'faster-search',
    pullRequests: [number],
    status: 'in_progress',
    conclusion: null,
  });
}

/** A job of `run`: its own job id and runtime token, as each matrix leg gets. */
function jobEnv(run: FakeRun, job: string): Record<string, string> {
  return fake.envFor(run, {
    GITHUB_JOB: job,
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(run.backendId, randomUUID()),
  });
}

function errors(run: ActionRun): string {
  return run.commands
    .filter((c) => c.kind === 'error')
    .map((c) => c.message)
    .join('\n');
}

const resultOf = (run: ActionRun) =>
  JSON.parse(readFileSync(run.outputs['results-path']!, 'utf8')) as RunResult;

describe('a matrix of shard legs, then the merge job (dist/index.js, Node 24)', () => {
  let legs: ActionRun[];
  let run: FakeRun;

  it('each leg measures its share, uploads it, and neither judges nor comments', async () => {
    run = prRun(51);
    const startAt = new Date(Date.now() + 4000).toISOString();
    legs = await Promise.all(
      [1, 2].map((i) =>
        runAction({
          inputs: {
            'base-url': service.baseUrl,
            config,
            shard: `${i}/2`,
            'start-at': startAt,
            'github-token': TOKEN,
          },
          event: prEvent(51),
          env: jobEnv(run, 'load'),
        }),
      ),
    );
    for (const leg of legs) expect(leg.code, leg.stdout + leg.stderr).toBe(0);
    expect(
      fake
        .artifactsOf(run.id)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['loadgate-shard-load-1-of-2', 'loadgate-shard-load-2-of-2']);
    expect(fake.comments(51)).toHaveLength(0);
    expect(fake.calls('actions.listWorkflowRuns')).toHaveLength(0); // no baseline lookup
    expect(legs.map((l) => l.outputs.verdict)).toEqual(['', '']);
    expect(legs[1]!.summary).toContain('### loadgate: shard 2/2');
    expect(legs.map((l) => resultOf(l).shard?.index)).toEqual([1, 2]);
  });

  it('the merge job finds both, merges them and comments once, as for one run', async () => {
    const merge = await runAction({
      inputs: { merge: 'true', 'github-token': TOKEN },
      event: prEvent(51),
      env: jobEnv(run, 'verdict'),
    });
    expect(merge.code, merge.stdout + merge.stderr).toBe(0);
    expect(['pass', 'warn']).toContain(merge.outputs.verdict);
    const merged = resultOf(merge);
    const parts = legs.map(resultOf);
    expect(merged.merged?.count).toBe(2);
    expect(merged.shard).toBeUndefined();
    const trials = merged.scenarios[0]!.trials;
    expect(trials).toHaveLength(2);
    for (const [k, trial] of trials.entries()) {
      expect(trial.metrics.requests).toBe(
        parts.reduce((a, p) => a + p.scenarios[0]!.trials[k]!.metrics.requests, 0),
      );
    }
    const comments = fake.comments(51);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith('<!-- loadgate:verdict -->')).toBe(true);
    expect(comments[0]!.body).toContain('health');
    expect(fake.artifactsOf(run.id).map((a) => a.name)).toContain('loadgate-report-verdict');
    // Found through the run's own artifact service (the runner's token), not the REST API.
    expect(fake.calls('twirp.ListArtifacts').length).toBeGreaterThan(0);
    expect(fake.calls('actions.listWorkflowRunArtifacts')).toHaveLength(0);
  });

  it('a missing leg fails the merge job, naming the shard, in the check and the comment', async () => {
    const other = prRun(52);
    const [first] = legs;
    fake.addArtifact(other.id, 'loadgate-shard-load-1-of-2', {
      'loadgate-shard-result.json': readFileSync(first!.outputs['results-path']!, 'utf8'),
    });
    const merge = await runAction({
      inputs: { merge: 'true', 'github-token': TOKEN },
      event: prEvent(52),
      env: jobEnv(other, 'verdict'),
    });
    expect(merge.code).toBe(1);
    expect(merge.outputs.verdict).toBe('error');
    expect(errors(merge)).toContain(
      'the shard results could not be merged: shard 2/2 is missing (found 1/2 from artifact loadgate-shard-load-1-of-2)',
    );
    expect(fake.comments(52)[0]?.body).toContain('shard 2/2 is missing');
  });
});
