/**
 * The action's inputs, read once into a typed object. Pure: a getter in (core.getInput in the
 * action, a map in tests), ActionInputs out. Every bad value is an InputError naming the input,
 * what it expected and what it got.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_PROFILE } from '../config/plan.js';
import {
  checkBackingUrl,
  checkHttpUrl,
  DEFAULT_BASE_URL,
  POSTGRES_PROTOCOLS,
  REDIS_PROTOCOLS,
} from '../config/urls.js';
import { parseJudgeOptions } from '../judge/options.js';
import type { JudgeOptions } from '../judge/types.js';
import { DEFAULT_JUDGE_OPTIONS } from '../judge/types.js';

export class InputError extends ConfigError {}

export type BaselineSource =
  | { kind: 'artifact' }
  | { kind: 'none' }
  /** A committed RunResult file: `path` absolute, `display` as the user wrote it. */
  | { kind: 'file'; path: string; display: string };

export type SaveBaseline = 'auto' | 'true' | 'false';
export type CommentMode = 'always' | 'on-change' | 'never';

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
  baselineArtifact: string;
  saveBaseline: SaveBaseline;
  judge: JudgeOptions;
  comment: CommentMode;
  postgresUrl: string | undefined;
  redisUrl: string | undefined;
  githubToken: string | undefined;
}

/** Names and defaults, as in action.yml (the unit test checks they agree). */
export const INPUT_DEFAULTS = {
  'start-command': '',
  'working-directory': '.',
  'base-url': DEFAULT_BASE_URL,
  'ready-url': '',
  'ready-timeout': '60',
  'auth-token': '',
  config: '',
  profile: DEFAULT_PROFILE,
  baseline: 'artifact',
  'baseline-artifact': 'loadgate-baseline',
  'save-baseline': 'auto',
  'fail-on': 'sla,regression',
  comment: 'always',
  alpha: String(DEFAULT_JUDGE_OPTIONS.alpha),
  'min-effect': String(DEFAULT_JUDGE_OPTIONS.minEffect),
  'postgres-url': '',
  'redis-url': '',
  'github-token': '${{ github.token }}',
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
  const path = resolve(cwd, text);
  const root = workspace ? resolve(workspace) : undefined;
  if (root !== undefined) {
    const rel = relative(root, path);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw bad(
        'baseline',
        `"artifact", "none" or the path of a result file inside the repository (${root})`,
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

function parseProfile(text: string): string {
  if (!/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/.test(text)) {
    throw bad('profile', 'a profile name such as "pr" (or several, comma-separated)', text);
  }
  return text;
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
  const httpUrl = (name: InputName, value: string) =>
    asInput(() => checkHttpUrl(value, `input ${name}`));
  const backingUrl = (name: InputName, protocols: readonly string[]): string | undefined => {
    const value = opt(name);
    return value === undefined
      ? undefined
      : asInput(() => checkBackingUrl(value, `input ${name}`, protocols));
  };
  const cwd = resolve(context.cwd ?? process.cwd(), val('working-directory'));
  const readyUrl = opt('ready-url');

  return {
    start: opt('start-command'),
    cwd,
    baseUrl: httpUrl('base-url', val('base-url')),
    readyUrl: readyUrl === undefined ? undefined : httpUrl('ready-url', readyUrl),
    readyTimeoutSeconds: parseReadyTimeout(val('ready-timeout')),
    authToken: opt('auth-token'),
    config: opt('config'),
    profile: parseProfile(val('profile')),
    baseline: parseBaselineSource(val('baseline'), cwd, context.workspace),
    baselineArtifact: parseArtifactName('baseline-artifact', val('baseline-artifact')),
    saveBaseline: oneOf('save-baseline', val('save-baseline'), ['auto', 'true', 'false']),
    judge: asInput(() =>
      parseJudgeOptions(
        { alpha: val('alpha'), minEffect: val('min-effect'), failOn: val('fail-on') },
        { alpha: 'input alpha', minEffect: 'input min-effect', failOn: 'input fail-on' },
      ),
    ),
    comment: oneOf('comment', val('comment'), ['always', 'on-change', 'never']),
    postgresUrl: backingUrl('postgres-url', POSTGRES_PROTOCOLS),
    redisUrl: backingUrl('redis-url', REDIS_PROTOCOLS),
    // The default `${{ github.token }}` is expanded by the runner; empty = no GitHub API calls.
    githubToken: opt('github-token'),
  };
}
