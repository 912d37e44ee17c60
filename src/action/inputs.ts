/**
 * The action's inputs, read once into a typed object. Pure: a getter in (core.getInput in the
 * action, a map in tests), ActionInputs out. Every bad value is an InputError naming the input,
 * what it expected and what it got.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_PROFILE } from '../config/plan.js';
import type { FailOn, JudgeOptions } from '../judge/types.js';
import { DEFAULT_JUDGE_OPTIONS } from '../judge/types.js';
import { DEFAULT_BASE_URL } from '../run/execute.js';

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

function url(name: InputName, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw bad(name, 'an http:// or https:// URL (e.g. http://127.0.0.1:8000)', value);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw bad(name, 'an http:// or https:// URL (e.g. http://127.0.0.1:8000)', value);
  }
  return value.replace(/\/+$/, '');
}

function serviceUrl(
  name: InputName,
  value: string | undefined,
  protocols: string[],
): string | undefined {
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === undefined || !protocols.includes(protocol)) {
    const shown = value.replace(/\/\/[^@/]*@/, '//***@');
    throw bad(name, `a ${protocols.map((p) => `${p}//`).join(' or ')} URL`, shown);
  }
  return value;
}

/** A share: `0.1`, or a percentage `10%`. */
function share(value: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/.exec(value);
  const n = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : Number.NaN;
  return Number.isFinite(n) ? n : Number.NaN;
}

export function parseFailOnInput(value: string): ReadonlySet<FailOn> {
  const expected = '"sla", "regression", "sla,regression" or "none"';
  const tokens = value
    .split(/[\s,]+/)
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) throw bad('fail-on', expected, value);
  if (tokens.includes('none')) {
    if (tokens.length > 1) throw bad('fail-on', `"none" alone (or ${expected})`, value);
    return new Set();
  }
  const out = new Set<FailOn>();
  for (const t of tokens) {
    if (t !== 'sla' && t !== 'regression') throw bad('fail-on', expected, value);
    out.add(t);
  }
  return out;
}

const ARTIFACT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ParseContext {
  /** GITHUB_WORKSPACE: a baseline file must lie inside it. */
  workspace?: string | undefined;
  /** Directory relative paths start from before working-directory applies (process.cwd()). */
  cwd?: string;
}

/** Parse and validate every input; `get` returns the raw value ('' when unset). */
export function parseInputs(
  get: (name: InputName) => string,
  context: ParseContext = {},
): ActionInputs {
  const raw = (name: InputName): string => get(name).trim();
  const opt = (name: InputName): string | undefined => {
    const v = raw(name);
    return v === '' ? undefined : v;
  };
  const val = (name: InputName): string => opt(name) ?? INPUT_DEFAULTS[name];

  const cwd = resolve(context.cwd ?? process.cwd(), val('working-directory'));

  const timeoutText = val('ready-timeout');
  const readyTimeoutSeconds = Number(timeoutText);
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || !(readyTimeoutSeconds > 0)) {
    throw bad('ready-timeout', 'a positive number of seconds (e.g. 60)', timeoutText);
  }

  const baselineText = val('baseline');
  let baseline: BaselineSource;
  const keyword = baselineText.toLowerCase();
  if (keyword === 'artifact') baseline = { kind: 'artifact' };
  else if (keyword === 'none') baseline = { kind: 'none' };
  else {
    const path = resolve(cwd, baselineText);
    const root = context.workspace ? resolve(context.workspace) : undefined;
    if (root !== undefined) {
      const rel = relative(root, path);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        throw bad(
          'baseline',
          `"artifact", "none" or the path of a result file inside the repository (${root})`,
          baselineText,
        );
      }
    }
    baseline = { kind: 'file', path, display: baselineText };
  }

  const baselineArtifact = val('baseline-artifact');
  if (!ARTIFACT_NAME_RE.test(baselineArtifact) || baselineArtifact.includes('..')) {
    throw bad(
      'baseline-artifact',
      'an artifact name of letters, digits, ".", "-" or "_" (at most 128 characters)',
      baselineArtifact,
    );
  }

  const alphaText = val('alpha');
  const alpha = share(alphaText);
  if (!(alpha > 0 && alpha <= 0.5)) {
    throw bad('alpha', 'a significance level above 0 and at most 0.5 (e.g. 0.05)', alphaText);
  }
  const minEffectText = val('min-effect');
  const minEffect = share(minEffectText);
  if (!(minEffect >= 0 && minEffect < 1)) {
    throw bad('min-effect', 'a share from 0 to below 1, e.g. 0.10 or 10%', minEffectText);
  }

  const readyUrl = opt('ready-url');
  const profile = val('profile');
  if (!/^[A-Za-z0-9._-]+(\s*,\s*[A-Za-z0-9._-]+)*$/.test(profile)) {
    throw bad('profile', 'a profile name such as "pr" (or several, comma-separated)', profile);
  }

  return {
    start: opt('start-command'),
    cwd,
    baseUrl: url('base-url', val('base-url')),
    readyUrl: readyUrl === undefined ? undefined : url('ready-url', readyUrl),
    readyTimeoutSeconds,
    authToken: opt('auth-token'),
    config: opt('config'),
    profile,
    baseline,
    baselineArtifact,
    saveBaseline: oneOf('save-baseline', val('save-baseline'), ['auto', 'true', 'false']),
    judge: { alpha, minEffect, failOn: parseFailOnInput(val('fail-on')) },
    comment: oneOf('comment', val('comment'), ['always', 'on-change', 'never']),
    postgresUrl: serviceUrl('postgres-url', opt('postgres-url'), ['postgres:', 'postgresql:']),
    redisUrl: serviceUrl('redis-url', opt('redis-url'), ['redis:', 'rediss:']),
    // The default `${{ github.token }}` is expanded by the runner; empty = no GitHub API calls.
    githubToken: opt('github-token'),
  };
}
