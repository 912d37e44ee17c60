/** GET /health: no auth; one cheap storage round trip. */
import type { FastifyInstance } from 'fastify';
import { timeDb } from '../timing.js';
import type { RouteContext } from './context.js';

export function healthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/health', { config: { op: 'health', public: true } }, async (req, reply) => {
    await timeDb(req, () => ctx.storage.ping());
    return reply.send({ status: 'ok', storage: ctx.storage.kind, cache: ctx.cache.kind });
  });
}
