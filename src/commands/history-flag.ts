/**
 * `--history FILE` of gate and compare: the default branch's history file (`loadgate history
 * append`), judged against as the action judges against the baseline artifact's history.
 */
import { readHistoryFile } from '../baseline/history-file.js';
import { ConfigError } from '../config/errors.js';
import type { History } from '../result/history.js';
import { HistoryError } from '../result/history-schema.js';

/**
 * The history a `--history FILE` flag of gate or compare names. Asked for explicitly, a missing
 * or invalid file is bad input (ConfigError, exit 2), never a silent fallback to one run.
 */
export async function readHistoryFlag(path: string, display = path): Promise<History> {
  try {
    const found = await readHistoryFile(path, display);
    if ('missing' in found) {
      throw new ConfigError(
        `--history: ${found.missing} (loadgate history append --result R --file ${display} starts one)`,
      );
    }
    return found.history;
  } catch (error) {
    if (error instanceof HistoryError) throw new ConfigError(`--history: ${error.message}`);
    throw error;
  }
}
