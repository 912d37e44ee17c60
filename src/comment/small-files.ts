import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Refused } from './inputs.js';
import { readZipEntries, ZipError } from './zip-entries.js';

/**
 * The files `limits` names (name → the most bytes it may have) from the one artifact archive
 * downloaded, undecompressed, into `dir`: a regular file of at most `maxArchive` bytes, read
 * with a cap on each file (zip-entries.ts). A file the archive lacks is left out.
 */
export async function readArtifactFiles(
  dir: string,
  limits: Readonly<Record<string, number>>,
  maxArchive: number,
): Promise<Map<string, string>> {
  const names = await readdir(dir);
  if (names.length !== 1) {
    throw new Refused(`expected one artifact archive, found ${names.length} files`);
  }
  const path = join(dir, names[0] as string);
  const info = await lstat(path);
  if (!info.isFile()) throw new Refused('the artifact archive is not a regular file');
  if (info.size > maxArchive) {
    throw new Refused(`the artifact archive is larger than ${maxArchive} bytes`);
  }
  try {
    return readZipEntries(await readFile(path), limits);
  } catch (error) {
    if (error instanceof ZipError) throw new Refused(`the artifact: ${error.message}`);
    throw error;
  }
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
