/**
 * Error → response mapping, FastAPI style (`{detail: ...}`):
 * - schema validation failures → 422 `{detail: [{loc, msg, type}]}` naming the field;
 * - malformed or empty JSON body → 422 with type `json_invalid` (FastAPI answers 422 too, so
 *   clients written against the FastAPI service see the same status);
 * - duplicate email → 409; other client errors fastify raises keep their status;
 * - anything else → 500, logged to stderr (off the hot path: errors only).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DuplicateEmailError } from './storage/types.js';

export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const LOC_ROOT: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

function typeOf(keyword: string, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'required':
      return 'missing';
    case 'type':
      return params['type'] === 'integer' ? 'int_type' : `${String(params['type'])}_type`;
    case 'minimum':
      return 'greater_than_equal';
    case 'maximum':
      return 'less_than_equal';
    case 'minLength':
      return 'string_too_short';
    case 'maxLength':
      return 'string_too_long';
    case 'minItems':
    case 'minProperties':
      return 'too_short';
    case 'maxItems':
      return 'too_long';
    case 'enum':
      return 'enum';
    case 'format':
      return 'value_error';
    default:
      return keyword;
  }
}

export function validationDetails(err: FastifyError): ValidationDetail[] {
  const root = LOC_ROOT[err.validationContext ?? 'body'] ?? 'body';
  return (err.validation ?? []).map((v) => {
    const loc: (string | number)[] = [root];
    for (const seg of v.instancePath.split('/').slice(1)) {
      loc.push(/^\d+$/.test(seg) ? Number(seg) : seg.replace(/~1/g, '/').replace(/~0/g, '~'));
    }
    const params = v.params as Record<string, unknown>;
    if (v.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      loc.push(params['missingProperty']);
    }
    const field = loc.length > 1 ? String(loc[loc.length - 1]) : root;
    const msg =
      v.keyword === 'required' ? 'Field required' : `${field} ${v.message ?? 'is invalid'}`;
    return { loc, msg, type: typeOf(v.keyword, params) };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (err.validation) {
      return reply.code(422).send({ detail: validationDetails(err) });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ) {
      return reply.code(422).send({
        detail: [{ loc: ['body'], msg: `JSON decode error: ${err.message}`, type: 'json_invalid' }],
      });
    }
    if (err instanceof DuplicateEmailError) {
      return reply.code(409).send({ detail: err.message });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ detail: err.message });
    }
    process.stderr.write(`admin-service: unhandled error: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ detail: 'Internal Server Error' });
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ detail: 'Not Found' }));
}
