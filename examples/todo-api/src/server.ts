/**
 * A small todo API that is not the admin API: the example of gating your own service
 * (examples/todo-api/README.md). Fastify, todos in memory, a bearer token when TODO_API_TOKEN is
 * set, its OpenAPI document at /openapi.json. It counts the requests it answered per route
 * (GET /_requests, left out of the document), so a test can see what loadgate sent.
 *
 * Env: PORT (default 8080), TODO_API_TOKEN (optional).
 */
import Fastify from 'fastify';
import { OPENAPI_DOCUMENT } from './openapi.js';

interface Todo {
  id: string;
  title: string;
  done: boolean;
  tags: string[];
}

const todos = new Map<string, Todo>();
const requests: Record<string, number> = {};
let nextId = 1;
const token = process.env.TODO_API_TOKEN;

const app = Fastify({ logger: false });

app.addHook('onRequest', async (request, reply) => {
  const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
  requests[route] = (requests[route] ?? 0) + 1;
  const open = ['/health', '/openapi.json', '/_requests'].includes(request.routeOptions.url ?? '');
  if (token !== undefined && !open && request.headers.authorization !== `Bearer ${token}`) {
    return reply.code(401).send({ detail: 'missing or wrong bearer token' });
  }
});

app.get('/health', async () => ({ status: 'ok' }));
app.get('/openapi.json', async () => OPENAPI_DOCUMENT);
app.get('/_requests', async () => requests);

app.get<{ Querystring: { limit?: string; offset?: string; q?: string } }>('/todos', async (req) => {
  const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 20) || 20));
  const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
  const q = req.query.q?.toLowerCase();
  const all = [...todos.values()].filter(
    (t) => q === undefined || t.title.toLowerCase().includes(q),
  );
  return all.slice(offset, offset + limit);
});

app.post<{ Body: { title?: unknown; done?: unknown; tags?: unknown } }>(
  '/todos',
  async (req, reply) => {
    const { title, done, tags } = req.body ?? {};
    if (typeof title !== 'string' || title.length === 0 || title.length > 200) {
      return reply.code(422).send({ detail: 'title: a string of 1 to 200 characters' });
    }
    const todo: Todo = {
      id: String(nextId++),
      title,
      done: done === true,
      tags: Array.isArray(tags) ? tags.map(String) : [],
    };
    todos.set(todo.id, todo);
    return reply.code(201).send(todo);
  },
);

app.get<{ Params: { todoId: string } }>('/todos/:todoId', async (req, reply) => {
  const todo = todos.get(req.params.todoId);
  return todo ?? reply.code(404).send({ detail: 'no such todo' });
});

app.patch<{ Params: { todoId: string }; Body: Partial<Todo> }>(
  '/todos/:todoId',
  async (req, reply) => {
    const todo = todos.get(req.params.todoId);
    if (todo === undefined) return reply.code(404).send({ detail: 'no such todo' });
    Object.assign(todo, {
      ...(typeof req.body?.title === 'string' ? { title: req.body.title } : {}),
      ...(typeof req.body?.done === 'boolean' ? { done: req.body.done } : {}),
    });
    return todo;
  },
);

app.delete<{ Params: { todoId: string } }>('/todos/:todoId', async (req, reply) => {
  const existed = todos.delete(req.params.todoId);
  return reply.code(existed ? 204 : 404).send();
});

const port = Number(process.env.PORT ?? 8080);
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`todo-api listening on http://127.0.0.1:${port}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void app.close().then(() => process.exit(0)));
}
