/**
 * The action's inputs, read once into a typed object. Pure: a getter in (core.getInput in the
 * action, a map in tests), ActionInputs out. Every bad value is an InputError naming the input,
 * what it expected and what it got.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { parseAbRounds } from '../config/ab-rounds.js';
import { parseAbSchedule } from '../config/ab-schedule.js';
import { parseCpuProfileMode } from '../config/cpu-profile.js';
import { parseDuration } from '../config/duration.js';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_PROFILE } from '../config/plan.js';
import {
  checkBackingUrl,
  checkHttpUrl,
  DEFAULT_BASE_URL,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
} from '../config/urls.js';
import {
  AB_DEFAULT_BASE_URL,
  checkSideAddress,
  fillSideTemplate,
} from '../config/side-template.js';
import { parseJudgeOptions } from '../judge/options.js';
import type { JudgeOptions } from '../judge/types.js';
import type { AbSchedule, CpuProfileMode } from '../result/types.js';
import type { ShardSettings } from '../run/shard.js';
import { checkCpuList } from '../service/cpu-affinity.js';
import { parseShardInputs, type MergeRequest } from './shard-inputs.js';

export class InputError extends ConfigError {}

export type BaselineSource =
  /** `byDefault`: the input was left empty, so this is the default rather than a choice. */
  | { kind: 'artifact'; byDefault?: true }
  | { kind: 'none' }
  /** The base commit, started beside the head on this runner (interleaved A/B). */
  | { kind: 'base-commit' }
  /** A committed RunResult file: `path` absolute, `display` as the user wrote it. */
  | { kind: 'file'; path: string; display: string };

export type SaveBaseline = 'auto' | 'true' | 'false';
/**
 * The sticky comment: on every run, when the verdict changed, only when the check fails (and the
 * earlier failing comment updated and hidden once a later run passes), or never.
 */
export type CommentMode = 'always' | 'on-change' | 'on-failure' | 'never';
/**
 * The check when a pull request has no baseline to be compared with (action/baseline.ts):
 * `pass` (a notice), `warn` (a warning), `fail` (the check fails after publishing). A baseline
 * that could not be looked up (an API error, no `actions: read`) is a warning whatever it says.
 */
export type MissingBaselinePolicy = 'pass' | 'warn' | 'fail';

export interface ActionInputs {
  start: string | undefined;
  /** Absolute working directory. */
  cwd: string;
  baseUrl: string;
  readyUrl: string | undefined;
  readyTimeoutSeconds: number;
  authToken: string | undefined;
  config: string | undefined;
  profile: string;
  baseline: BaselineSource;
  /** base-commit: the commit to measure against instead of the pull request's base. */
  baseRef: string | undefined;
  /** base-commit: prepares the base checkout before its service starts. */
  setupCommand: string | undefined;
  /** base-commit: how the pairs are measured; undefined = auto (run/ab-run.ts). */
  abSchedule: AbSchedule | undefined;
  /** base-commit: the CPUs both services share (taskset list). */
  serviceCpus: string | undefined;
  /**
   * base-commit: the CPU profile round after the judged rounds (run/profile-round.ts): `auto`
   * when a scenario regressed, `always`, `off`. Not `profile`, which names the scenarios' profile.
   */
  cpuProfile: CpuProfileMode;
  /** base-commit: rounds of pairs with both services restarted between; undefined = auto. */
  abRounds: number | undefined;
  /** base-commit: rounds until decided within this many seconds; undefined = the default. */
  budgetSeconds: number | undefined;
  /** The baseline artifact read and written: baseline-artifact, `-<name>` appended when set. */
  baselineArtifact: string;
  /** Tells apart runs of one job id (matrix legs, two steps): keys the comment and artifacts. */
  name: string | undefined;
  saveBaseline: SaveBaseline;
  onMissingBaseline: MissingBaselinePolicy;
  judge: JudgeOptions;
  /** A pull request with this label has its regressions accepted (reported, not failing). */
  acceptLabel: string;
  comment: CommentMode;
  postgresUrl: string | undefined;
  redisUrl: string | undefined;
  githubToken: string | undefined;
  /** This job is one shard of a sharded run: it measures its share and uploads it, nothing else. */
  shard: ShardSettings | undefined;
  /** This job merges the run's shard results, then judges and reports them as one run. */
  merge: MergeRequest | undefined;
  /**
   * Start commands on pull_request_target, issue_comment and workflow_run too (action/
   * untrusted-code.ts): the workflow's author vouches that only trusted code runs there.
   */
  allowUntrustedCode: boolean;
  /** `off`: the output of what loadgate starts stays out of comments, summaries and artifacts. */
  logTail: LogTailSetting;
  /** Environment variables whose values are secrets, beside the ones recognised by name. */
  secretVariables: string[];
}

export type LogTailSetting = 'on' | 'off';

/** Names and defaults, as in action.yml (the unit test checks they agree). */
export const INPUT_DEFAULTS = {
  'start-command': '',
  'working-directory': '.',
  'base-url': '',
  'ready-url': '',
  'ready-timeout': '60',
  'auth-token': '',
  config: '',
  profile: DEFAULT_PROFILE,
  baseline: '',
  'base-ref': '',
  'setup-command': '',
  'ab-schedule': 'auto',
  'service-cpus': '',
  'cpu-profile': 'auto',
  'ab-rounds': 'auto',
  budget: '',
  'baseline-artifact': 'loadgate-baseline',
  name: '',
  'save-baseline': 'auto',
  'on-missing-baseline': 'warn',
  'fail-on': 'sla,regression',
  'accept-label': 'loadgate:accept-regression',
  comment: 'always',
  alpha: '',
  'min-effect': '',
  'postgres-url': '',
  'redis-url': '',
  'github-token': '${{ github.token }}',
  shard: '',
  'start-at': '',
  merge: 'false',
  'allow-untrusted-code': 'false',
  'log-tail': 'on',
  'secret-variables': '',
  mode: 'auto',
  'artifact-name': '',
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;

function bad(name: InputName, expected: string, got: string): InputError {
  return new InputError(`input ${name}: expected ${expected}, got "${got}"`);
}

function oneOf<T extends string>(name: InputName, value: string, allowed: readonly T[]): T {
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw bad(
    name,
    allowed
      .map((a) => `"${a}"`)
      .join(', ')
      .replace(/, ([^,]*)$/, ' or $1'),
    value,
  );
}

function optionalCpus(list: string | undefined): string | undefined {
  return list === undefined ? undefined : asInput(() => checkCpuList(list, 'input service-cpus'));
}

/** Any ConfigError from a shared checker, as this input's InputError (same message). */
function asInput<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConfigError) throw new InputError(error.message);
    throw error;
  }
}

const ARTIFACT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ParseContext {
  /** GITHUB_WORKSPACE: a baseline file must lie inside it. */
  workspace?: string | undefined;
  /** Directory relative paths start from before working-directory applies (process.cwd()). */
  cwd?: string;
}

function parseReadyTimeout(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) {
    throw bad('ready-timeout', 'a positive number of seconds (e.g. 60)', text);
  }
  return seconds;
}

/** `artifact`, `none`, or the path of a result file inside the repository. */
function parseBaselineSource(
  text: string,
  cwd: string,
  workspace: string | undefined,
): BaselineSource {
  const keyword = text.toLowerCase();
  if (keyword === 'artifact') return { kind: 'artifact' };
  if (keyword === 'none') return { kind: 'none' };
  if (keyword === 'base-commit') return { kind: 'base-commit' };
  const path = resolve(cwd, text);
  const root = workspace ? resolve(workspace) : undefined;
  if (root !== undefined) {
    const rel = relative(root, path);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw bad(
        'baseline',
        `"base-commit", "artifact", "none" or the path of a result file inside the repository (${root})`,
        text,
      );
    }
  }
  return { kind: 'file', path, display: text };
}

function parseArtifactName(name: InputName, text: string): string {
  if (!ARTIFACT_NAME_RE.test(text) || text.includes('..')) {
    throw bad(
      name,
      'an artifact name of letters, digits, ".", "-" or "_" (at most 128 characters)',
      text,
    );
  }
  return text;
}

const RUN_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** input name: what tells apart loadgate runs of one job (a matrix leg, a second step). */
function parseRunName(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!RUN_NAME_RE.test(text)) {
    throw bad('name', 'letters, digits, ".", "_" or "-" (at most 64, e.g. node-20)', text);
  }
  return text;
}

/** The baseline artifact of this run: `<baseline-artifact>-<name>` when a name is given. */
function keyedArtifactName(artifact: string, name: string | undefined): string {
  parseArtifactName('baseline-artifact', artifact);
  return name === undefined
    ? artifact
    : parseArtifactName('baseline-artifact', `${artifact}-${parseRunName(name)}`);
}

/** A label name as GitHub allows it: 1 to 50 characters. */
function parseLabel(text: string): string {
  if (text.length > 50 || /[\r\n]/.test(text)) {
    throw bad('accept-label', 'a pull request label name (at most 50 characters)', text);
  }
  return text;
}

/** input budget: a duration; not with a fixed ab-rounds (one or the other decides the rounds). */
function parseBudget(text: string | undefined, rounds: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = asInput(() => parseDuration(text, 'input budget'));
  if (rounds !== undefined && rounds.toLowerCase() !== 'auto') {
    throw bad(
      'budget',
      'no budget with a fixed ab-rounds (a budget runs rounds until each scenario is decided; ab-rounds fixes their number)',
      text,
    );
  }
  return seconds;
}

function parseProfile(text: string): string {
  if (!/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/.test(text)) {
    throw bad('profile', 'a profile name such as "pr" (or several, comma-separated)', text);
  }
  return text;
}

/**
 * base-url / ready-url: an http(s) URL; with base and head side by side (`paired`) a template
 * whose `{port}` each side fills, and base-url must have one.
 */
function serviceUrl(name: 'base-url' | 'ready-url', value: string, paired: boolean): string {
  return asInput(() => {
    if (!paired) return checkHttpUrl(value, `input ${name}`);
    if (name === 'base-url') checkSideAddress(value, `input ${name}`);
    checkHttpUrl(fillSideTemplate(value, { port: 1, side: 'head' }), `input ${name}`);
    return value.replace(/\/+$/, '');
  });
}

const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The names in secret-variables (comma- or newline-separated). Lenient (`strict: false`, for the
 * registration of secrets before the inputs are checked) or strict (a bad name is an InputError).
 */
export function parseSecretVariables(text: string, strict = true): string[] {
  const names = text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const bad = names.find((name) => !VARIABLE_NAME_RE.test(name));
  if (bad !== undefined && strict) {
    throw new InputError(
      `input secret-variables: expected environment variable names (letters, digits and _, not starting with a digit) separated by commas or new lines, got "${bad}"`,
    );
  }
  return [...new Set(names.filter((name) => VARIABLE_NAME_RE.test(name)))];
}

/** Parse and validate every input; `get` returns the raw value ('' when unset). */
export function parseInputs(
  get: (name: InputName) => string,
  context: ParseContext = {},
): ActionInputs {
  const opt = (name: InputName): string | undefined => {
    const v = get(name).trim();
    return v === '' ? undefined : v;
  };
  const val = (name: InputName): string => opt(name) ?? INPUT_DEFAULTS[name];
  const backingUrl = (name: InputName, protocols: readonly string[]): string | undefined => {
    const value = opt(name);
    // {side} is filled per side in an A/B run: check the URL as the head will use it.
    return value === undefined
      ? undefined
      : asInput(() =>
          checkBackingUrl(
            fillSideTemplate(value, { port: 1, side: 'head' }),
            `input ${name}`,
            protocols,
          ),
        ) && value;
  };
  const cwd = resolve(context.cwd ?? process.cwd(), val('working-directory'));
  const given = opt('baseline');
  const baseline: BaselineSource =
    given === undefined
      ? { kind: 'artifact', byDefault: true }
      : parseBaselineSource(given, cwd, context.workspace);
  const paired = baseline.kind === 'base-commit';
  const start = opt('start-command');
  if (paired && start === undefined) {
    throw bad(
      'start-command',
      'the command that starts the service: baseline base-commit starts the base and the head itself (each with PORT and LOADGATE_SIDE)',
      '',
    );
  }
  const readyUrl = opt('ready-url');

  return {
    start,
    cwd,
    baseUrl: serviceUrl(
      'base-url',
      opt('base-url') ?? (paired ? AB_DEFAULT_BASE_URL : DEFAULT_BASE_URL),
      paired,
    ),
    readyUrl: readyUrl === undefined ? undefined : serviceUrl('ready-url', readyUrl, paired),
    readyTimeoutSeconds: parseReadyTimeout(val('ready-timeout')),
    authToken: opt('auth-token'),
    config: opt('config'),
    profile: parseProfile(val('profile')),
    baseline,
    baseRef: opt('base-ref'),
    setupCommand: opt('setup-command'),
    abSchedule: asInput(() => parseAbSchedule(val('ab-schedule'), 'input ab-schedule')),
    serviceCpus: optionalCpus(opt('service-cpus')),
    cpuProfile: asInput(() => parseCpuProfileMode(val('cpu-profile'), 'input cpu-profile')),
    abRounds: asInput(() => parseAbRounds(val('ab-rounds'), 'input ab-rounds')),
    budgetSeconds: parseBudget(opt('budget'), opt('ab-rounds')),
    baselineArtifact: keyedArtifactName(val('baseline-artifact'), opt('name')),
    name: parseRunName(opt('name')),
    saveBaseline: oneOf('save-baseline', val('save-baseline'), ['auto', 'true', 'false']),
    onMissingBaseline: oneOf('on-missing-baseline', val('on-missing-baseline'), [
      'pass',
      'warn',
      'fail',
    ]),
    judge: asInput(() =>
      parseJudgeOptions(
        { alpha: opt('alpha'), minEffect: opt('min-effect'), failOn: val('fail-on') },
        { alpha: 'input alpha', minEffect: 'input min-effect', failOn: 'input fail-on' },
        paired ? 'ab' : 'single',
      ),
    ),
    acceptLabel: parseLabel(val('accept-label')),
    comment: oneOf('comment', val('comment'), ['always', 'on-change', 'on-failure', 'never']),
    postgresUrl: backingUrl('postgres-url', POSTGRES_PROTOCOLS),
    redisUrl: backingUrl('redis-url', REDIS_PROTOCOLS),
    // The default `${{ github.token }}` is expanded by the runner; empty = no GitHub API calls.
    githubToken: opt('github-token'),
    allowUntrustedCode:
      oneOf('allow-untrusted-code', val('allow-untrusted-code'), ['true', 'false']) === 'true',
    logTail: oneOf('log-tail', val('log-tail'), ['on', 'off']),
    secretVariables: parseSecretVariables(val('secret-variables')),
    ...asInput(() =>
      parseShardInputs({
        shard: opt('shard'),
        startAt: opt('start-at'),
        merge: val('merge'),
        start,
        paired,
      }),
    ),
  };
}
