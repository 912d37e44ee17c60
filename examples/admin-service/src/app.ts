/** Build the fastify app from a storage, a cache and options. Exported for tests. */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerAuth } from './auth.js';
import { NoCache } from './cache.js';
import type { ListCache } from './cache.js';
import { registerErrorHandling } from './errors.js';
import { registerFaults } from './fault-hooks.js';
import { emptyFaultPlan } from './faults.js';
import type { FaultPlan } from './faults.js';
import { adminRoutes } from './routes/admins.js';
import { bulkRoutes } from './routes/bulk.js';
import type { RouteContext } from './routes/context.js';
import { healthRoutes } from './routes/health.js';
import { permissionRoutes } from './routes/permissions.js';
import type { Storage } from './storage/types.js';
import { registerTiming } from './timing.js';

export const BASE_PATH = '/api/v1/admin-management';

export interface AppOptions {
  storage: Storage;
  cache?: ListCache;
  token: string;
  faults?: FaultPlan;
}

/**
 * Many HTTP clients send `Content-Type: application/json` on every request, bodiless DELETEs
 * included. An empty body is no body (a DELETE then answers 204, as the API contract says); a
 * route that needs a body still answers 422 through its schema, and malformed JSON stays a 422.
 */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(req, text, done);
  });
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true } },
  });
  const ctx: RouteContext = { storage: opts.storage, cache: opts.cache ?? new NoCache() };

  acceptEmptyJsonBodies(app);
  registerErrorHandling(app);
  registerAuth(app, opts.token);
  registerTiming(app, ctx.cache.kind !== 'none');
  registerFaults(app, opts.faults ?? emptyFaultPlan(), ctx.storage);

  healthRoutes(app, ctx);
  await app.register(
    async (api) => {
      healthRoutes(api, ctx);
      adminRoutes(api, ctx);
      permissionRoutes(api, ctx);
      bulkRoutes(api, ctx);
    },
    { prefix: BASE_PATH },
  );

  app.addHook('onClose', async () => {
    await Promise.allSettled([ctx.storage.close(), ctx.cache.close()]);
  });
  return app;
}
