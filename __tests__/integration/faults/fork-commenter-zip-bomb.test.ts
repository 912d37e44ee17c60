/**
 * A zip bomb in a fork's report artifact: a small archive that expands to hundreds of megabytes.
 * The commenter runs on workflow_run with a write token on the privileged runner, and the
 * artifact client used to extract the whole archive to disk before two small files were read.
 * Run as the runner runs it (dist/index.js in comment mode under Node 24, the fake GitHub and a pulls proxy)
 * under a file-size limit of 20 MiB, the disk the commenter may fill: it reads pr.json out of the
 * archive, never writes the bomb, and posts its comment. Needs a fresh `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github-server.js';
import {
  actionDefaults,
  payload,
  runAction,
  startPullsProxy,
  type PullsProxy,
} from '../action/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PR_SHA = '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4';
let fake: FakeGitHub;
let proxy: PullsProxy;

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
  proxy = await startPullsProxy(fake.url);
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});

describe('the fork commenter and a zip bomb', () => {
  it('reads what it needs out of the archive and fills no disk', async () => {
    const forkRun = fake.addRun({
      event: 'pull_request',
      headBranch: 'faster-search',
      headSha: PR_SHA,
      headRepository: 'contributor/admin-api',
      pullRequests: [],
      conclusion: 'failure',
    });
    // 256 MiB of zeros: about 250 KB zipped, far under the 5 MiB an artifact may have.
    fake.addArtifact(forkRun.id, 'loadgate-report-perf', {
      'pr.json': JSON.stringify({ number: 42, headSha: PR_SHA }),
      'bomb.bin': Buffer.alloc(256 * 1024 * 1024),
    });
    expect(fake.artifactsOf(forkRun.id)[0]!.size).toBeLessThan(1024 * 1024);
    proxy.pulls.set(42, { headSha: PR_SHA, baseRepository: 'octo-org/admin-api' });

    const commenter = fake.addRun({
      event: 'workflow_run',
      path: '.github/workflows/loadgate-comment.yml',
      status: 'in_progress',
      conclusion: null,
    });
    const out = await runAction({
      // Node under a 20 MiB limit on the size of any file it writes (util-linux prlimit).
      under: ['prlimit', `--fsize=${20 * 1024 * 1024}`],
      inputs: { ...actionDefaults(), 'github-token': 'ghs_faketoken0000000000000000000000000000' },
      event: payload<Json>('workflow_run-fork-pr.json', (p) => {
        p.workflow_run.id = forkRun.id;
        p.workflow_run.head_sha = PR_SHA;
        p.workflow_run.conclusion = 'failure';
      }),
      env: fake.envFor(commenter, { GITHUB_API_URL: proxy.url }),
    });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const comments = fake.comments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('the run produced no verdict');
  });
});
