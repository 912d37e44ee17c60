/**
 * The todo API's OpenAPI 3.1 document, served at GET /openapi.json as FastAPI and most
 * frameworks serve theirs: what `loadgate init --openapi` reads.
 */
const todo = {
  type: 'object',
  required: ['id', 'title', 'done'],
  properties: {
    id: { type: 'string', readOnly: true, examples: ['7'] },
    title: { type: 'string', maxLength: 200, examples: ['water the plants'] },
    done: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

const todoInput = {
  type: 'object',
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    done: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

const json = (schema: unknown) => ({ 'application/json': { schema } });
const todoId = { name: 'todoId', in: 'path', required: true, schema: { type: 'string' } };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Todo API', version: '1.0.0' },
  components: {
    schemas: { Todo: todo, TodoInput: todoInput },
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
  },
  security: [{ bearerAuth: [] }],
  paths: {
    '/health': {
      get: {
        operationId: 'health',
        summary: 'Liveness',
        security: [],
        responses: { '200': { description: 'up' } },
      },
    },
    '/todos': {
      get: {
        operationId: 'listTodos',
        summary: 'List todos',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: 'q', in: 'query', schema: { type: 'string' }, description: 'text in the title' },
        ],
        responses: {
          '200': {
            description: 'a page of todos',
            content: json({ type: 'array', items: { $ref: '#/components/schemas/Todo' } }),
          },
        },
      },
      post: {
        operationId: 'createTodo',
        summary: 'Create a todo',
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/TodoInput' }) },
        responses: {
          '201': { description: 'created', content: json({ $ref: '#/components/schemas/Todo' }) },
        },
      },
    },
    '/todos/{todoId}': {
      parameters: [todoId],
      get: {
        operationId: 'getTodo',
        summary: 'One todo',
        responses: {
          '200': { description: 'the todo', content: json({ $ref: '#/components/schemas/Todo' }) },
          '404': { description: 'no such todo' },
        },
      },
      patch: {
        operationId: 'updateTodo',
        requestBody: { content: json({ $ref: '#/components/schemas/TodoInput' }) },
        responses: { '200': { description: 'updated' } },
      },
      delete: { operationId: 'deleteTodo', responses: { '204': { description: 'deleted' } } },
    },
  },
} as const;
