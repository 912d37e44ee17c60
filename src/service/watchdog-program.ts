/**
 * The watchdog's own program (service/watchdog.ts starts it with `node -e`): CommonJS, Node's
 * built-in modules only, no import of loadgate's code, so it runs the same from the sources, the
 * tests and the bundle. It reads one JSON message a line on stdin:
 *
 *   {"watch":"group","pgid":123}                 a process group loadgate started
 *   {"unwatch":"group","pgid":123}               stopped by loadgate itself
 *   {"watch":"dir","dir":"/t/loadgate-base-x","repo":"/w/repo","env":{...}}   a git worktree
 *   {"unwatch":"dir","dir":"/t/loadgate-base-x"}
 *
 * stdin ends when loadgate's end of the pipe closes: loadgate exited, however it exited (a
 * SIGKILL runs none of its own cleanup). Then every group still watched gets SIGTERM, SIGKILL
 * after GRACE_MS, and every worktree still watched is removed (`git worktree remove --force`,
 * the directory, `git worktree prune`), and the watchdog exits. A group whose leader's pid now
 * belongs to another process (its start time differs from when it was watched) is left alone.
 */
export const WATCHDOG_PROGRAM = String.raw`
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, rmSync } = require('node:fs');
const GRACE_MS = 3000;
const groups = new Map();
const dirs = new Map();

function startTime(pid) {
  try {
    const stat = readFileSync('/proc/' + pid + '/stat', 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function signal(pgid, sig) {
  try {
    process.kill(-pgid, sig);
  } catch {}
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function handle(line) {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.watch === 'group' && Number.isInteger(message.pgid) && message.pgid > 1) {
    groups.set(message.pgid, startTime(message.pgid));
  } else if (message.unwatch === 'group') {
    groups.delete(message.pgid);
  } else if (message.watch === 'dir' && typeof message.dir === 'string') {
    dirs.set(message.dir, { repo: message.repo, env: message.env || {} });
  } else if (message.unwatch === 'dir') {
    dirs.delete(message.dir);
  }
}

function git(repo, env, args) {
  try {
    execFileSync('git', args, {
      cwd: repo,
      env: Object.assign({}, process.env, env, { GIT_TERMINAL_PROMPT: '0' }),
      stdio: 'ignore',
      timeout: 30000,
      killSignal: 'SIGKILL',
    });
  } catch {}
}

let cleaning = false;
async function cleanUp() {
  if (cleaning) return;
  cleaning = true;
  const targets = [];
  for (const [pgid, started] of groups) {
    const now = startTime(pgid);
    if (now === undefined || now === started) targets.push(pgid);
  }
  for (const pgid of targets) signal(pgid, 'SIGTERM');
  const until = Date.now() + GRACE_MS;
  while (targets.some(groupAlive) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pgid of targets) if (groupAlive(pgid)) signal(pgid, 'SIGKILL');
  for (const [dir, where] of dirs) {
    if (typeof where.repo === 'string') {
      git(where.repo, where.env, ['worktree', 'remove', '--force', '--end-of-options', dir]);
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {}
    if (typeof where.repo === 'string') git(where.repo, where.env, ['worktree', 'prune']);
  }
  process.exit(0);
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline = pending.indexOf('\n');
  while (newline !== -1) {
    handle(pending.slice(0, newline));
    pending = pending.slice(newline + 1);
    newline = pending.indexOf('\n');
  }
});
process.stdin.on('end', cleanUp);
process.stdin.on('error', cleanUp);
`;
