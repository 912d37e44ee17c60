/**
 * Request templates: strings with `{{placeholders}}`, compiled once, rendered per request on the
 * load generator's hot path (so rendering is a loop over pre-split parts, no regex per request).
 *
 * Placeholders:
 *   {{seq}}            sequence number, unique within the run of one scenario
 *   {{uid}}            unique id: run id + sequence number (unique across runs too)
 *   {{pool.NAME}}      a value picked from a captured pool
 *   {{pool.NAME:N}}    N distinct values from the pool (a JSON array when it is the whole string)
 *   {{token}}          the auth token
 *   {{env.NAME}}       an environment variable, resolved when the template is compiled
 *
 * `{{env.NAME}}` reads the environment the service gets (redact/child-env.ts), never what the
 * runner gives loadgate alone (`ACTIONS_RUNTIME_TOKEN`, the `INPUT_*` inputs): a scenarios file
 * the pull request wrote could otherwise send those to a service the pull request wrote.
 */
import { childEnv, isLoadgateOnlyVariable } from '../redact/index.js';
import { byName } from '../result/own.js';

export interface RenderContext {
  seq: number;
  uid: string;
  token: string;
  pick(pool: string): string;
  pickMany(pool: string, count: number): string[];
}

type Part =
  | { type: 'text'; text: string }
  | { type: 'seq' }
  | { type: 'uid' }
  | { type: 'token' }
  | { type: 'pool'; pool: string; count?: number };

export class TemplateError extends Error {}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function parsePlaceholder(
  expr: string,
  where: string,
  env: Record<string, string | undefined>,
): Part {
  if (expr === 'seq') return { type: 'seq' };
  if (expr === 'uid') return { type: 'uid' };
  if (expr === 'token') return { type: 'token' };
  const pool = /^pool\.([A-Za-z_][A-Za-z0-9_]*)(?::(\d+))?$/.exec(expr);
  if (pool) {
    const count = pool[2] === undefined ? undefined : Number(pool[2]);
    if (count !== undefined && count < 1) {
      throw new TemplateError(`${where}: {{${expr}}} needs a count of at least 1`);
    }
    return { type: 'pool', pool: pool[1] as string, ...(count === undefined ? {} : { count }) };
  }
  const envVar = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expr);
  if (envVar) {
    const name = envVar[1] as string;
    const value = isLoadgateOnlyVariable(name) ? undefined : env[name];
    if (value === undefined) {
      throw new TemplateError(
        isLoadgateOnlyVariable(name)
          ? `${where}: environment variable ${name} is loadgate's own (the runner gives it to actions only): neither templates nor the service get it`
          : `${where}: environment variable ${name} is not set`,
      );
    }
    return { type: 'text', text: value };
  }
  throw new TemplateError(
    `${where}: unknown placeholder {{${expr}}} (expected seq, uid, token, pool.NAME, pool.NAME:N or env.NAME)`,
  );
}

export interface CompiledString {
  /** Pools the template reads. */
  pools: string[];
  /** Render to a value: a string, or a string[] when the whole template is one {{pool.X:N}}. */
  render(ctx: RenderContext): string | string[];
  /** True when the template has no placeholder (render is constant). */
  constant: boolean;
  /** True when it renders differently per request (seq, uid, pool); token and env do not. */
  perRequest: boolean;
}

/** The environment `{{env.NAME}}` reads by default: the one the service gets. */
export function templateEnv(): Record<string, string> {
  return childEnv(process.env);
}

export function compileString(
  source: string,
  where: string,
  env: Record<string, string | undefined> = templateEnv(),
): CompiledString {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const index = match.index;
    if (index > last) parts.push({ type: 'text', text: source.slice(last, index) });
    parts.push(parsePlaceholder(match[1] ?? '', where, env));
    last = index + match[0].length;
  }
  if (last < source.length) parts.push({ type: 'text', text: source.slice(last) });
  if (parts.some((p) => p.type === 'text' && p.text.includes('{{'))) {
    throw new TemplateError(`${where}: "{{" without a matching "}}"`);
  }
  const pools = [...new Set(parts.flatMap((p) => (p.type === 'pool' ? [p.pool] : [])))];
  const only = parts.length === 1 ? parts[0] : undefined;
  const constant = parts.every((p) => p.type === 'text');
  const perRequest = parts.some((p) => p.type === 'seq' || p.type === 'uid' || p.type === 'pool');
  if (only?.type === 'pool' && only.count !== undefined) {
    const { pool, count } = only;
    return { pools, constant, perRequest, render: (ctx) => ctx.pickMany(pool, count) };
  }
  return {
    pools,
    constant,
    perRequest,
    render(ctx) {
      let out = '';
      for (const part of parts) {
        switch (part.type) {
          case 'text':
            out += part.text;
            break;
          case 'seq':
            out += String(ctx.seq);
            break;
          case 'uid':
            out += ctx.uid;
            break;
          case 'token':
            out += ctx.token;
            break;
          case 'pool':
            out +=
              part.count === undefined
                ? ctx.pick(part.pool)
                : ctx.pickMany(part.pool, part.count).join(',');
            break;
        }
      }
      return out;
    },
  };
}

export interface CompiledValue {
  pools: string[];
  constant: boolean;
  perRequest: boolean;
  render(ctx: RenderContext): unknown;
}

/** Compile a JSON body template: strings anywhere in it may hold placeholders. */
export function compileValue(
  value: unknown,
  where: string,
  env: Record<string, string | undefined> = templateEnv(),
): CompiledValue {
  if (typeof value === 'string') {
    return compileString(value, where, env);
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, `${where}[${i}]`, env));
    return combine(items, (ctx) => items.map((item) => item.render(ctx)));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, compileValue(item, `${where}.${key}`, env)] as const,
    );
    return combine(
      entries.map(([, item]) => item),
      (ctx) => {
        const out = byName<unknown>();
        for (const [key, item] of entries) out[key] = item.render(ctx);
        return out;
      },
    );
  }
  return { pools: [], constant: true, perRequest: false, render: () => value };
}

function combine(items: CompiledValue[], render: (ctx: RenderContext) => unknown): CompiledValue {
  return {
    pools: [...new Set(items.flatMap((item) => item.pools))],
    constant: items.every((item) => item.constant),
    perRequest: items.some((item) => item.perRequest),
    render,
  };
}
