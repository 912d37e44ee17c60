import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { redactFileText } from '../redact/index.js';

/**
 * Every file loadgate writes goes through here: the parent folder is created, the text goes to
 * a temporary file beside the target and is renamed over it, so a reader (or a crash) never sees
 * half a result. Returns the absolute path written.
 *
 * Every known secret is redacted on the way (src/redact/): results, reports, verdicts and the
 * files staged for the report and baseline artifacts all pass here. A JSON document keeps its
 * syntax (its strings are redacted one by one), so a stored baseline is never corrupted.
 */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, redactFileText(text), 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return file;
}
