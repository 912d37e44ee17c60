import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Every file loadgate writes goes through here: the parent folder is created, the text goes to
 * a temporary file beside the target and is renamed over it, so a reader (or a crash) never sees
 * half a result. Returns the absolute path written.
 */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return file;
}
