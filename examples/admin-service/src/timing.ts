/**
 * Per-request time spent in the database and the cache, sent as
 * `Server-Timing: db;dur=<ms>, cache;dur=<ms>` on every response.
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    dbMs: number;
    cacheMs: number;
  }
}

export async function timeDb<T>(req: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    req.dbMs += performance.now() - t0;
  }
}

export async function timeCache<T>(req: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    req.cacheMs += performance.now() - t0;
  }
}

export function serverTimingHeader(dbMs: number, cacheMs: number | undefined): string {
  const db = `db;dur=${dbMs.toFixed(3)}`;
  return cacheMs === undefined ? db : `${db}, cache;dur=${cacheMs.toFixed(3)}`;
}

export function registerTiming(app: FastifyInstance, withCache: boolean): void {
  app.decorateRequest('dbMs', 0);
  app.decorateRequest('cacheMs', 0);
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header(
      'server-timing',
      serverTimingHeader(req.dbMs, withCache ? req.cacheMs : undefined),
    );
    done(null, payload);
  });
}
