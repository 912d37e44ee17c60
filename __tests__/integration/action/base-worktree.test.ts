/**
 * base-worktree.ts against real git repositories: an "origin" that serves any sha (as GitHub
 * does for reachable ones), a pull request's test merge commit at refs/pull/7/merge, and shallow
 * clones made the way actions/checkout makes them (init + fetch --depth=1 + detached checkout).
 *
 *   A ─── C            main (moved on after the merge was computed); tag v1 → A
 *   │╲
 *   │ B                feature (the pull request head)
 *   │╱
 *   M = merge(A, B)    refs/pull/7/merge
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BaseCommitError } from '../../../src/action/base-commit.js';
import {
  createBaseWorktree,
  hasCommit,
  type BaseWorktree,
  type BaseWorktreeOptions,
} from '../../../src/action/base-worktree.js';
import { runSetupCommand, SetupCommandError } from '../../../src/service/setup-command.js';
import { gitSandbox } from '../../helpers/git-repo.js';
import { isGone, processesWithEnv, waitFor } from '../../helpers/processes.js';

const box = gitSandbox('loadgate-git-test-');
const { root: ROOT, git } = box;
const commitFile = box.commit;
/** Nothing from the machine's or the user's git config may leak in. */
const GIT_ENV = box.env;
const ORIGIN = join(ROOT, 'origin.git');
const TEMP = join(ROOT, 'worktrees');
const MISSING = '0123456789abcdef0123456789abcdef01234567';

const sha = { A: '', B: '', C: '', M: '' };

beforeAll(() => {
  git(ROOT, 'init', '-q', '--bare', ORIGIN);
  git(ORIGIN, 'config', 'uploadpack.allowAnySHA1InWant', 'true');

  const work = join(ROOT, 'work');
  git(ROOT, 'init', '-q', '-b', 'main', work);
  sha.A = commitFile(work, { 'version.txt': 'A\n', 'svc/app.txt': 'app\n' }, 'A');
  git(work, 'tag', '-a', 'v1', '-m', 'v1');
  git(work, 'checkout', '-q', '-b', 'feature');
  sha.B = commitFile(work, { 'version.txt': 'B\n' }, 'B');
  git(work, 'checkout', '-q', '--detach', sha.A);
  git(work, 'merge', '-q', '--no-ff', '--no-edit', 'feature');
  sha.M = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', 'main');
  sha.C = commitFile(work, { 'version.txt': 'C\n' }, 'C');
  git(work, 'push', '-q', ORIGIN, 'main', 'feature', 'v1', `${sha.M}:refs/pull/7/merge`);
});

afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
});

const made: BaseWorktree[] = [];
afterEach(async () => {
  for (const worktree of made.splice(0)) await worktree.remove();
});

let clones = 0;
/** What actions/checkout does: init, fetch one commit of `ref` (--depth=1), check it out. */
function shallowClone(ref: string): string {
  const dir = join(ROOT, `clone-${++clones}`);
  git(ROOT, 'init', '-q', dir);
  git(dir, 'remote', 'add', 'origin', `file://${ORIGIN}`);
  git(dir, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', ref);
  git(dir, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  return dir;
}

async function create(options: BaseWorktreeOptions): Promise<BaseWorktree> {
  const worktree = await createBaseWorktree({ env: GIT_ENV, tempRoot: TEMP, ...options });
  made.push(worktree);
  return worktree;
}

async function failure<T extends Error>(promise: Promise<unknown>, type: new (...a: never[]) => T) {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}`);
}

const listedWorktrees = (repo: string): string[] =>
  git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));

describe('a pull request in a shallow clone of its merge commit', () => {
  it('checks out the merge commit’s first parent, fetched from origin, and removes it', async () => {
    const clone = shallowClone('refs/pull/7/merge');
    const target = { repoDir: clone, env: GIT_ENV };
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(await hasCommit(target, sha.A)).toBe(false);

    const worktree = await create({
      repoDir: clone,
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      pullRequest: { baseSha: sha.C, headSha: sha.B },
    });
    expect(worktree.sha).toBe(sha.A);
    expect(worktree.headSha).toBe(sha.M);
    expect(worktree.fetched).toBe(true);
    expect(worktree.reason).toBe(
      `first parent of the merge commit ${sha.M.slice(0, 7)} (refs/pull/7/merge)`,
    );
    expect(await hasCommit(target, sha.A)).toBe(true);

    // The worktree holds A's files; the clone keeps the merge commit's.
    expect(worktree.dir.startsWith(`${TEMP}/loadgate-base-`)).toBe(true);
    expect(readFileSync(join(worktree.dir, 'version.txt'), 'utf8')).toBe('A\n');
    expect(readFileSync(join(clone, 'version.txt'), 'utf8')).toBe('B\n');
    expect(git(worktree.dir, 'rev-parse', 'HEAD')).toBe(sha.A);
    expect(listedWorktrees(clone)).toContain(worktree.dir);
    expect(worktree.dirFor(join(clone, 'svc'))).toBe(join(worktree.dir, 'svc'));
    expect(existsSync(join(worktree.dirFor(join(clone, 'svc')), 'app.txt'))).toBe(true);
    expect(() => worktree.dirFor(ROOT)).toThrow(/is not inside the repository/);

    await runSetupCommand(
      'printf "%s in %s" "$LOADGATE_SIDE" "$(cat version.txt)" > setup-ran.txt',
      worktree.dir,
      { LOADGATE_SIDE: 'base' },
      10_000,
    );
    expect(readFileSync(join(worktree.dir, 'setup-ran.txt'), 'utf8')).toBe('base in A');

    const exitListeners = process.listenerCount('exit');
    await worktree.remove();
    expect(existsSync(worktree.dir)).toBe(false);
    expect(listedWorktrees(clone)).not.toContain(worktree.dir);
    expect(process.listenerCount('exit')).toBe(exitListeners - 1);
    await worktree.remove(); // idempotent
    worktree.removeSync();
    expect(readdirSync(TEMP)).toEqual([]);
  });

  it('removes synchronously too, even when the directory is already gone', async () => {
    const clone = shallowClone('refs/pull/7/merge');
    const first = await create({ repoDir: clone, eventName: 'pull_request' });
    first.removeSync();
    expect(existsSync(first.dir)).toBe(false);
    expect(listedWorktrees(clone)).not.toContain(first.dir);

    // Someone deleted the directory behind git's back: git fails, the record is still pruned.
    const second = await create({ repoDir: clone, eventName: 'pull_request' });
    rmSync(second.dir, { recursive: true, force: true });
    await second.remove();
    expect(listedWorktrees(clone)).toEqual([clone]);
    expect(readdirSync(TEMP)).toEqual([]);
  });

  it('fails clearly when the payload’s base commit exists nowhere', async () => {
    const clone = shallowClone('refs/heads/feature'); // HEAD is the PR head, not a merge
    const error = await failure(
      create({
        repoDir: clone,
        eventName: 'pull_request',
        pullRequest: { baseSha: MISSING, headSha: sha.B },
      }),
      BaseCommitError,
    );
    expect(error.message).toMatch(
      /^the base commit 0123456 \(the pull request's base commit 0123456 \(pull_request\.base\.sha; HEAD \w{7} is the pull request head, not its merge commit\)\) is not in the clone and could not be fetched from origin: give actions\/checkout `fetch-depth: 0` or set base-ref\.\n`git fetch --no-tags --no-recurse-submodules --depth=1 --end-of-options origin 0123456789abcdef0123456789abcdef01234567` failed \(exited with code 128\):\n/,
    );
    expect(error.message).toMatch(/not our ref/);
    expect(readdirSync(TEMP)).toEqual([]);
  });
});

describe('clones with more history, and origins that refuse', () => {
  it('a full clone has the base already: no fetch, and the clone stays full', async () => {
    const clone = join(ROOT, `clone-${++clones}`);
    git(ROOT, 'clone', '-q', `file://${ORIGIN}`, clone);
    git(clone, 'fetch', '-q', 'origin', 'refs/pull/7/merge');
    git(clone, 'checkout', '-q', '--detach', 'FETCH_HEAD');
    const worktree = await create({ repoDir: clone, eventName: 'pull_request' });
    expect(worktree.sha).toBe(sha.A);
    expect(worktree.fetched).toBe(false);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('false');
  });

  it('names persist-credentials when origin asks for credentials', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="github"' }).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const clone = shallowClone('refs/pull/7/merge');
      const { port } = server.address() as AddressInfo;
      git(clone, 'remote', 'set-url', 'origin', `http://127.0.0.1:${port}/octo/app.git`);
      const error = await failure(
        create({ repoDir: clone, eventName: 'pull_request' }),
        BaseCommitError,
      );
      expect(error.message).toMatch(/terminal prompts disabled/);
      expect(error.message).toMatch(
        /\norigin needs credentials: give actions\/checkout fetch-depth: 0 \(the base is then in the clone, nothing is fetched\), or keep its persist-credentials \(docs\/security\.md says what that exposes\)\.$/,
      );
    } finally {
      server.close();
    }
  });
});

describe('base-ref', () => {
  it('fetches a branch the clone does not have, also written origin/<branch>', async () => {
    for (const baseRef of ['main', 'origin/main']) {
      const clone = shallowClone('refs/pull/7/merge');
      const worktree = await create({ repoDir: clone, eventName: 'pull_request', baseRef });
      expect(worktree.sha).toBe(sha.C);
      expect(worktree.fetched).toBe(true);
      expect(worktree.reason).toBe(`base-ref "${baseRef}" (${sha.C.slice(0, 7)})`);
      expect(readFileSync(join(worktree.dir, 'version.txt'), 'utf8')).toBe('C\n');
    }
  });

  it('peels an annotated tag to its commit, and uses a sha the clone has without fetching', async () => {
    const clone = shallowClone('refs/pull/7/merge');
    const tagged = await create({ repoDir: clone, eventName: 'push', baseRef: 'v1' });
    expect(tagged.sha).toBe(sha.A);
    expect(readFileSync(join(tagged.dir, 'version.txt'), 'utf8')).toBe('A\n');

    const local = await create({ repoDir: clone, eventName: 'push', baseRef: sha.A });
    expect(local.sha).toBe(sha.A);
    expect(local.fetched).toBe(false);
  });

  it('gives the clear error for a sha that exists nowhere, leaving nothing behind', async () => {
    const clone = shallowClone('refs/pull/7/merge');
    const error = await failure(
      create({ repoDir: clone, eventName: 'pull_request', baseRef: MISSING }),
      BaseCommitError,
    );
    expect(error.message).toMatch(
      new RegExp(
        `^base-ref "${MISSING}" is not a commit in the clone and could not be fetched from origin\\. ` +
          'Give a branch or tag that origin has, or a full 40-character sha',
      ),
    );
    expect(error.message).toMatch(/`git fetch --no-tags .* origin 0123456789abcdef\S*` failed/);
    expect(readdirSync(TEMP)).toEqual([]);
    expect(listedWorktrees(clone)).toEqual([clone]);
  });

  it('refuses a base-ref that resolves to HEAD', async () => {
    const clone = shallowClone('refs/pull/7/merge');
    const error = await failure(
      create({ repoDir: clone, eventName: 'pull_request', baseRef: 'HEAD' }),
      BaseCommitError,
    );
    expect(error.message).toMatch(/^the base commit is HEAD itself/);
  });
});

describe('other events', () => {
  it('a push uses the parent of HEAD, fetched when the clone is shallow', async () => {
    const clone = shallowClone('refs/heads/feature');
    const worktree = await create({ repoDir: clone, eventName: 'push', ref: 'refs/heads/feature' });
    expect(worktree.sha).toBe(sha.A);
    expect(worktree.fetched).toBe(true);
    expect(worktree.reason).toBe(`parent of HEAD ${sha.B.slice(0, 7)}`);
    expect(readFileSync(join(worktree.dir, 'version.txt'), 'utf8')).toBe('A\n');
  });

  it('outside a git repository, says so', async () => {
    const plain = mkdtempSync(join(ROOT, 'plain-'));
    const error = await failure(create({ repoDir: plain, eventName: 'push' }), BaseCommitError);
    expect(error.message).toMatch(
      /^cannot read HEAD in .*plain-\w+: `git rev-parse --verify --end-of-options HEAD\^\{commit\}` failed/,
    );
    expect(error.message).toMatch(/needs the git repository checked out there/);
  });
});

describe('runSetupCommand', () => {
  const dir = (): string => mkdtempSync(join(ROOT, 'setup-'));

  it('fails with the exit code and the last 50 lines of output', async () => {
    const error = await failure(
      runSetupCommand('for i in $(seq 1 80); do echo "line $i"; done; exit 3', dir(), {}, 10_000),
      SetupCommandError,
    );
    expect(error.exit).toEqual({ code: 3, signal: null });
    expect(error.timedOut).toBe(false);
    expect(error.outputTail).toHaveLength(50);
    expect(error.outputTail[0]).toBe('line 31');
    expect(error.outputTail.at(-1)).toBe('line 80');
    expect(error.message).toMatch(
      /^the setup command "for i in .*; exit 3" exited with code 3 in \/.*\.\nLast output:\n {2}line 31\n/,
    );
    expect(error.message).not.toMatch(/line 30\n/);
  });

  it('keeps stderr in the tail', async () => {
    const error = await failure(
      runSetupCommand('echo "npm ERR! missing script: ci" >&2; exit 1', dir(), {}, 10_000),
      SetupCommandError,
    );
    expect(error.outputTail).toEqual(['npm ERR! missing script: ci']);
  });

  it('stops the whole process group on timeout', async () => {
    const cwd = dir();
    const mark = randomUUID();
    const running = runSetupCommand(
      'sleep 30 & echo $! > background.pid; echo started; sleep 30',
      cwd,
      { LOADGATE_TEST_MARK: mark },
      1500,
    );
    // The group really runs (the launcher shell, sh and two sleeps) before the timeout hits.
    await waitFor(
      () => processesWithEnv('LOADGATE_TEST_MARK', mark).length === 4,
      1400,
      'the group',
    );
    const error = await failure(running, SetupCommandError);
    expect(error.timedOut).toBe(true);
    expect(error.exit).toBeUndefined();
    expect(error.message).toMatch(
      /^the setup command ".*" was still running after 1\.5 s in .*; its process group was stopped\.\nLast output:\n {2}started$/,
    );
    expect(isGone(Number(readFileSync(join(cwd, 'background.pid'), 'utf8')))).toBe(true);
    expect(processesWithEnv('LOADGATE_TEST_MARK', mark)).toEqual([]);
  });

  it('stops what a successful command left running in the background', async () => {
    const cwd = dir();
    await runSetupCommand('sleep 30 >/dev/null 2>&1 & echo $! > background.pid', cwd, {}, 10_000);
    const pid = Number(readFileSync(join(cwd, 'background.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(isGone(pid)).toBe(true);
  });

  it('names the command when it cannot start (no such directory)', async () => {
    const error = await failure(
      runSetupCommand('npm ci', join(ROOT, 'does-not-exist'), {}, 10_000),
      SetupCommandError,
    );
    expect(error.message).toMatch(
      /^the setup command "npm ci" could not start in .*does-not-exist: /,
    );
  });
});
