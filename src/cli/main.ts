import { parseArgs, type ParseArgsConfig } from 'node:util';
import { calibrateCommand } from '../commands/calibrate.js';
import { compareCommand, type CompareOptions } from '../commands/compare.js';
import { DEFAULT_BASELINE_FILE, gateCommand, type GateOptions } from '../commands/gate.js';
import { EXIT_USAGE, reportError, runCommand, type Output } from '../commands/run.js';
import { ConfigError } from '../config/errors.js';
import type { PlanOverrides } from '../config/plan.js';
import {
  checkBackingUrl,
  checkHttpUrl,
  DEFAULT_BASE_URL,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
} from '../config/urls.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../judge/options.js';
import type { RunSettings } from '../run/execute.js';
import { LOADGATE_VERSION } from '../run/version.js';
import { installSignalCleanup } from '../service/index.js';

const USAGE = `loadgate ${LOADGATE_VERSION}: gate pull requests on the performance of an HTTP service

Usage:
  loadgate run [options]                   run the scenarios, write the result JSON
  loadgate gate [run options] [--baseline FILE] [--report FILE] [--json FILE]
                [--alpha A] [--min-effect E] [--fail-on LIST]
                                           run, then judge against the baseline and report
  loadgate calibrate [run options]         run twice (A/A), write a baseline with the noise floor
  loadgate compare --baseline FILE --current FILE [--report FILE] [--json FILE]
                   [--alpha A] [--min-effect E] [--fail-on sla,regression|none]
  loadgate --help | --version

Run options:
  --start CMD           shell command that starts the service (omit to use one already running)
  --cwd DIR             working directory for the command and relative paths (default: .)
  --base-url URL        where the service listens (default: ${DEFAULT_BASE_URL})
  --ready-url URL       polled until it answers 2xx (default: <base-url>/health)
  --ready-timeout S     seconds to wait for readiness (default: 60)
  --token TOKEN         bearer token for the API (default: $LOADGATE_TOKEN or test_superuser_token); never printed
  --config FILE         scenarios file, YAML or JSON (default: the built-in admin preset)
  --profile NAME        which scenarios to run: pr (default), load, stress, spike, volume, soak,
                        recovery, full (every scenario), or a comma list (stress,soak)
  --postgres-url URL    sample the service database's connections (pg_stat_activity)
  --redis-url URL       sample Redis memory (INFO memory)
  --out FILE            result file (default: loadgate-result.json; calibrate:
                        ${DEFAULT_BASELINE_FILE})
  --trials N            override the number of trials of every scenario
  --trial-seconds S     override the length of each trial
  --warmup S            override the warm-up length
  --duration S          the main phase of the non-load kinds: soak length, spike burst, stress step

Compare options:
  --baseline FILE       the baseline result (from loadgate run or calibrate); gate's default:
                        ${DEFAULT_BASELINE_FILE} (missing = SLA verdicts only)
  --current FILE        the result to judge
  --report FILE         write the markdown report
  --json FILE           write the machine-readable verdict
  --alpha A             significance level after Holm correction (default 0.05)
  --min-effect E        smallest change that counts, as a share or percentage (default 0.10 = 10%)
  --fail-on LIST        what fails: sla, regression, both (default) or none

Exit codes: 0 completed / passed, 1 the gate failed on what --fail-on names, 2 bad usage, config
or input file, 3 the service could not start or died, 4 internal error.`;

const RUN_OPTIONS = {
  start: { type: 'string' },
  cwd: { type: 'string' },
  'base-url': { type: 'string' },
  'ready-url': { type: 'string' },
  'ready-timeout': { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string' },
  profile: { type: 'string' },
  'postgres-url': { type: 'string' },
  'redis-url': { type: 'string' },
  out: { type: 'string' },
  trials: { type: 'string' },
  'trial-seconds': { type: 'string' },
  warmup: { type: 'string' },
  duration: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function parseNumber(
  value: string | undefined,
  flag: string,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new ConfigError(`--${flag}: expected ${expected}, got "${value}"`);
  }
  return n;
}

function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

type RunFlags = { [K in keyof typeof RUN_OPTIONS]?: string };

export function parseRunArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  defaultOut = 'loadgate-result.json',
): { settings: RunSettings; out: string } {
  return runSettingsFrom(parseFlags(args, RUN_OPTIONS), env, defaultOut);
}

function runSettingsFrom(
  v: RunFlags,
  env: NodeJS.ProcessEnv,
  defaultOut = 'loadgate-result.json',
): { settings: RunSettings; out: string } {
  const overrides: PlanOverrides = {};
  const trials = parseNumber(
    v.trials,
    'trials',
    (n) => Number.isInteger(n) && n >= 1 && n <= 100,
    'a whole number from 1 to 100',
  );
  const trialSeconds = parseNumber(
    v['trial-seconds'],
    'trial-seconds',
    (n) => n > 0 && n <= 86_400,
    'seconds > 0',
  );
  const warmup = parseNumber(v.warmup, 'warmup', (n) => n >= 0 && n <= 3600, 'seconds ≥ 0');
  if (trials !== undefined) overrides.trials = trials;
  if (trialSeconds !== undefined) overrides.trialSeconds = trialSeconds;
  if (warmup !== undefined) overrides.warmupSeconds = warmup;
  const duration = parseNumber(v.duration, 'duration', (n) => n > 0 && n <= 86_400, 'seconds > 0');
  if (duration !== undefined) overrides.duration = duration;
  const token = v.token ?? env.LOADGATE_TOKEN;
  const settings: RunSettings = {
    cwd: v.cwd ?? process.cwd(),
    baseUrl: checkHttpUrl(v['base-url'] ?? DEFAULT_BASE_URL, '--base-url'),
    readyTimeoutSeconds:
      parseNumber(
        v['ready-timeout'],
        'ready-timeout',
        (n) => n > 0 && n <= 3600,
        'seconds from 1 to 3600',
      ) ?? 60,
    overrides,
    ...(v.start === undefined ? {} : { start: v.start }),
    ...(v['ready-url'] === undefined
      ? {}
      : { readyUrl: checkHttpUrl(v['ready-url'], '--ready-url') }),
    ...(token === undefined ? {} : { token }),
    ...(v.config === undefined ? {} : { config: v.config }),
    ...(v.profile === undefined ? {} : { profile: v.profile }),
    ...(v['postgres-url'] === undefined
      ? {}
      : { postgresUrl: checkBackingUrl(v['postgres-url'], '--postgres-url', POSTGRES_PROTOCOLS) }),
    ...(v['redis-url'] === undefined
      ? {}
      : { redisUrl: checkBackingUrl(v['redis-url'], '--redis-url', REDIS_PROTOCOLS) }),
  };
  return { settings, out: v.out ?? defaultOut };
}

const COMPARE_OPTIONS = {
  baseline: { type: 'string' },
  current: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'string' },
  alpha: { type: 'string' },
  'min-effect': { type: 'string' },
  'fail-on': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** alpha / min-effect / fail-on as typed; judge/options.ts checks them, as for the action. */
function judgeFlags(v: { alpha?: string; 'min-effect'?: string; 'fail-on'?: string }) {
  return {
    ...(v.alpha === undefined ? {} : { alpha: v.alpha }),
    ...(v['min-effect'] === undefined ? {} : { minEffect: v['min-effect'] }),
    ...(v['fail-on'] === undefined ? {} : { failOn: v['fail-on'] }),
  };
}

export function parseCompareArgs(args: string[]): CompareOptions {
  const v = parseFlags(args, COMPARE_OPTIONS);
  if (v.baseline === undefined || v.current === undefined) {
    throw new ConfigError(`compare needs --baseline FILE and --current FILE`);
  }
  return {
    baseline: v.baseline,
    current: v.current,
    ...(v.report === undefined ? {} : { report: v.report }),
    ...(v.json === undefined ? {} : { json: v.json }),
    ...judgeFlags(v),
  };
}

const GATE_OPTIONS = {
  ...RUN_OPTIONS,
  ...COMPARE_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

export function parseGateArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
): { settings: RunSettings; options: GateOptions } {
  const v = parseFlags(args, GATE_OPTIONS);
  if (v.current !== undefined)
    throw new ConfigError('gate measures the current run itself: --current is not for gate');
  const { settings, out } = runSettingsFrom(v, env);
  const options: GateOptions = {
    ...parseJudgeOptions(judgeFlags(v), CLI_JUDGE_FIELDS),
    out,
    ...(v.baseline === undefined ? {} : { baseline: v.baseline }),
    ...(v.report === undefined ? {} : { report: v.report }),
    ...(v.json === undefined ? {} : { json: v.json }),
  };
  return { settings, options };
}

/** Print through this so a secret that reaches a message (a service log, say) is masked. */
export function redactingOutput(secrets: readonly string[], sink: Output): Output {
  const live = secrets.filter((s) => s.length >= 4);
  const redact = (line: string) =>
    live.reduce((text, secret) => text.split(secret).join('***'), line);
  return { out: (line) => sink.out(redact(line)), err: (line) => sink.err(redact(line)) };
}

export const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    consoleOutput.out(USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  if (command === '--version' || command === '-v') {
    consoleOutput.out(LOADGATE_VERSION);
    return 0;
  }
  let output = consoleOutput;
  try {
    switch (command) {
      case 'run': {
        const { settings, out } = parseRunArgs(rest, env);
        output = redactingOutput(
          settings.token === undefined ? [] : [settings.token],
          consoleOutput,
        );
        installSignalCleanup();
        return (await runCommand(settings, out, output)).exitCode;
      }
      case 'gate': {
        const { settings, options } = parseGateArgs(rest, env);
        output = redactingOutput(
          settings.token === undefined ? [] : [settings.token],
          consoleOutput,
        );
        installSignalCleanup();
        return (await gateCommand(settings, options, output)).exitCode;
      }
      case 'calibrate': {
        const { settings, out } = parseRunArgs(rest, env, DEFAULT_BASELINE_FILE);
        output = redactingOutput(
          settings.token === undefined ? [] : [settings.token],
          consoleOutput,
        );
        installSignalCleanup();
        return (await calibrateCommand(settings, out, output)).exitCode;
      }
      case 'compare': {
        const outcome = await compareCommand(parseCompareArgs(rest));
        (outcome.exitCode === 2 ? output.err : output.out)(outcome.terminal);
        return outcome.exitCode;
      }
      default:
        throw new ConfigError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    return reportError(error, output);
  }
}
