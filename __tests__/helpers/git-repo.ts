/**
 * Real git repositories for tests, in a temporary folder, with nothing from the machine's or the
 * user's git config leaking in; and the pull request checkout actions/checkout makes: an origin
 * with `main` and `refs/pull/7/merge`, and a workspace holding that merge commit one commit deep.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitSandbox {
  /** The temporary folder everything lives in (its real path). */
  root: string;
  /** The environment git needs here (merged over process.env by `git`). */
  env: Record<string, string>;
  /** `git <args>` in `cwd`, its stdout trimmed. */
  git(cwd: string, ...args: string[]): string;
  /** Write `files` (name → content) in `repo`, commit them; the new commit's sha. */
  commit(repo: string, files: Record<string, string>, message: string): string;
}

export function gitSandbox(prefix: string): GitSandbox {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, 'home');
  mkdirSync(home);
  writeFileSync(
    join(home, '.gitconfig'),
    '[user]\n\tname = loadgate test\n\temail = test@loadgate.invalid\n[init]\n\tdefaultBranch = main\n',
  );
  const env: Record<string, string> = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_AUTHOR_NAME: 'loadgate test',
    GIT_AUTHOR_EMAIL: 'test@loadgate.invalid',
    GIT_COMMITTER_NAME: 'loadgate test',
    GIT_COMMITTER_EMAIL: 'test@loadgate.invalid',
  };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const commit = (repo: string, files: Record<string, string>, message: string): string => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(repo, name, '..'), { recursive: true });
      writeFileSync(join(repo, name), content);
    }
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };
  return { root, env, git, commit };
}

export interface PullRequestCheckout {
  /** The bare origin (it serves any sha, as GitHub does for reachable ones). */
  origin: string;
  /** The merge commit checked out one commit deep, as actions/checkout leaves it. */
  workspace: string;
  sha: { base: string; head: string; merge: string };
}

/**
 * Pull request #7: `base` committed on main, `head` on a branch from it, their merge pushed as
 * refs/pull/7/merge and checked out shallow in a workspace.
 */
export function pullRequestCheckout(
  box: GitSandbox,
  files: { base: Record<string, string>; head: Record<string, string> },
): PullRequestCheckout {
  const { git, commit, root } = box;
  const origin = join(root, 'origin.git');
  git(root, 'init', '-q', '--bare', origin);
  git(origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const work = join(root, 'work');
  git(root, 'init', '-q', '-b', 'main', work);
  const base = commit(work, files.base, 'base');
  git(work, 'checkout', '-q', '-b', 'change');
  const head = commit(work, files.head, 'change');
  git(work, 'checkout', '-q', '--detach', base);
  git(work, 'merge', '-q', '--no-ff', '--no-edit', 'change');
  const merge = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', origin, `${base}:refs/heads/main`, `${merge}:refs/pull/7/merge`);
  const workspace = join(root, 'workspace');
  git(root, 'init', '-q', workspace);
  git(workspace, 'remote', 'add', 'origin', `file://${origin}`);
  git(workspace, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', 'refs/pull/7/merge');
  git(workspace, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  return { origin, workspace, sha: { base, head, merge } };
}
