/**
 * Option injection through `base-ref` against real git. `origin/--upload-pack=<command>` passed
 * the check for a leading "-" (made before `origin/` was stripped) and reached
 * `git fetch origin --upload-pack=<command>`, which ran the command (origin a local path, as a
 * self-hosted runner's mirror can be). What is fetched is now checked after the strip
 * (git check-ref-format), and every positional argument follows `--end-of-options`.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseCommitError } from '../../../src/action/base-commit.js';
import { createBaseWorktree, resolveBaseRef } from '../../../src/action/base-worktree.js';
import { gitSandbox } from '../../helpers/git-repo.js';

const box = gitSandbox('lg-base-ref-');
const { git, root: ROOT, env: GIT_ENV } = box;
const ORIGIN = join(ROOT, 'origin.git');
const CLONE = join(ROOT, 'clone');
const PWNED = join(ROOT, 'pwned');

beforeAll(() => {
  git(ROOT, 'init', '-q', '--bare', ORIGIN);
  const work = join(ROOT, 'work');
  git(ROOT, 'init', '-q', '-b', 'main', work);
  box.commit(work, { 'version.txt': 'A\n' }, 'A');
  box.commit(work, { 'version.txt': 'B\n' }, 'B');
  git(work, 'push', '-q', ORIGIN, 'main');
  // A clone whose origin is a plain path: git runs upload-pack through the shell for it.
  git(ROOT, 'clone', '-q', '--depth=1', `file://${ORIGIN}`, CLONE);
  git(CLONE, 'remote', 'set-url', 'origin', ORIGIN);
});

afterAll(() => {
  rmSync(ROOT, { recursive: true, force: true });
});

const ATTACKS = [
  `origin/--upload-pack=touch ${PWNED};git-upload-pack`,
  `refs/remotes/origin/--upload-pack=touch ${PWNED};git-upload-pack`,
  `origin/-c`,
  'origin/main:refs/heads/x',
];

describe('base-ref', () => {
  it.each(ATTACKS)('%s is refused and runs nothing', async (ref) => {
    const target = { repoDir: CLONE, env: GIT_ENV };
    const error = await resolveBaseRef(target, ref).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BaseCommitError);
    expect((error as Error).message).toMatch(
      /is not a branch, tag or commit name origin could have \(git check-ref-format\)/,
    );
    expect(existsSync(PWNED)).toBe(false);
  });

  it('through the action’s worktree too', async () => {
    const error = await createBaseWorktree({
      repoDir: CLONE,
      env: GIT_ENV,
      eventName: 'push',
      baseRef: ATTACKS[0],
      tempRoot: join(ROOT, 'worktrees'),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BaseCommitError);
    expect(existsSync(PWNED)).toBe(false);
  });

  it('still fetches a branch origin has', async () => {
    const target = { repoDir: CLONE, env: GIT_ENV };
    const main = git(ROOT, '--git-dir', ORIGIN, 'rev-parse', 'main~1');
    const out = await resolveBaseRef(target, main);
    expect(out).toEqual({ sha: main, fetched: true });
    expect((await resolveBaseRef(target, 'origin/main')).sha).toBe(
      git(ROOT, '--git-dir', ORIGIN, 'rev-parse', 'main'),
    );
  });
});
