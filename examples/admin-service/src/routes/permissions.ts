/** Permission routes: grant, revoke, list. */
import type { FastifyInstance } from 'fastify';
import { timeDb } from '../timing.js';
import { afterWrite, notFound } from './admins.js';
import type { RouteContext } from './context.js';
import { idParams, permissionsBody } from './schemas.js';

interface PermBody {
  permission_ids: string[];
  reason?: string;
}
type IdParams = { id: string };

export function permissionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage } = ctx;

  app.post<{ Params: IdParams; Body: PermBody }>(
    '/admins/:id/permissions/grant',
    { schema: { params: idParams, body: permissionsBody }, config: { op: 'grant' } },
    async (req, reply) => {
      const { id } = req.params;
      const perms = await timeDb(req, () =>
        storage.grant(id, req.body.permission_ids, req.body.reason),
      );
      if (!perms) return notFound(reply);
      await afterWrite(req, ctx);
      return reply.send({ admin_id: id, permissions: perms });
    },
  );

  app.post<{ Params: IdParams; Body: PermBody }>(
    '/admins/:id/permissions/revoke',
    { schema: { params: idParams, body: permissionsBody }, config: { op: 'revoke' } },
    async (req, reply) => {
      const { id } = req.params;
      const perms = await timeDb(req, () => storage.revoke(id, req.body.permission_ids));
      if (!perms) return notFound(reply);
      await afterWrite(req, ctx);
      return reply.send({ admin_id: id, permissions: perms });
    },
  );

  app.get<{ Params: IdParams }>(
    '/admins/:id/permissions',
    { schema: { params: idParams }, config: { op: 'permissions' } },
    async (req, reply) => {
      const { id } = req.params;
      const perms = await timeDb(req, () => storage.permissions(id));
      if (!perms) return notFound(reply);
      return reply.send({ admin_id: id, permissions: perms });
    },
  );
}
