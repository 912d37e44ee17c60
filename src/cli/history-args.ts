/**
 * The flags of `loadgate history append|show` (commands/history.ts). A bad flag is a
 * ConfigError naming it (exit 2).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_HISTORY_FILE, type HistoryOptions } from '../commands/history.js';
import { ConfigError } from '../config/errors.js';
import { flagError, parseNumber } from './args.js';
import { commandUsage } from './usage.js';

export function parseHistoryArgs(args: string[]): HistoryOptions {
  const [action, ...rest] = args;
  if (action !== 'append' && action !== 'show') {
    throw new ConfigError(
      `history: expected "append" or "show", got ${action === undefined ? 'nothing' : `"${action}"`}\n\n${commandUsage('history')}`,
    );
  }
  let values;
  try {
    values = parseArgs({
      args: rest,
      options: {
        file: { type: 'string' },
        result: { type: 'string' },
        'run-id': { type: 'string' },
        accepted: { type: 'string' },
        'pull-request': { type: 'string' },
        last: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw flagError('history', error);
  }
  const file = values.file ?? DEFAULT_HISTORY_FILE;
  const whole = (flag: string, text: string | undefined) =>
    parseNumber(text, flag, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  if (action === 'show') {
    for (const flag of ['result', 'run-id', 'accepted', 'pull-request'] as const) {
      if (values[flag] !== undefined) throw new ConfigError(`--${flag}: only with history append`);
    }
    return { action, file, last: whole('last', values.last) ?? 50 };
  }
  if (values.last !== undefined) throw new ConfigError('--last: only with history show');
  if (values.result === undefined) {
    throw new ConfigError(`history append needs --result FILE\n\n${commandUsage('history')}`);
  }
  if (values['pull-request'] !== undefined && values.accepted === undefined) {
    throw new ConfigError('--pull-request: only with --accepted LABEL');
  }
  const runId = whole('run-id', values['run-id']);
  const pullRequest = whole('pull-request', values['pull-request']);
  return {
    action,
    file,
    result: values.result,
    ...(runId === undefined ? {} : { runId }),
    ...(values.accepted === undefined
      ? {}
      : {
          accepted: {
            label: values.accepted,
            ...(pullRequest === undefined ? {} : { pullRequest }),
          },
        }),
  };
}
