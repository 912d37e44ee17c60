/**
 * The whole admin API against the real service process: the Node example on SQLite and on
 * Postgres + Redis (own schema and key prefix, removed afterwards), and the Python example (the
 * same API, SQLite only). What holds for one holds for all; cache checks run where Redis is.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE,
  NODE,
  PG_URL,
  PYTHON,
  REDIS_URL,
  TOKEN,
  client,
  serverTiming,
  startService,
  stopService,
} from './service.js';
import type { Implementation, Service } from './service.js';

const RUN = `${process.pid}_${Date.now().toString(36)}`;
const SCHEMA = `es_test_${RUN}`;
const PREFIX = `es-test:${RUN}:`;

interface Backend {
  name: string;
  impl: Implementation;
  storage: 'sqlite' | 'postgres';
  cache: 'none' | 'redis';
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

const backends: Backend[] = [
  {
    name: 'node, sqlite',
    impl: NODE,
    storage: 'sqlite',
    cache: 'none',
    env: {},
    cleanup: async () => {},
  },
  {
    name: 'node, postgres + redis',
    impl: NODE,
    storage: 'postgres',
    cache: 'redis',
    env: {
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: SCHEMA,
      DATABASE_POOL_MAX: '5',
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
    },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
      await c.end();
      const r = new Redis(REDIS_URL);
      const keys = await r.keys(`${PREFIX}*`);
      if (keys.length > 0) await r.del(...keys);
      await r.quit();
    },
  },
  {
    name: 'python, sqlite',
    impl: PYTHON,
    storage: 'sqlite',
    cache: 'none',
    env: {},
    cleanup: async () => {},
  },
];

/** GET `path` over one keep-alive socket `n` times; how many sockets served them. */
async function socketsUsed(url: string, path: string, n: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  try {
    for (let i = 0; i < n; i++) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `${url}${path}`,
          { agent, headers: { authorization: `Bearer ${TOKEN}` } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('socket', (s) => sockets.add(s));
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    }
  } finally {
    agent.destroy();
  }
  return sockets.size;
}

function admin(tag: string, extra: Record<string, unknown> = {}) {
  return {
    email: `${tag}@example.com`,
    nombre: `Nombre${tag}`,
    apellido: `Apellido${tag}`,
    user_type: 'ADMIN',
    security_clearance_level: 3,
    ...extra,
  };
}

describe.each(backends)('admin service ($name)', (backend) => {
  let svc: Service | undefined;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    svc = await startService(backend.env, backend.impl);
    api = client(svc.url);
  });

  afterAll(async () => {
    await stopService(svc);
    await backend.cleanup();
  });

  it('prints one ready line naming the backends', () => {
    expect(svc?.readyLine).toMatch(
      new RegExp(
        `^admin-service listening on http://127\\.0\\.0\\.1:\\d+ \\(storage=${backend.storage}, cache=${backend.cache}\\)$`,
      ),
    );
  });

  it('GET /health answers without auth, with backends and Server-Timing', async () => {
    const r = await api('GET', '/health', undefined, { token: null });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', storage: backend.storage, cache: backend.cache });
    expect(serverTiming(r.headers.get('server-timing'))['db']).toBeGreaterThan(0);
  });

  it('one keep-alive connection serves many requests', async () => {
    expect(await socketsUsed(svc?.url ?? '', `${BASE}/admins?limit=1`, 50)).toBe(1);
    expect(await socketsUsed(svc?.url ?? '', '/health', 20)).toBe(1);
  });

  it('401 without a token and with a wrong one', async () => {
    const none = await api('GET', '/admins', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await api('GET', '/admins', undefined, { token: 'nope' });
    expect(wrong.status).toBe(401);
    const wrongPost = await api('POST', '/admins', admin('unauth'), { token: 'x' });
    expect(wrongPost.status).toBe(401);
    // and nothing was created
    const list = await api('GET', '/admins?search=unauth');
    expect(list.body.total).toBe(0);
  });

  describe('create / get / update / delete', () => {
    let id = '';

    it('POST /admins → 201 with the admin', async () => {
      const r = await api(
        'POST',
        '/admins',
        admin('crud', {
          initial_permissions: ['users.read.global', 'admins.write', 'admins.write'],
        }),
      );
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        email: 'crud@example.com',
        nombre: 'Nombrecrud',
        apellido: 'Apellidocrud',
        user_type: 'ADMIN',
        security_clearance_level: 3,
        is_active: true,
        permissions: ['admins.write', 'users.read.global'],
      });
      expect(typeof r.body.id).toBe('string');
      expect(r.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isNaN(Date.parse(r.body.created_at))).toBe(false);
      const timing = serverTiming(r.headers.get('server-timing'));
      expect(timing['db']).toBeGreaterThan(0);
      if (backend.cache === 'redis') expect(timing['cache']).toBeGreaterThan(0);
      id = r.body.id;
    });

    it('409 on a duplicate email, whatever its case', async () => {
      const r = await api('POST', '/admins', admin('CRUD'));
      expect(r.status).toBe(409);
      expect(r.body.detail).toMatch(/already exists/);
    });

    it('422 names the field', async () => {
      const missing = await api('POST', '/admins', { ...admin('v1'), email: undefined });
      expect(missing.status).toBe(422);
      expect(missing.body.detail).toContainEqual(
        expect.objectContaining({ loc: ['body', 'email'], type: 'missing' }),
      );
      const level = await api('POST', '/admins', admin('v2', { security_clearance_level: 6 }));
      expect(level.status).toBe(422);
      expect(level.body.detail[0].loc).toEqual(['body', 'security_clearance_level']);
      const email = await api('POST', '/admins', admin('v3', { email: 'not-an-email' }));
      expect(email.status).toBe(422);
      expect(email.body.detail[0].loc).toEqual(['body', 'email']);
      const type = await api('POST', '/admins', admin('v4', { user_type: 'ROOT' }));
      expect(type.status).toBe(422);
      expect(type.body.detail[0].loc).toEqual(['body', 'user_type']);
      const perms = await api('POST', '/admins', admin('v5', { initial_permissions: [''] }));
      expect(perms.status).toBe(422);
      expect(perms.body.detail[0].loc).toEqual(['body', 'initial_permissions', 0]);
    });

    it('422 json_invalid on a malformed or empty JSON body', async () => {
      const bad = await api('POST', '/admins', undefined, { raw: '{"email": ' });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].type).toBe('json_invalid');
      const empty = await api('POST', '/admins', undefined, { raw: '' });
      expect(empty.status).toBe(422);
    });

    it('GET /admins/{id} → 200; unknown or malformed id → 404', async () => {
      const r = await api('GET', `/admins/${id}`);
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(id);
      expect(r.body.permissions).toEqual(['admins.write', 'users.read.global']);
      expect((await api('GET', `/admins/${randomUUID()}`)).status).toBe(404);
      expect((await api('GET', '/admins/not-a-uuid')).status).toBe(404);
    });

    it('PATCH /admins/{id} → 200 with only the given fields changed', async () => {
      const r = await api('PATCH', `/admins/${id}`, {
        nombre: 'Renamed',
        security_clearance_level: 5,
        is_active: false,
        user_type: 'SUPERADMIN',
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id,
        nombre: 'Renamed',
        apellido: 'Apellidocrud',
        security_clearance_level: 5,
        is_active: false,
        user_type: 'SUPERADMIN',
        permissions: ['admins.write', 'users.read.global'],
      });
      const again = await api('GET', `/admins/${id}`);
      expect(again.body.nombre).toBe('Renamed');
      expect(again.body.is_active).toBe(false);
    });

    it('PATCH errors: 404 unknown, 422 invalid or empty', async () => {
      expect((await api('PATCH', `/admins/${randomUUID()}`, { nombre: 'x' })).status).toBe(404);
      const bad = await api('PATCH', `/admins/${id}`, { security_clearance_level: 0 });
      expect(bad.status).toBe(422);
      expect(bad.body.detail[0].loc).toEqual(['body', 'security_clearance_level']);
      expect((await api('PATCH', `/admins/${id}`, {})).status).toBe(422);
    });

    it('DELETE /admins/{id} → 204, then 404', async () => {
      const r = await api('DELETE', `/admins/${id}`);
      expect(r.status).toBe(204);
      expect(r.body).toBeUndefined();
      expect((await api('GET', `/admins/${id}`)).status).toBe(404);
      expect((await api('DELETE', `/admins/${id}`)).status).toBe(404);
      expect((await api('GET', `/admins/${id}/permissions`)).status).toBe(404);
    });
  });

  describe('permissions', () => {
    let id = '';
    beforeAll(async () => {
      id = (await api('POST', '/admins', admin('perm', { initial_permissions: ['a.read'] }))).body
        .id;
    });

    it('grant → 200 with the whole list, idempotent', async () => {
      const r = await api('POST', `/admins/${id}/permissions/grant`, {
        permission_ids: ['users.read.global', 'b.write'],
        reason: 'test',
      });
      expect(r.status).toBe(200);
      expect(r.body.permissions).toEqual(['a.read', 'b.write', 'users.read.global']);
      const again = await api('POST', `/admins/${id}/permissions/grant`, {
        permission_ids: ['b.write'],
      });
      expect(again.body.permissions).toEqual(['a.read', 'b.write', 'users.read.global']);
      expect(serverTiming(r.headers.get('server-timing'))['db']).toBeGreaterThan(0);
    });

    it('revoke → 200 without the revoked ones; GET lists them', async () => {
      const r = await api('POST', `/admins/${id}/permissions/revoke`, {
        permission_ids: ['a.read', 'not.held'],
      });
      expect(r.status).toBe(200);
      expect(r.body.permissions).toEqual(['b.write', 'users.read.global']);
      const list = await api('GET', `/admins/${id}/permissions`);
      expect(list.status).toBe(200);
      expect(list.body.permissions).toEqual(['b.write', 'users.read.global']);
    });

    it('404 for an unknown admin, 422 for an empty or missing list', async () => {
      const unknown = randomUUID();
      const body = { permission_ids: ['x'] };
      expect((await api('POST', `/admins/${unknown}/permissions/grant`, body)).status).toBe(404);
      expect((await api('POST', `/admins/${unknown}/permissions/revoke`, body)).status).toBe(404);
      expect((await api('GET', `/admins/${unknown}/permissions`)).status).toBe(404);
      const empty = await api('POST', `/admins/${id}/permissions/grant`, { permission_ids: [] });
      expect(empty.status).toBe(422);
      expect(empty.body.detail[0].loc).toEqual(['body', 'permission_ids']);
      const missing = await api('POST', `/admins/${id}/permissions/revoke`, { reason: 'r' });
      expect(missing.status).toBe(422);
      expect(missing.body.detail[0].loc).toEqual(['body', 'permission_ids']);
    });
  });

  describe('list, search, filter, pagination', () => {
    const ids: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 25; i++) {
        const r = await api(
          'POST',
          '/admins',
          admin(`page${String(i).padStart(2, '0')}`, {
            nombre: i % 5 === 0 ? 'Zacarías' : `Pager${i}`,
            apellido: i === 7 ? 'McSEARCHable' : 'Gomez',
            user_type: i % 3 === 0 ? 'AUDITOR' : 'MODERATOR',
          }),
        );
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
    });

    it('pages with limit and skip (offset is an alias), newest first, with total', async () => {
      const all = await api('GET', '/admins?limit=100');
      expect(all.status).toBe(200);
      const total = all.body.total;
      expect(total).toBe(all.body.items.length);
      expect(total).toBeGreaterThanOrEqual(25);
      expect(all.body.items[0].id).toBe(ids[24]);
      const seen: string[] = [];
      for (let skip = 0; skip < total; skip += 10) {
        const r = await api('GET', `/admins?limit=10&skip=${skip}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ total, limit: 10, skip });
        expect(r.body.items.length).toBe(Math.min(10, total - skip));
        seen.push(...r.body.items.map((a: { id: string }) => a.id));
      }
      expect(seen).toEqual(all.body.items.map((a: { id: string }) => a.id));
      const off = await api('GET', '/admins?limit=10&offset=10');
      expect(off.body.skip).toBe(10);
      expect(off.body.items).toEqual((await api('GET', '/admins?limit=10&skip=10')).body.items);
      const beyond = await api('GET', `/admins?limit=10&skip=${total + 5}`);
      expect(beyond.body).toMatchObject({ items: [], total });
      const def = await api('GET', '/admins');
      expect(def.body.limit).toBe(10);
      expect(def.body.items.length).toBe(10);
    });

    it('422 for limit beyond 100 or below 1, or a bad skip', async () => {
      const big = await api('GET', '/admins?limit=101');
      expect(big.status).toBe(422);
      expect(big.body.detail[0].loc).toEqual(['query', 'limit']);
      expect((await api('GET', '/admins?limit=0')).status).toBe(422);
      const skip = await api('GET', '/admins?skip=-1');
      expect(skip.status).toBe(422);
      expect(skip.body.detail[0].loc).toEqual(['query', 'skip']);
      expect((await api('GET', '/admins?user_type=ROOT')).status).toBe(422);
    });

    it('search: case-insensitive substring of email, nombre or apellido', async () => {
      const byApellido = await api('GET', '/admins?limit=100&search=searchABLE');
      expect(byApellido.body.total).toBe(1);
      expect(byApellido.body.items[0].id).toBe(ids[7]);
      const byNombre = await api('GET', `/admins?limit=100&search=${encodeURIComponent('zacarí')}`);
      expect(byNombre.body.total).toBe(5);
      const byEmail = await api('GET', '/admins?limit=100&search=PAGE1');
      expect(byEmail.body.total).toBe(10); // page10..page19
      const short = await api('GET', '/admins?limit=100&search=e2');
      expect(short.body.items.map((a: { email: string }) => a.email).sort()).toEqual(
        ['page20', 'page21', 'page22', 'page23', 'page24'].map((t) => `${t}@example.com`),
      );
      const none = await api('GET', '/admins?limit=100&search=zzzz-nothing');
      expect(none.body).toMatchObject({ items: [], total: 0 });
      const literal = await api('GET', `/admins?limit=100&search=${encodeURIComponent('%')}`);
      expect(literal.body.total).toBe(0);
      const paged = await api('GET', '/admins?limit=2&skip=2&search=zacar');
      expect(paged.body).toMatchObject({ total: 5, limit: 2, skip: 2 });
      expect(paged.body.items.length).toBe(2);
      expect(serverTiming(paged.headers.get('server-timing'))['db']).toBeGreaterThanOrEqual(0);
    });

    it('user_type filter, alone and with search', async () => {
      const auditors = await api('GET', '/admins?limit=100&user_type=AUDITOR');
      expect(auditors.body.total).toBe(9); // i = 0, 3, ..., 24
      for (const a of auditors.body.items) expect(a.user_type).toBe('AUDITOR');
      const both = await api('GET', '/admins?limit=100&user_type=AUDITOR&search=zacar');
      expect(both.body.total).toBe(2); // i = 0 and 15
    });

    it('list items carry their permissions (from the same query)', async () => {
      await api('POST', `/admins/${ids[3]}/permissions/grant`, { permission_ids: ['p.one'] });
      const r = await api('GET', '/admins?limit=100&search=page03');
      expect(r.body.items[0].permissions).toEqual(['p.one']);
    });
  });

  it('cache is invalidated on every write (list, write, list)', async () => {
    const tag = 'cachetest';
    const before = await api('GET', `/admins?limit=5&search=${tag}`);
    expect(before.body.total).toBe(0);
    const repeat = await api('GET', `/admins?limit=5&search=${tag}`);
    expect(repeat.body).toEqual(before.body);
    const created = await api('POST', '/admins', admin(`${tag}1`));
    const after = await api('GET', `/admins?limit=5&search=${tag}`);
    expect(after.body.total).toBe(1);
    expect(after.body.items[0].id).toBe(created.body.id);
    await api('PATCH', `/admins/${created.body.id}`, { apellido: 'Changed' });
    expect((await api('GET', `/admins?limit=5&search=${tag}`)).body.items[0].apellido).toBe(
      'Changed',
    );
    await api('POST', `/admins/${created.body.id}/permissions/grant`, { permission_ids: ['c.1'] });
    expect((await api('GET', `/admins?limit=5&search=${tag}`)).body.items[0].permissions).toEqual([
      'c.1',
    ]);
    await api('POST', `/admins/${created.body.id}/permissions/revoke`, { permission_ids: ['c.1'] });
    expect((await api('GET', `/admins?limit=5&search=${tag}`)).body.items[0].permissions).toEqual(
      [],
    );
    await api('POST', '/admins/bulk-action', { user_ids: [created.body.id], action: 'deactivate' });
    expect((await api('GET', `/admins?limit=5&search=${tag}`)).body.items[0].is_active).toBe(false);
    await api('DELETE', `/admins/${created.body.id}`);
    expect((await api('GET', `/admins?limit=5&search=${tag}`)).body.total).toBe(0);
  });

  it.runIf(backend.cache === 'redis')('list results are really served from Redis', async () => {
    const r = new Redis(REDIS_URL);
    try {
      const path = '/admins?limit=3&search=redisproof';
      await api('GET', path);
      // The entry is written off the response path; wait for it.
      let keys: string[] = [];
      for (let i = 0; i < 50 && keys.length === 0; i++) {
        keys = await r.keys(`${PREFIX}list:*redisproof*`);
        if (keys.length === 0) await new Promise((res) => setTimeout(res, 20));
      }
      expect(keys.length).toBe(1);
      const key = keys[0] ?? '';
      const ttl = await r.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30);
      // Plant a sentinel: a hit returns it verbatim, proving the cache path is live.
      await r.set(key, JSON.stringify({ items: [], total: 424242, limit: 3, skip: 0 }), 'EX', 30);
      const hit = await api('GET', path);
      expect(hit.body.total).toBe(424242);
      expect(serverTiming(hit.headers.get('server-timing'))['db']).toBe(0);
      // Any write bumps the generation, so the sentinel is no longer reachable.
      const gen = Number(await r.get(`${PREFIX}gen`));
      await api('POST', '/admins', admin('redisproof1'));
      expect(Number(await r.get(`${PREFIX}gen`))).toBe(gen + 1);
      const fresh = await api('GET', path);
      expect(fresh.body.total).toBe(1);
    } finally {
      await r.quit();
    }
  });

  describe('bulk action', () => {
    const ids: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 4; i++) {
        ids.push((await api('POST', '/admins', admin(`bulk${i}`))).body.id);
      }
    });

    it('deactivate / activate with some unknown ids', async () => {
      const unknown = [randomUUID(), 'not-a-uuid'];
      const r = await api('POST', '/admins/bulk-action', {
        user_ids: [ids[0], unknown[0], ids[1], ids[2], unknown[1]],
        action: 'deactivate',
        reason: 'test',
      });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ action: 'deactivate', requested: 5, succeeded: 3, failed: unknown });
      for (const id of ids.slice(0, 3)) {
        expect((await api('GET', `/admins/${id}`)).body.is_active).toBe(false);
      }
      expect((await api('GET', `/admins/${ids[3]}`)).body.is_active).toBe(true);
      const on = await api('POST', '/admins/bulk-action', { user_ids: ids, action: 'activate' });
      expect(on.body).toMatchObject({ succeeded: 4, failed: [] });
      expect((await api('GET', `/admins/${ids[0]}`)).body.is_active).toBe(true);
    });

    it('delete removes the admins and their permissions', async () => {
      await api('POST', `/admins/${ids[0]}/permissions/grant`, { permission_ids: ['x.y'] });
      const r = await api('POST', '/admins/bulk-action', {
        user_ids: [ids[0], ids[1]],
        action: 'delete',
      });
      expect(r.body).toEqual({ action: 'delete', requested: 2, succeeded: 2, failed: [] });
      expect((await api('GET', `/admins/${ids[0]}`)).status).toBe(404);
      expect((await api('GET', `/admins/${ids[0]}/permissions`)).status).toBe(404);
      expect((await api('GET', `/admins/${ids[2]}`)).status).toBe(200);
    });

    it('bulk on 1000 ids in one request', async () => {
      const many = Array.from({ length: 998 }, () => randomUUID());
      const r = await api('POST', '/admins/bulk-action', {
        user_ids: [ids[2], ids[3], ...many],
        action: 'deactivate',
      });
      expect(r.status).toBe(200);
      expect(r.body.requested).toBe(1000);
      expect(r.body.succeeded).toBe(2);
      expect(r.body.failed.length).toBe(998);
    });

    it('422 on empty, too many ids or an unknown action', async () => {
      const empty = await api('POST', '/admins/bulk-action', { user_ids: [], action: 'delete' });
      expect(empty.status).toBe(422);
      expect(empty.body.detail[0].loc).toEqual(['body', 'user_ids']);
      const tooMany = await api('POST', '/admins/bulk-action', {
        user_ids: Array.from({ length: 1001 }, (_, i) => `id${i}`),
        action: 'delete',
      });
      expect(tooMany.status).toBe(422);
      const action = await api('POST', '/admins/bulk-action', { user_ids: ids, action: 'nuke' });
      expect(action.status).toBe(422);
      expect(action.body.detail[0].loc).toEqual(['body', 'action']);
    });
  });

  it('unknown routes → 404 JSON', async () => {
    const r = await api('GET', '/nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: 'Not Found' });
  });
});
