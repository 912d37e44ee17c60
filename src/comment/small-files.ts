import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Refused } from './inputs.js';

/** A regular file inside `dir` (no symlinks), at most `max` bytes, as text; undefined if absent. */
export async function readSmallFile(
  dir: string,
  name: string,
  max: number,
): Promise<string | undefined> {
  const path = join(dir, name);
  let info;
  try {
    info = await lstat(path);
  } catch {
    return undefined;
  }
  if (!info.isFile()) throw new Refused(`${name} in the artifact is not a regular file`);
  if (info.size > max) throw new Refused(`${name} in the artifact is larger than ${max} bytes`);
  return readFile(path, 'utf8');
}

/** Run `work` in a fresh folder under `parent`, removed afterwards whatever happens. */
export async function withTempDir<T>(
  parent: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(parent, 'loadgate-comment-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
