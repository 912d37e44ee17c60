/**
 * The CLI's flags, parsed into the settings and options the commands take. A bad flag is a
 * ConfigError naming it, what it expects and what it got (exit 2).
 */
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AbOptions } from '../commands/ab.js';
import type { CompareOptions } from '../commands/compare.js';
import type { GateOptions } from '../commands/gate.js';
import { parseAbRounds } from '../config/ab-rounds.js';
import { parseAbSchedule } from '../config/ab-schedule.js';
import { parseCpuProfileMode } from '../config/cpu-profile.js';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../config/errors.js';
import type { PlanOverrides } from '../config/plan.js';
import {
  AB_DEFAULT_BASE_URL,
  checkSideAddress,
  fillSideTemplate,
} from '../config/side-template.js';
import {
  checkBackingUrl,
  checkHttpUrl,
  DEFAULT_BASE_URL,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
} from '../config/urls.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../judge/options.js';
import type { AbRunSettings } from '../run/ab-run.js';
import type { RunSettings } from '../run/execute.js';
import { checkCpuList } from '../service/cpu-affinity.js';
import { commandUsage, type CommandName } from './usage.js';

export const RUN_OPTIONS = {
  start: { type: 'string' },
  cwd: { type: 'string' },
  'base-url': { type: 'string' },
  'ready-url': { type: 'string' },
  'ready-timeout': { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string', short: 'c' },
  profile: { type: 'string' },
  'postgres-url': { type: 'string' },
  'redis-url': { type: 'string' },
  out: { type: 'string', short: 'o' },
  trials: { type: 'string' },
  'trial-seconds': { type: 'string' },
  warmup: { type: 'string' },
  duration: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export function parseNumber(
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

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  command: CommandName,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw flagError(command, error);
  }
}

/**
 * A flag node:util's parser refused, as loadgate says it: the parser's sentence (it names the
 * flag: "Unknown option '--x'", "Option '-c, --config <value>' argument missing"), without its
 * advice about `--`, then the command's own usage.
 */
export function flagError(command: CommandName, error: unknown): ConfigError {
  const message = (error as Error).message.split('. To specify a positional')[0] ?? '';
  return new ConfigError(`${command}: ${message}\n\n${commandUsage(command)}`);
}

export type RunFlags = { [K in keyof typeof RUN_OPTIONS]?: string };

export function parseRunArgs(
  command: CommandName,
  args: string[],
  env: NodeJS.ProcessEnv,
  defaultOut = 'loadgate-result.json',
): { settings: RunSettings; out: string } {
  return runSettingsFrom(parseFlags(command, args, RUN_OPTIONS), env, defaultOut);
}

export function runSettingsFrom(
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

export const COMPARE_OPTIONS = {
  baseline: { type: 'string' },
  current: { type: 'string' },
  history: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'string' },
  alpha: { type: 'string' },
  'min-effect': { type: 'string' },
  'fail-on': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** alpha / min-effect / fail-on as typed; judge/options.ts checks them, as for the action. */
export function judgeFlags(v: { alpha?: string; 'min-effect'?: string; 'fail-on'?: string }) {
  return {
    ...(v.alpha === undefined ? {} : { alpha: v.alpha }),
    ...(v['min-effect'] === undefined ? {} : { minEffect: v['min-effect'] }),
    ...(v['fail-on'] === undefined ? {} : { failOn: v['fail-on'] }),
  };
}

export function parseCompareArgs(args: string[]): CompareOptions {
  const v = parseFlags('compare', args, COMPARE_OPTIONS);
  if (v.baseline === undefined || v.current === undefined) {
    throw new ConfigError(`compare needs --baseline FILE and --current FILE`);
  }
  return {
    baseline: v.baseline,
    current: v.current,
    ...(v.history === undefined ? {} : { historyFile: v.history }),
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
  const v = parseFlags('gate', args, GATE_OPTIONS);
  if (v.current !== undefined)
    throw new ConfigError('gate measures the current run itself: --current is not for gate');
  const { settings, out } = runSettingsFrom(v, env);
  const options: GateOptions = {
    ...parseJudgeOptions(judgeFlags(v), CLI_JUDGE_FIELDS),
    out,
    ...(v.baseline === undefined ? {} : { baseline: v.baseline }),
    ...(v.history === undefined ? {} : { historyFile: v.history }),
    ...(v.report === undefined ? {} : { report: v.report }),
    ...(v.json === undefined ? {} : { json: v.json }),
  };
  return { settings, options };
}

const AB_OPTIONS = {
  ...RUN_OPTIONS,
  report: { type: 'string' },
  json: { type: 'string' },
  alpha: { type: 'string' },
  'min-effect': { type: 'string' },
  'fail-on': { type: 'string' },
  'base-cwd': { type: 'string' },
  setup: { type: 'string' },
  seed: { type: 'string' },
  schedule: { type: 'string' },
  'service-cpus': { type: 'string' },
  rounds: { type: 'string' },
  budget: { type: 'string' },
  'cpu-profile': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** `loadgate ab`: the head in --cwd, the base in --base-cwd, one start command for both. */
export function parseAbArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
): { settings: AbRunSettings; options: AbOptions } {
  const v = parseFlags('ab', args, AB_OPTIONS);
  if (v['base-cwd'] === undefined) {
    throw new ConfigError(
      'ab needs --base-cwd DIR: a checkout of the base version (e.g. a git worktree)',
    );
  }
  if (v.start === undefined) {
    throw new ConfigError(
      'ab needs --start CMD: it starts both versions itself, each with PORT and LOADGATE_SIDE set ({port} in the command is replaced too)',
    );
  }
  const baseUrl = v['base-url'] ?? AB_DEFAULT_BASE_URL;
  checkSideAddress(baseUrl, '--base-url');
  const sample = (template: string) => fillSideTemplate(template, { port: 1, side: 'head' });
  checkHttpUrl(sample(baseUrl), '--base-url');
  if (v['ready-url'] !== undefined) checkHttpUrl(sample(v['ready-url']), '--ready-url');
  // The run options without the URLs, which are templates here.
  const { settings: run, out } = runSettingsFrom(
    { ...v, 'base-url': undefined, 'ready-url': undefined },
    env,
  );
  const seed = parseNumber(
    v.seed,
    'seed',
    (n) => Number.isInteger(n) && n >= 0,
    'a whole number ≥ 0',
  );
  const rounds = parseAbRounds(v.rounds, '--rounds');
  const budgetSeconds = v.budget === undefined ? undefined : parseDuration(v.budget, '--budget');
  if (rounds !== undefined && budgetSeconds !== undefined) {
    throw new ConfigError(
      '--budget and --rounds: give one (a budget runs rounds until each scenario is decided; --rounds fixes their number)',
    );
  }
  const judge = parseJudgeOptions(judgeFlags(v), CLI_JUDGE_FIELDS, 'ab');
  const schedule = parseAbSchedule(v.schedule, '--schedule');
  const cpuProfile = parseCpuProfileMode(v['cpu-profile'], '--cpu-profile');
  const serviceCpus =
    v['service-cpus'] === undefined ? undefined : checkCpuList(v['service-cpus'], '--service-cpus');
  const { start: _start, cwd, baseUrl: _single, ...shared } = run;
  const settings: AbRunSettings = {
    ...shared,
    start: v.start,
    head: { cwd },
    base: {
      cwd: resolve(cwd, v['base-cwd']),
      setup: { field: '--setup', ...(v.setup === undefined ? {} : { command: v.setup }) },
    },
    baseUrl,
    ...(v['ready-url'] === undefined ? {} : { readyUrl: v['ready-url'] }),
    ...(seed === undefined ? {} : { orderSeed: seed }),
    ...(schedule === undefined ? {} : { schedule }),
    ...(serviceCpus === undefined ? {} : { serviceCpus }),
    ...(rounds === undefined ? {} : { rounds }),
    ...(budgetSeconds === undefined ? {} : { budgetSeconds }),
    judged: { alpha: judge.alpha, minEffect: judge.minEffect },
    // Beside the result file: its folder is the run's output folder.
    cpuProfile: { mode: cpuProfile, dir: dirname(resolve(cwd, out)) },
  };
  const options: AbOptions = {
    ...judge,
    out,
    ...(v.report === undefined ? {} : { report: v.report }),
    ...(v.json === undefined ? {} : { json: v.json }),
    ...(v.setup === undefined ? {} : { setup: v.setup }),
  };
  return { settings, options };
}
