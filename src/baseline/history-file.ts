/**
 * The history file on disk (`loadgate history`, e.g. baselines/history.json): read it, write it.
 * Missing is `{ missing }` (a new history starts); unreadable or invalid throws HistoryError
 * naming the file, so a committed history is never overwritten by accident.
 */
import { writeFileAtomic } from '../files/write-atomic.js';
import type { History } from '../result/history.js';
import { HistoryError, MAX_HISTORY_BYTES, parseHistory } from '../result/history-schema.js';
import { FileTooLargeError, readTextBounded } from '../result/read-bounded.js';

/** The file name of the history inside the baseline artifact, beside `<name>.json`. */
export const HISTORY_FILE_NAME = 'loadgate-history.json';

export async function readHistoryFile(
  path: string,
  display = path,
): Promise<{ history: History } | { missing: string }> {
  let text: string;
  try {
    text = await readTextBounded(path, MAX_HISTORY_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: `no history file at ${display} yet` };
    if (e instanceof FileTooLargeError) throw new HistoryError(display, e.message);
    throw new HistoryError(display, `cannot read (${(e as Error).message})`);
  }
  return { history: parseHistory(text, display) };
}

/** The history as written: one run per line, so a diff of a committed file shows runs. */
export function historyText(history: History): string {
  const runs = history.runs.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  return `{\n  "schemaVersion": ${history.schemaVersion},\n  "runs": [${runs.length > 0 ? `\n${runs}\n  ` : ''}]\n}\n`;
}

export async function writeHistoryFile(path: string, history: History): Promise<string> {
  return writeFileAtomic(path, historyText(history));
}
