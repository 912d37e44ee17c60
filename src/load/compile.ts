import type { ResolvedRequest, ResolvedScenario } from '../config/plan.js';
import { seededRandom, type Random } from '../stats/random.js';
import { pickDistinct, randomIndex } from './random.js';
import { checkRequestPath } from '../config/urls.js';
import { byName } from '../result/own.js';
import {
  compileString,
  compileValue,
  templateEnv,
  TemplateError,
  type CompiledString,
  type CompiledValue,
  type RenderContext,
} from './template.js';

/** Renders a template without placeholders (nothing of it is read). */
const CONSTANT_CONTEXT: RenderContext = {
  seq: 0,
  uid: '',
  token: '',
  pick: () => '',
  pickMany: () => [],
};

/** A scenario's requests with templates compiled: what the driver turns into autocannon requests. */
export interface CompiledRequest {
  name: string;
  method: string;
  expect: number;
  weight: number;
  path: CompiledString;
  headers: Array<[string, CompiledString]>;
  body?: CompiledValue;
  /** True when each request renders differently (seq, uid, pool picks); else render once. */
  perRequest: boolean;
}

export function compileRequest(
  request: ResolvedRequest,
  where: string,
  env: Record<string, string | undefined> = templateEnv(),
): CompiledRequest {
  const path = compileString(request.path, `${where}.path`, env);
  // A path its {{env.X}} made whole: checked here; one with per-request parts when it is sent.
  if (path.constant) checkRequestPath(String(path.render(CONSTANT_CONTEXT)), `${where}.path`);
  const headers = Object.entries(request.headers).map(
    ([key, value]) =>
      [key, compileString(value, `${where}.headers.${key}`, env)] as [string, CompiledString],
  );
  const body =
    request.body === undefined ? undefined : compileValue(request.body, `${where}.body`, env);
  return {
    name: request.name,
    method: request.method,
    expect: request.expect,
    weight: request.weight,
    path,
    headers,
    ...(body === undefined ? {} : { body }),
    perRequest:
      path.perRequest || headers.some(([, h]) => h.perRequest) || (body?.perRequest ?? false),
  };
}

export function compileScenario(
  scenario: ResolvedScenario,
  env?: Record<string, string | undefined>,
) {
  return scenario.requests.map((request, i) =>
    compileRequest(request, `scenarios.${scenario.name}.requests[${i}]`, env),
  );
}

/** Captured values by pool name. */
export type Pools = ReadonlyMap<string, readonly string[]>;

/**
 * Hands out render contexts: a fresh sequence number for each request, and pool picks from a
 * seeded generator so the same config sends the same requests.
 */
export class RenderContexts {
  private seq = 0;
  private readonly random: Random;

  constructor(
    private readonly runId: string,
    private readonly token: string,
    private readonly pools: Pools,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  next(): RenderContext {
    const seq = ++this.seq;
    return {
      seq,
      uid: `${this.runId}-${seq}`,
      token: this.token,
      pick: (pool) => {
        const values = this.poolValues(pool);
        return values[randomIndex(this.random, values.length)] as string;
      },
      pickMany: (pool, count) => pickDistinct(this.random, this.poolValues(pool), count),
    };
  }

  get randomSource(): Random {
    return this.random;
  }

  private poolValues(pool: string): readonly string[] {
    const values = this.pools.get(pool);
    if (!values || values.length === 0) throw new TemplateError(`pool "${pool}" is empty`);
    return values;
  }
}

export interface RenderedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export function renderRequest(request: CompiledRequest, ctx: RenderContext): RenderedRequest {
  const headers = byName<string>();
  for (const [key, value] of request.headers) headers[key] = String(value.render(ctx));
  const path = request.path.render(ctx);
  const rendered: RenderedRequest = {
    method: request.method,
    path: Array.isArray(path) ? path.join(',') : path,
    headers,
  };
  if (request.body !== undefined) {
    const value = request.body.render(ctx);
    rendered.body = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return rendered;
}
