/**
 * The base side's worktree for `baseline: base-commit`, from choice to removal: which commit
 * (base-commit.ts decides from the facts read here: HEAD's parents, the event, base-ref), fetched
 * when the (usually shallow) clone lacks it, checked out into a temporary git worktree, said in
 * the log with why, and removed afterwards (on process exit too). What runs in it is
 * base-commit-run.ts's.
 *
 * Git is driven with plain `execFile('git', …)`, no shell: a handful of fixed commands, each needing
 * its own timeout and its stderr in the error message. simple-git would add a dependency and a
 * command queue without making any of that simpler. Every positional argument comes after
 * `--end-of-options` (git 2.24+), so no value (a base-ref from a workflow, a path) is ever read
 * as an option such as `--upload-pack=<command>`; what is fetched is checked with
 * `git check-ref-format` first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { describeExit } from '../service/errors.js';
import { unwatchWorktree, watchWorktree } from '../service/watchdog.js';
import {
  assertNotHead,
  BaseCommitError,
  chooseBaseCommit,
  describeResolvedRef,
  parseCommitParents,
  shortSha,
  type HeadCommit,
  type PullRequestShas,
} from './base-commit.js';
import type { ActionDeps, ActionLog } from './deps.js';
import type { ActionInputs } from './inputs.js';

/** Commands that only read the local repository. */
const LOCAL_TIMEOUT_MS = 30_000;
/** `git fetch` of one commit (a large first fetch over a slow network). */
const FETCH_TIMEOUT_MS = 180_000;
/** `git worktree add` / `remove` write or delete a whole tree (node_modules after setup). */
const TREE_TIMEOUT_MS = 300_000;
/** The synchronous removal runs on the exit path, where waiting long is worse than a stray dir. */
const SYNC_REMOVE_TIMEOUT_MS = 30_000;
/** How much of git's stderr goes into an error message. */
const STDERR_LINES = 12;

/** Where git runs and the environment it gets (merged over process.env). */
export interface GitTarget {
  repoDir: string;
  env?: Record<string, string | undefined> | undefined;
}

/**
 * A git command that failed: which one, how, and what it printed. A BaseCommitError, so every
 * failure preparing the base side is one class for the caller.
 */
export class GitCommandError extends BaseCommitError {
  override readonly name = 'GitCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly timedOut: boolean,
    how: string,
  ) {
    const said = stderr.trim().split('\n').slice(-STDERR_LINES).join('\n  ');
    super(`\`${command}\` ${how}${said ? `:\n  ${said}` : ''}`);
  }
}

function gitEnv(target: GitTarget): NodeJS.ProcessEnv {
  // Never wait for a credential prompt nobody can answer: fail the fetch instead.
  return { ...process.env, ...target.env, GIT_TERMINAL_PROMPT: '0' };
}

function git(target: GitTarget, args: readonly string[], timeoutMs: number): Promise<string> {
  const command = `git ${args.join(' ')}`;
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: target.repoDir,
        env: gitEnv(target),
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolvePromise(stdout);
          return;
        }
        const code = (error as { code?: unknown }).code;
        if (code === 'ENOENT') {
          reject(new GitCommandError(command, null, '', false, 'failed: git is not installed'));
        } else if (error.killed) {
          const how = `timed out after ${Math.round(timeoutMs / 1000)} s`;
          reject(new GitCommandError(command, null, stderr, true, how));
        } else {
          const exitCode = typeof code === 'number' ? code : null;
          const how = `failed (${describeExit(exitCode, error.signal ?? null)})`;
          reject(new GitCommandError(command, exitCode, stderr, false, how));
        }
      },
    );
  });
}

/** True when git ran and answered "no" (an exit code), false for a timeout or missing git. */
function isNo(error: unknown): boolean {
  return error instanceof GitCommandError && error.exitCode !== null;
}

/** The commit HEAD points at and its parents (listed even when a shallow clone lacks them). */
export async function readHeadCommit(target: GitTarget): Promise<HeadCommit> {
  let sha: string;
  try {
    sha = (
      await git(
        target,
        ['rev-parse', '--verify', '--end-of-options', 'HEAD^{commit}'],
        LOCAL_TIMEOUT_MS,
      )
    ).trim();
  } catch (error) {
    throw new BaseCommitError(
      `cannot read HEAD in ${target.repoDir}: ${(error as Error).message}\n` +
        'baseline: base-commit needs the git repository checked out there (actions/checkout).',
      { cause: error },
    );
  }
  const text = await git(target, ['cat-file', '-p', '--end-of-options', sha], LOCAL_TIMEOUT_MS);
  return { sha, parents: parseCommitParents(text) };
}

/** Whether `sha` is a commit present in the clone. */
export async function hasCommit(target: GitTarget, sha: string): Promise<boolean> {
  try {
    await git(target, ['cat-file', '-e', '--end-of-options', `${sha}^{commit}`], LOCAL_TIMEOUT_MS);
    return true;
  } catch (error) {
    if (isNo(error)) return false;
    throw error;
  }
}

async function isShallow(target: GitTarget): Promise<boolean> {
  const out = await git(target, ['rev-parse', '--is-shallow-repository'], LOCAL_TIMEOUT_MS);
  return out.trim() === 'true';
}

/**
 * `git fetch origin <what>` into FETCH_HEAD. A shallow clone fetches just that commit
 * (--depth=1); a full clone fetches without a depth, which would otherwise make it shallow.
 */
async function fetchFromOrigin(target: GitTarget, what: string): Promise<void> {
  const depth = (await isShallow(target)) ? ['--depth=1'] : [];
  await git(
    target,
    ['fetch', '--no-tags', '--no-recurse-submodules', ...depth, '--end-of-options', 'origin', what],
    FETCH_TIMEOUT_MS,
  );
}

/** The failed fetch's message, with the fix when origin wanted credentials it did not get. */
function fetchFailure(error: unknown): string {
  const message = (error as Error).message;
  return /terminal prompts disabled|could not read Username|Authentication failed/i.test(message)
    ? `${message}\norigin needs credentials: give actions/checkout fetch-depth: 0 (the base is then in the clone, nothing is fetched), or keep its persist-credentials (docs/security.md says what that exposes).`
    : message;
}

/** Makes sure `sha` is in the clone, fetching it from origin when it is not. */
export async function ensureCommit(
  target: GitTarget,
  sha: string,
  reason: string,
): Promise<{ fetched: boolean }> {
  if (await hasCommit(target, sha)) return { fetched: false };
  const missing =
    `the base commit ${shortSha(sha)} (${reason}) is not in the clone and could not be fetched from origin: ` +
    'give actions/checkout `fetch-depth: 0` or set base-ref.';
  try {
    await fetchFromOrigin(target, sha);
  } catch (error) {
    throw new BaseCommitError(`${missing}\n${fetchFailure(error)}`, { cause: error });
  }
  if (!(await hasCommit(target, sha))) {
    throw new BaseCommitError(`${missing}\n(git fetch succeeded but the commit is still missing)`);
  }
  return { fetched: true };
}

async function revParse(target: GitTarget, rev: string): Promise<string | undefined> {
  try {
    const out = await git(
      target,
      ['rev-parse', '--verify', '--quiet', '--end-of-options', rev],
      LOCAL_TIMEOUT_MS,
    );
    return out.trim() || undefined;
  } catch (error) {
    if (isNo(error)) return undefined;
    throw error;
  }
}

/**
 * What base-ref asks origin for (`origin/` stripped) must be a name a ref can have: checked after
 * the strip, so `origin/--upload-pack=…` is refused as `--upload-pack=…` would be.
 */
async function checkFetchableName(target: GitTarget, ref: string, name: string): Promise<void> {
  const refused = (): BaseCommitError =>
    new BaseCommitError(
      `base-ref "${ref}" is not a commit in the clone, and "${name}" is not a branch, tag or commit name origin could have ` +
        '(git check-ref-format). Give a branch or tag name, or a full 40-character sha.',
    );
  // check-ref-format takes no --end-of-options: a leading "-" is refused before it runs.
  if (name === '' || name.startsWith('-')) throw refused();
  try {
    await git(target, ['check-ref-format', '--allow-onelevel', name], LOCAL_TIMEOUT_MS);
  } catch (error) {
    if (isNo(error)) throw refused();
    throw error;
  }
}

/**
 * The commit `ref` names (a sha, a branch or tag, `origin/main`, `HEAD~1`): from the clone when
 * it resolves there, else fetched from origin (`origin/main` is fetched as `main`).
 */
export async function resolveBaseRef(
  target: GitTarget,
  ref: string,
): Promise<{ sha: string; fetched: boolean }> {
  if (ref === '' || ref.startsWith('-')) {
    throw new BaseCommitError(`base-ref "${ref}" is not a commit, branch or tag name`);
  }
  const local = await revParse(target, `${ref}^{commit}`);
  if (local !== undefined) return { sha: local, fetched: false };
  const remoteName = ref.replace(/^(?:refs\/remotes\/)?origin\//, '');
  await checkFetchableName(target, ref, remoteName);
  const advice =
    'Give a branch or tag that origin has, or a full 40-character sha (an abbreviated sha needs ' +
    'the history: give actions/checkout `fetch-depth: 0`).';
  try {
    await fetchFromOrigin(target, remoteName);
  } catch (error) {
    throw new BaseCommitError(
      `base-ref "${ref}" is not a commit in the clone and could not be fetched from origin. ${advice}\n${fetchFailure(error)}`,
      { cause: error },
    );
  }
  const fetched = await revParse(target, 'FETCH_HEAD^{commit}');
  if (fetched === undefined) {
    throw new BaseCommitError(
      `base-ref "${ref}" was fetched from origin but does not name a commit. ${advice}`,
    );
  }
  return { sha: fetched, fetched: true };
}

export interface BaseWorktreeOptions extends GitTarget {
  /** GITHUB_EVENT_NAME. */
  eventName: string;
  /** GITHUB_REF, for the explanation (`refs/pull/7/merge`). */
  ref?: string | undefined;
  /** From the event payload (base-commit.ts `pullRequestShas`). */
  pullRequest?: PullRequestShas | undefined;
  /** The `base-ref` input. */
  baseRef?: string | undefined;
  /** Parent of the temporary directory; default RUNNER_TEMP, else the OS temp dir. */
  tempRoot?: string | undefined;
}

export interface BaseWorktree {
  /** The base commit checked out. */
  readonly sha: string;
  /** HEAD of the repository (the head side). */
  readonly headSha: string;
  /** The worktree's root: a fresh temporary directory. */
  readonly dir: string;
  /** Why this commit, for the log and the report. */
  readonly reason: string;
  /** The commit had to be fetched from origin. */
  readonly fetched: boolean;
  /** The same directory in the worktree as `headDir` is in the repository (a working-directory). */
  dirFor(headDir: string): string;
  /**
   * Idempotent; the directory is deleted whatever git says. Rejects only if the directory
   * remains. Until called, the same happens on process exit.
   */
  remove(): Promise<void>;
  /** The same, synchronously (for 'exit' and signal paths; also while remove() is under way). */
  removeSync(): void;
}

async function chooseAndFetch(options: BaseWorktreeOptions, head: HeadCommit) {
  const choice = chooseBaseCommit({
    eventName: options.eventName,
    ref: options.ref,
    head,
    pullRequest: options.pullRequest,
    baseRef: options.baseRef,
  });
  if (choice.kind === 'commit') {
    const { fetched } = await ensureCommit(options, choice.sha, choice.reason);
    return { sha: choice.sha, reason: choice.reason, fetched };
  }
  const { sha, fetched } = await resolveBaseRef(options, choice.ref);
  const reason = describeResolvedRef(choice.ref, sha);
  assertNotHead(sha, head.sha, reason);
  return { sha, reason, fetched };
}

function leftBehind(dir: string): Error {
  return new Error(`could not delete the base worktree ${dir}; delete it by hand`);
}

/**
 * `git worktree remove --force <dir>`, then the directory is deleted whatever git said, then
 * `git worktree prune` drops the record git may have kept. Throws only if the directory remains.
 */
export async function removeWorktree(target: GitTarget, dir: string): Promise<void> {
  await git(
    target,
    ['worktree', 'remove', '--force', '--end-of-options', dir],
    TREE_TIMEOUT_MS,
  ).catch(() => {});
  await rm(dir, { recursive: true, force: true });
  await git(target, ['worktree', 'prune'], LOCAL_TIMEOUT_MS).catch(() => {});
  if (existsSync(dir)) throw leftBehind(dir);
}

/** removeWorktree, synchronously (for 'exit' handlers and signal paths). */
export function removeWorktreeSync(target: GitTarget, dir: string): void {
  const run = (args: string[]): void => {
    try {
      execFileSync('git', args, {
        cwd: target.repoDir,
        env: gitEnv(target),
        timeout: SYNC_REMOVE_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        stdio: 'ignore',
      });
    } catch {
      // the directory is deleted below either way
    }
  };
  run(['worktree', 'remove', '--force', '--end-of-options', dir]);
  rmSync(dir, { recursive: true, force: true });
  run(['worktree', 'prune']);
  if (existsSync(dir)) throw leftBehind(dir);
}

/** Checks the base commit out into a fresh temporary directory (`git worktree add --detach`). */
export async function createBaseWorktree(options: BaseWorktreeOptions): Promise<BaseWorktree> {
  const head = await readHeadCommit(options);
  const { sha, reason, fetched } = await chooseAndFetch(options, head);
  const repoRoot = realpathSync(
    (await git(options, ['rev-parse', '--show-toplevel'], LOCAL_TIMEOUT_MS)).trim(),
  );
  const tempRoot = options.tempRoot ?? (process.env.RUNNER_TEMP || tmpdir());
  await mkdir(tempRoot, { recursive: true });
  const dir = await mkdtemp(join(tempRoot, 'loadgate-base-'));

  // Until removed, removed on process exit too: the path `process.exit` takes after the signal
  // cleanup in service/cleanup.ts.
  let done = false;
  let removal: Promise<void> | undefined;
  const onExit = (): void => {
    try {
      removeSync();
    } catch {
      // exiting anyway: nothing left to report to
    }
  };
  const finish = (): void => {
    done = true;
    process.off('exit', onExit);
    unwatchWorktree(dir);
  };
  const removeSync = (): void => {
    if (done) return;
    finish();
    removeWorktreeSync(options, dir);
  };
  const remove = (): Promise<void> => {
    if (done) return Promise.resolve();
    removal ??= removeWorktree(options, dir).finally(finish);
    return removal;
  };
  process.on('exit', onExit);
  // A SIGKILL runs no 'exit' handler: the watchdog removes it then (service/watchdog.ts).
  watchWorktree(dir, options.repoDir, options.env);

  try {
    await git(
      options,
      ['worktree', 'add', '--detach', '--end-of-options', dir, sha],
      TREE_TIMEOUT_MS,
    );
  } catch (error) {
    await remove().catch(() => {});
    throw new BaseCommitError(
      `could not check out the base commit ${shortSha(sha)} (${reason}) into ${dir}: ${(error as Error).message}`,
      { cause: error },
    );
  }

  return {
    sha,
    headSha: head.sha,
    dir,
    reason,
    fetched,
    dirFor(headDir: string): string {
      const rel = relative(repoRoot, realpathSync(resolve(headDir)));
      if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
        throw new BaseCommitError(`${headDir} is not inside the repository ${repoRoot}`);
      }
      return join(dir, rel);
    },
    remove,
    removeSync,
  };
}

/** What this action run says about the base commit: the event, its payload, base-ref. */
function optionsOf(
  inputs: Pick<ActionInputs, 'cwd' | 'baseRef'>,
  deps: { ctx: ActionDeps['ctx']; env: ActionDeps['env'] },
): BaseWorktreeOptions {
  const { ctx } = deps;
  return {
    repoDir: inputs.cwd,
    eventName: ctx.eventName,
    ref: ctx.ref,
    pullRequest:
      ctx.prNumber === undefined ? undefined : { baseSha: ctx.baseSha, headSha: ctx.headSha },
    baseRef: inputs.baseRef,
    tempRoot: deps.env.RUNNER_TEMP,
  };
}

/**
 * The base commit checked out for `use`, named in the log with why, and removed whatever `use`
 * does (its result returned, its error thrown).
 */
export async function withBaseWorktree<T>(
  inputs: Pick<ActionInputs, 'cwd' | 'baseRef'>,
  deps: { ctx: ActionDeps['ctx']; env: ActionDeps['env']; log: Pick<ActionLog, 'info'> },
  use: (worktree: BaseWorktree) => Promise<T>,
): Promise<T> {
  const worktree = await createBaseWorktree(optionsOf(inputs, deps));
  try {
    deps.log.info(`loadgate: base ${shortSha(worktree.sha)}: ${worktree.reason}`);
    return await use(worktree);
  } finally {
    await worktree.remove();
  }
}
