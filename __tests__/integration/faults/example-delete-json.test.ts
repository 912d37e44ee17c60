/**
 * Fault: many HTTP clients send `Content-Type: application/json` on every request, DELETE
 * included, with an empty body. The API contract says DELETE /admins/{id} answers 204; the
 * example service answered 422 (fastify's empty-JSON-body error). In process (fastify inject).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../examples/admin-service/src/app.js';
import { SqliteStorage } from '../../../examples/admin-service/src/storage/sqlite.js';

const BASE = '/api/v1/admin-management';
const auth = { authorization: 'Bearer t0ken-for-tests' };
let app: FastifyInstance;

beforeAll(async () => {
  const storage = new SqliteStorage(':memory:');
  await storage.init();
  app = await buildApp({ storage, token: 't0ken-for-tests' });
});
afterAll(async () => {
  await app.close();
});

async function createAdmin(tag: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `${BASE}/admins`,
    headers: auth,
    payload: {
      email: `${tag}@example.com`,
      nombre: 'N',
      apellido: 'A',
      user_type: 'ADMIN',
      security_clearance_level: 3,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('example service: JSON content type with an empty body', () => {
  it('DELETE with Content-Type: application/json and no body deletes (204)', async () => {
    const id = await createAdmin('del-json');
    const res = await app.inject({
      method: 'DELETE',
      url: `${BASE}/admins/${id}`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode, res.body).toBe(204);
    const gone = await app.inject({ method: 'GET', url: `${BASE}/admins/${id}`, headers: auth });
    expect(gone.statusCode).toBe(404);
  });

  it('the same with a charset parameter, and a GET with the header, work too', async () => {
    const id = await createAdmin('del-json-charset');
    const del = await app.inject({
      method: 'DELETE',
      url: `${BASE}/admins/${id}`,
      headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
      payload: '',
    });
    expect(del.statusCode, del.body).toBe(204);
    const list = await app.inject({
      method: 'GET',
      url: `${BASE}/admins?limit=5`,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(list.statusCode, list.body).toBe(200);
  });

  it('a request that needs a body still gets a 422 naming it; malformed JSON stays a 422', async () => {
    const empty = await app.inject({
      method: 'POST',
      url: `${BASE}/admins`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode, empty.body).toBe(422);
    expect(JSON.stringify(empty.json())).toContain('body');
    const bad = await app.inject({
      method: 'POST',
      url: `${BASE}/admins`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toContain('json_invalid');
  });
});
