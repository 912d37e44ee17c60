import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { EnvironmentFingerprint } from '../result/types.js';

/** What machine type the run was measured on; equal hashes mean comparable hardware. */
export function environmentFingerprint(): EnvironmentFingerprint {
  const cpus = os.cpus();
  const cpuModel = (cpus[0]?.model ?? 'unknown').trim();
  const cores = cpus.length;
  const memoryBytes = os.totalmem();
  const osName = `${os.type()} ${os.release()} ${os.arch()}`;
  // Memory rounded to whole GiB: the same runner type reports slightly different totals.
  const memoryGiB = Math.round(memoryBytes / 2 ** 30);
  const hash = createHash('sha256')
    .update(JSON.stringify([cpuModel, cores, memoryGiB, os.type(), os.arch()]))
    .digest('hex')
    .slice(0, 12);
  // The exact runner (hash above: the machine type): kernel, Node and runner image too.
  const kernel = os.release();
  const image = [process.env.ImageOS, process.env.ImageVersion].filter((v) => v).join(' ');
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([cpuModel, cores, kernel, process.version, image]))
    .digest('hex')
    .slice(0, 12);
  return {
    cpuModel,
    cores,
    memoryBytes,
    os: osName,
    nodeVersion: process.version,
    hash,
    kernel,
    ...(image === '' ? {} : { runnerImage: image }),
    fingerprint,
  };
}

/** The commit measured: the Actions variables first, then the local git checkout if any. */
export function gitInfo(cwd: string): { sha?: string; ref?: string } | undefined {
  const sha =
    process.env.GITHUB_SHA ?? git(cwd, ['rev-parse', '--verify', '--end-of-options', 'HEAD']);
  const ref =
    process.env.GITHUB_REF ??
    git(cwd, ['rev-parse', '--abbrev-ref', '--verify', '--end-of-options', 'HEAD']);
  if (!sha && !ref) return undefined;
  return { ...(sha ? { sha } : {}), ...(ref ? { ref } : {}) };
}

/** The commit checked out in `cwd` itself (a worktree of another commit, say): no Actions variables. */
export function localGitInfo(cwd: string): { sha?: string; ref?: string } | undefined {
  const sha = git(cwd, ['rev-parse', '--verify', '--end-of-options', 'HEAD']);
  const ref = git(cwd, ['rev-parse', '--abbrev-ref', '--verify', '--end-of-options', 'HEAD']);
  if (!sha && !ref) return undefined;
  return { ...(sha ? { sha } : {}), ...(ref && ref !== 'HEAD' ? { ref } : {}) };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}
