/** Admin CRUD and list/search: POST/GET /admins, GET/PATCH/DELETE /admins/:id. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timeCache, timeDb } from '../timing.js';
import type { AdminPatch, NewAdmin } from '../storage/types.js';
import type { RouteContext } from './context.js';
import { createAdminBody, idParams, listQuery, updateAdminBody } from './schemas.js';

interface ListQs {
  limit: number;
  skip?: number;
  offset?: number;
  search?: string;
  user_type?: string;
}

interface CreateBody extends Omit<NewAdmin, 'initial_permissions'> {
  initial_permissions?: string[];
}

type IdParams = { id: string };

export function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ detail: 'Admin not found' });
}

/** After a successful write: bump the cache generation (timed as cache work). */
export async function afterWrite(req: FastifyRequest, ctx: RouteContext): Promise<void> {
  if (ctx.cache.kind !== 'none') await timeCache(req, () => ctx.cache.invalidate());
}

export function adminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { storage, cache } = ctx;

  app.post<{ Body: CreateBody }>(
    '/admins',
    { schema: { body: createAdminBody }, config: { op: 'create' } },
    async (req, reply) => {
      const b = req.body;
      const admin = await timeDb(req, () =>
        storage.create({
          email: b.email,
          nombre: b.nombre,
          apellido: b.apellido,
          user_type: b.user_type,
          security_clearance_level: b.security_clearance_level,
          initial_permissions: b.initial_permissions ?? [],
        }),
      );
      await afterWrite(req, ctx);
      return reply.code(201).send(admin);
    },
  );

  app.get<{ Querystring: ListQs }>(
    '/admins',
    { schema: { querystring: listQuery }, config: { op: 'list' } },
    async (req, reply) => {
      const q = req.query;
      const limit = q.limit;
      const skip = q.skip ?? q.offset ?? 0;
      const search = q.search === undefined || q.search === '' ? undefined : q.search;
      const key =
        cache.kind === 'none' ? '' : JSON.stringify([limit, skip, q.user_type ?? null, search]);
      let token = '';
      if (cache.kind !== 'none') {
        const cached = await timeCache(req, () => cache.get(key));
        if (cached.hit !== undefined) {
          return reply.header('content-type', 'application/json; charset=utf-8').send(cached.hit);
        }
        token = cached.token;
      }
      const page = await timeDb(req, () =>
        storage.list({ limit, skip, search, user_type: q.user_type }),
      );
      const body = JSON.stringify({ items: page.items, total: page.total, limit, skip });
      if (cache.kind !== 'none') void cache.set(key, token, body); // off the response path
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Params: IdParams }>(
    '/admins/:id',
    { schema: { params: idParams }, config: { op: 'get' } },
    async (req, reply) => {
      const admin = await timeDb(req, () => storage.get(req.params.id));
      return admin ? reply.send(admin) : notFound(reply);
    },
  );

  app.patch<{ Params: IdParams; Body: AdminPatch }>(
    '/admins/:id',
    { schema: { params: idParams, body: updateAdminBody }, config: { op: 'update' } },
    async (req, reply) => {
      const b = req.body;
      const patch: AdminPatch = {
        nombre: b.nombre,
        apellido: b.apellido,
        user_type: b.user_type,
        security_clearance_level: b.security_clearance_level,
        is_active: b.is_active,
      };
      const admin = await timeDb(req, () => storage.update(req.params.id, patch));
      if (!admin) return notFound(reply);
      await afterWrite(req, ctx);
      return reply.send(admin);
    },
  );

  app.delete<{ Params: IdParams }>(
    '/admins/:id',
    { schema: { params: idParams }, config: { op: 'delete' } },
    async (req, reply) => {
      const deleted = await timeDb(req, () => storage.delete(req.params.id));
      if (!deleted) return notFound(reply);
      await afterWrite(req, ctx);
      return reply.code(204).send();
    },
  );
}
