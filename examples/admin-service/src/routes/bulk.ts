/** POST /admins/bulk-action: one set-based statement for the whole batch. */
import type { FastifyInstance } from 'fastify';
import { timeDb } from '../timing.js';
import type { BulkAction } from '../storage/types.js';
import { afterWrite } from './admins.js';
import type { RouteContext } from './context.js';
import { bulkBody } from './schemas.js';

interface BulkBody {
  user_ids: string[];
  action: BulkAction;
  reason?: string;
}

export function bulkRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: BulkBody }>(
    '/admins/bulk-action',
    { schema: { body: bulkBody }, config: { op: 'bulk' } },
    async (req, reply) => {
      const { user_ids, action } = req.body;
      const result = await timeDb(req, () => ctx.storage.bulk(user_ids, action));
      if (result.succeeded > 0) await afterWrite(req, ctx);
      return reply.send({
        action,
        requested: user_ids.length,
        succeeded: result.succeeded,
        failed: result.failed,
      });
    },
  );
}
