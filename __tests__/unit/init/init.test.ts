import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { OPENAPI_DOCUMENT } from '../../../examples/todo-api/src/openapi.js';
import { OpenApiError, readOpenApi, type JsonObject } from '../../../src/init/openapi.js';
import { checkRendered, renderConfig } from '../../../src/init/render.js';
import { sampleValue } from '../../../src/init/sample.js';
import { scenariosFromOpenApi, scenariosFromUrls } from '../../../src/init/scenarios.js';

function generate(document: unknown, specUrl?: string) {
  const api = readOpenApi(document, 'openapi.json');
  return scenariosFromOpenApi(api, document as JsonObject, {
    source: 'openapi.json',
    ...(specUrl === undefined ? {} : { specUrl }),
  });
}

/** A FastAPI-style 3.0 document: schemas by $ref, OAuth2, an API key in the query, a server path. */
const FASTAPI_STYLE = {
  openapi: '3.0.2',
  info: { title: 'Shop', version: '0.1.0' },
  servers: [
    { url: 'https://shop.example.com/api/{version}', variables: { version: { default: 'v2' } } },
  ],
  paths: {
    '/items': {
      get: {
        operationId: 'list_items_items_get',
        parameters: [
          { name: 'page_size', in: 'query', schema: { type: 'integer' } },
          { name: 'category', in: 'query', required: true, schema: { enum: ['tools', 'toys'] } },
        ],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemIn' } } },
        },
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
          },
        },
      },
    },
    '/items/{item_id}': {
      get: {
        parameters: [{ name: 'item_id', in: 'path', required: true, schema: { type: 'integer' } }],
        security: [{ key: [] }],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/orders/{order_id}': {
      get: {
        parameters: [{ name: 'order_id', in: 'path', required: true }],
        responses: { '200': { description: 'ok' } },
      },
    },
    '/upload': {
      post: {
        requestBody: { content: { 'multipart/form-data': { schema: { type: 'object' } } } },
        responses: { '201': { description: 'ok' } },
      },
    },
  },
  security: [{ oauth: [] }],
  components: {
    securitySchemes: {
      oauth: { type: 'oauth2', flows: {} },
      key: { type: 'apiKey', in: 'query', name: 'api_key' },
    },
    schemas: {
      ItemIn: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          {
            type: 'object',
            required: ['owner'],
            properties: { owner: { type: 'string', format: 'email' }, note: { type: 'string' } },
          },
        ],
      },
      Base: {
        type: 'object',
        required: ['name', 'price'],
        properties: {
          name: { type: 'string' },
          price: { type: 'number', minimum: 0.5 },
          parent: { $ref: '#/components/schemas/Base' },
        },
      },
      Item: {
        type: 'object',
        properties: { item_id: { type: 'integer', readOnly: true }, name: { type: 'string' } },
      },
    },
  },
};

describe('loadgate init from an OpenAPI document', () => {
  it('the todo API: list, search, create, get by id from a pool its create fills, a mix', () => {
    const generated = generate(OPENAPI_DOCUMENT, 'http://127.0.0.1:8080/openapi.json');
    expect(generated.scenarios.map((s) => s.scenario.name)).toEqual([
      'list-todos',
      'search-todos',
      'create-todos',
      'get-todos-by-todo-id',
      'mixed',
    ]);
    const byName = new Map(generated.scenarios.map((s) => [s.scenario.name, s.scenario]));
    expect(byName.get('list-todos')?.requests[0]?.path).toBe('/todos?limit=10');
    expect(byName.get('search-todos')?.requests[0]?.path).toBe('/todos?limit=10&q=loadgate');
    // The body from the schema: the required title (unique per request), done's default.
    expect(byName.get('create-todos')?.requests[0]).toMatchObject({
      method: 'POST',
      path: '/todos',
      body: { title: 'loadgate {{uid}}', done: false },
      expect: 201,
    });
    const get = byName.get('get-todos-by-todo-id');
    expect(get?.requests[0]?.path).toBe('/todos/{{pool.todos}}');
    expect(get?.setup).toEqual([
      {
        pool: 'todos',
        count: 50,
        capture: 'id',
        request: {
          method: 'POST',
          path: '/todos',
          body: { title: 'loadgate {{uid}}', done: false },
          expect: 201,
        },
      },
    ]);
    const mixed = byName.get('mixed');
    expect(mixed?.requests.map((r) => [r.name, r.weight])).toEqual([
      ['list-todos', 4],
      ['search-todos', 2],
      ['create-todos', 1],
      ['get-todos-by-todo-id', 3],
    ]);
    expect(mixed?.setup?.map((s) => s.pool)).toEqual(['todos']);
    // The bearer scheme as an environment variable, shared by every request.
    expect(generated.headers).toEqual({ authorization: 'Bearer {{env.API_TOKEN}}' });
    expect(generated.env.map((e) => e.name)).toEqual(['API_TOKEN']);
    expect(generated.baseUrl).toBe('http://127.0.0.1:8080');
    expect(generated.readyPath).toBe('/health');
    expect(generated.notes).toEqual([
      'GET /health: the readiness probe (ready-url), not a scenario',
      expect.stringMatching(/^PATCH \/todos\/\{todoId\}: left out \(it changes or removes/),
      expect.stringMatching(/^DELETE \/todos\/\{todoId\}: left out/),
    ]);
  });

  it('writes commented YAML that loadgate reads back as a plan of those scenarios, preset none', () => {
    const generated = generate(OPENAPI_DOCUMENT);
    const text = renderConfig(generated);
    expect(checkRendered(text, 'loadgate.yml')).toEqual(
      generated.scenarios.map((s) => s.scenario.name),
    );
    const document = parseYaml(text) as { preset: string; defaults: unknown };
    expect(document.preset).toBe('none');
    expect(document.defaults).toEqual({
      headers: { authorization: 'Bearer {{env.API_TOKEN}}' },
    });
    expect(text).toMatch(/^# loadgate\.yml for Todo API 1\.0\.0 \(openapi\.json\)/);
    expect(text).toMatch(/^#\s+API_TOKEN: the bearer token \(security scheme bearerAuth\)$/m);
    expect(text).toMatch(/^preset: none # only the scenarios below/m);
    // Each scenario says what it drives, and leaves its SLA as a commented suggestion.
    expect(text).toMatch(/^ {2}# GET \/todos\/\{todoId\} \(One todo\): ids from a pool of 50/m);
    expect(text.match(/^ {4}# sla: \{ p95Ms: \d+ \}/gm)).toHaveLength(5);
    // No anchors: every scenario spelled out.
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('examples/todo-api/loadgate.yml is what init writes for the example today', () => {
    const committed = readFileSync(
      new URL('../../../examples/todo-api/loadgate.yml', import.meta.url),
      'utf8',
    );
    const api = readOpenApi(OPENAPI_DOCUMENT, 'http://127.0.0.1:8080/openapi.json');
    const generated = scenariosFromOpenApi(api, OPENAPI_DOCUMENT as unknown as JsonObject, {
      source: 'http://127.0.0.1:8080/openapi.json',
      specUrl: 'http://127.0.0.1:8080/openapi.json',
    });
    expect(committed).toBe(renderConfig(generated));
  });

  it('a FastAPI-style 3.0 document: $refs, allOf, OAuth2 and a query API key, the server path', () => {
    const generated = generate(FASTAPI_STYLE);
    const byName = new Map(generated.scenarios.map((s) => [s.scenario.name, s.scenario]));
    expect([...byName.keys()]).toEqual([
      'list-items',
      'create-items',
      'get-items-by-item-id',
      'mixed',
    ]);
    // The server's path prefixes every path; a required enum gets its first value.
    expect(byName.get('list-items')?.requests[0]?.path).toBe(
      '/api/v2/items?page_size=10&category=tools',
    );
    // allOf merged, required fields only, the email unique, the recursion left out.
    expect(byName.get('create-items')?.requests[0]).toMatchObject({
      body: { name: 'loadgate {{uid}}', price: 0.5, owner: 'loadgate-{{uid}}@example.com' },
      path: '/api/v2/items',
    });
    expect(byName.get('create-items')?.requests[0]).not.toHaveProperty('expect');
    // The create answers with item_id: that is what the pool captures.
    const get = byName.get('get-items-by-item-id');
    expect(get?.setup?.[0]).toMatchObject({ pool: 'items', capture: 'item_id' });
    expect(get?.requests[0]?.path).toBe('/api/v2/items/{{pool.items}}?api_key={{env.API_KEY}}');
    // The one header scheme goes to the defaults (the query key stays on its own request).
    expect(generated.headers).toEqual({ authorization: 'Bearer {{env.API_TOKEN}}' });
    expect(byName.get('list-items')?.requests[0]?.headers).toBeUndefined();
    expect(generated.env.map((e) => e.name)).toEqual(['API_TOKEN', 'API_KEY']);
    // A production server is never proposed as the base URL.
    expect(generated.baseUrl).toBeUndefined();
    expect(generated.notes).toEqual([
      expect.stringMatching(/server is https:\/\/shop\.example\.com: not used as the base URL/),
      expect.stringMatching(/^GET \/orders\/\{order_id\}: left out \(no POST \/orders to create/),
      'POST /upload: left out (its request body is not JSON)',
    ]);
    expect(checkRendered(renderConfig(generated), 'x.yml')).toHaveLength(4);
  });

  it('two ways to authenticate by header: each request carries its own', () => {
    const generated = generate({
      openapi: '3.1.0',
      info: { title: 'Two', version: '1' },
      paths: {
        '/a': { get: { security: [{ bearer: [] }], responses: {} } },
        '/b': { get: { security: [{ key: [] }], responses: {} } },
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          key: { type: 'apiKey', in: 'header', name: 'X-Key' },
        },
      },
    });
    expect(generated.headers).toEqual({});
    expect(generated.scenarios.slice(0, 2).map((s) => s.scenario.requests[0]?.headers)).toEqual([
      { authorization: 'Bearer {{env.API_TOKEN}}' },
      { 'x-key': '{{env.API_KEY}}' },
    ]);
    expect(generated.scenarios[2]?.scenario.requests.map((r) => r.headers)).toEqual([
      { authorization: 'Bearer {{env.API_TOKEN}}' },
      { 'x-key': '{{env.API_KEY}}' },
    ]);
  });

  it('refuses what is not OpenAPI 3.0 or 3.1, naming what it got', () => {
    expect(() => readOpenApi({ swagger: '2.0', paths: {} }, 'api.json')).toThrow(
      /api\.json: Swagger 2\.0 is not supported; expected OpenAPI 3\.0 or 3\.1/,
    );
    expect(() => readOpenApi({ openapi: '4.0.0', paths: {} }, 'api.json')).toThrow(
      'api.json: expected "openapi": "3.0.x" or "3.1.x", got "4.0.0"',
    );
    expect(() => readOpenApi({ openapi: '3.1.0' }, 'api.json')).toThrow(OpenApiError);
    expect(() => readOpenApi('<html>', 'api.json')).toThrow(/expected an OpenAPI document/);
  });
});

describe('sampleValue', () => {
  it('prefers examples, keeps unique strings unique, stops recursion', () => {
    const root = {
      components: {
        schemas: {
          Node: {
            type: 'object',
            required: ['next'],
            properties: { next: { $ref: '#/components/schemas/Node' } },
          },
        },
      },
    };
    expect(sampleValue(root, { type: 'string', example: 'x' })).toBe('x');
    expect(sampleValue(root, { type: 'string', format: 'email', example: 'a@b.c' })).toBe(
      'loadgate-{{uid}}@example.com',
    );
    expect(sampleValue(root, { type: 'string', maxLength: 10 })).toBe('loadgate');
    expect(sampleValue(root, { type: ['integer', 'null'], minimum: 3 })).toBe(3);
    expect(sampleValue(root, { type: 'array', items: { type: 'boolean' } })).toEqual([false]);
    expect(sampleValue(root, { oneOf: [{ type: 'null' }, { type: 'integer' }] })).toBe(1);
    expect(sampleValue(root, { $ref: '#/components/schemas/Node' })).toEqual({
      next: { next: { next: { next: {} } } },
    });
  });
});

describe('loadgate init --url', () => {
  it('one GET scenario per URL, on the URLs’ host', () => {
    const generated = scenariosFromUrls([
      new URL('http://127.0.0.1:3000/api/products?limit=5'),
      new URL('http://127.0.0.1:3000/'),
    ]);
    expect(generated.scenarios.map((s) => [s.scenario.name, s.scenario.requests[0]?.path])).toEqual(
      [
        ['get-api-products', '/api/products?limit=5'],
        ['get-root', '/'],
      ],
    );
    expect(generated.baseUrl).toBe('http://127.0.0.1:3000');
    expect(checkRendered(renderConfig(generated), 'x.yml')).toEqual([
      'get-api-products',
      'get-root',
    ]);
  });
});
