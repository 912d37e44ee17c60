import { abCommand } from '../commands/ab.js';
import { calibrateCommand } from '../commands/calibrate.js';
import { compareCommand } from '../commands/compare.js';
import { DEFAULT_BASELINE_FILE, gateCommand } from '../commands/gate.js';
import { historyCommand } from '../commands/history.js';
import { initCommand } from '../commands/init.js';
import { mergeCommand } from '../commands/merge.js';
import { EXIT_USAGE, reportError, runCommand, type Output } from '../commands/run.js';
import { ConfigError } from '../config/errors.js';
import {
  guardWorkflowCommands,
  redact,
  registerSecret,
  registerSecretsFromEnv,
  registerSecretsInText,
} from '../redact/index.js';
import { LOADGATE_VERSION } from '../run/version.js';
import { installSignalCleanup } from '../service/index.js';
import { parseAbArgs, parseCompareArgs, parseGateArgs, parseRunArgs } from './args.js';
import { parseHistoryArgs } from './history-args.js';
import { parseInitArgs } from './init-args.js';
import { parseMergeArgs, parseRunCommandArgs } from './shard-args.js';
import { commandUsage, isCommand, USAGE } from './usage.js';

export { parseAbArgs, parseCompareArgs, parseGateArgs, parseRunArgs } from './args.js';

/**
 * Print through this: every registered secret is redacted (src/redact/; the CLI runs in CI
 * systems that mask nothing), and with `guardCommands` (inside a GitHub Actions step) text
 * with a line the runner would read as a workflow command, such as a service's log line
 * `::add-mask::…` or `::error::…` in an error message, is printed between stop-commands lines.
 * loadgate's own lines never start with `::`, so only echoed service or config text is guarded.
 */
export function redactingOutput(
  sink: Output,
  options: { guardCommands?: boolean; redactText?: (text: string) => string } = {},
): Output {
  const redactText = options.redactText ?? redact;
  const clean = (text: string): string =>
    options.guardCommands ? guardWorkflowCommands(redactText(text)) : redactText(text);
  const status = sink.status?.bind(sink);
  return {
    out: (line) => sink.out(clean(line)),
    err: (line) => sink.err(clean(line)),
    ...(status === undefined ? {} : { status: (line: string) => status(redactText(line)) }),
  };
}

/**
 * The secrets of a CLI run, registered before anything is printed: the token (`--token`,
 * `$LOADGATE_TOKEN`), the credentials of URLs in any argument (`--postgres-url`, `--base-url`,
 * a URL inside `--start`), secret-named pairs and flags in the commands, and the environment's
 * (redact/recognise.ts).
 */
export function registerCliSecrets(args: readonly string[], env: NodeJS.ProcessEnv): void {
  registerSecret(env.LOADGATE_TOKEN);
  args.forEach((arg, i) => {
    if (args[i - 1] === '--token') registerSecret(arg);
    if (arg.startsWith('--token=')) registerSecret(arg.slice('--token='.length));
    registerSecretsInText(arg);
  });
  registerSecretsFromEnv(env);
}

/**
 * stdout and stderr; on a terminal (stderr is a TTY) also the status line progress rewrites in
 * place, cleared before any other line is printed so the two never share a line.
 */
export function terminalOutput(
  stdout: Pick<NodeJS.WriteStream, 'write'>,
  stderr: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>,
): Output {
  let shown = false;
  const clear = () => {
    if (shown) stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    out: (line) => {
      clear();
      stdout.write(`${line}\n`);
    },
    err: (line) => {
      clear();
      stderr.write(`${line}\n`);
    },
    ...(stderr.isTTY
      ? {
          status: (line: string) => {
            if (line === '') return clear();
            // One terminal row, or the next redraw could not take it back.
            const width = Math.max(20, (stderr.columns || 80) - 1);
            const fitted = line.length > width ? `${line.slice(0, width - 1)}…` : line;
            stderr.write(`\r\x1b[K${fitted}`);
            shown = fitted !== '';
          },
        }
      : {}),
  };
}

export const consoleOutput: Output = terminalOutput(process.stdout, process.stderr);

/** `--help` / `-h` anywhere among a command's arguments, or `loadgate help <command>`. */
function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    consoleOutput.out(topic !== undefined && isCommand(topic) ? commandUsage(topic) : USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (isCommand(command) && wantsHelp(rest)) {
    consoleOutput.out(commandUsage(command));
    return 0;
  }
  if (command === '--version' || command === '-v') {
    consoleOutput.out(LOADGATE_VERSION);
    return 0;
  }
  registerCliSecrets(rest, env);
  const output = redactingOutput(consoleOutput, { guardCommands: env.GITHUB_ACTIONS === 'true' });
  try {
    switch (command) {
      case 'run': {
        const { settings, out } = parseRunCommandArgs(rest, env);
        registerSecret(settings.token);
        installSignalCleanup();
        return (await runCommand(settings, out, output)).exitCode;
      }
      case 'gate': {
        const { settings, options } = parseGateArgs(rest, env);
        registerSecret(settings.token);
        installSignalCleanup();
        return (await gateCommand(settings, options, output)).exitCode;
      }
      case 'ab': {
        const { settings, options } = parseAbArgs(rest, env);
        registerSecret(settings.token);
        installSignalCleanup();
        return (await abCommand(settings, options, output)).exitCode;
      }
      case 'calibrate': {
        const { settings, out } = parseRunArgs('calibrate', rest, env, DEFAULT_BASELINE_FILE);
        registerSecret(settings.token);
        installSignalCleanup();
        return (await calibrateCommand(settings, out, output)).exitCode;
      }
      case 'compare': {
        const outcome = await compareCommand(parseCompareArgs(rest));
        (outcome.exitCode === 2 ? output.err : output.out)(outcome.terminal);
        return outcome.exitCode;
      }
      case 'merge':
        return (await mergeCommand(parseMergeArgs(rest), output)).exitCode;
      case 'history':
        return (await historyCommand(parseHistoryArgs(rest), output)).exitCode;
      case 'init':
        return (await initCommand(parseInitArgs(rest), output)).exitCode;
      default:
        throw new ConfigError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    return reportError(error, output);
  }
}
