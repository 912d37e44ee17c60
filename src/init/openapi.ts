/**
 * An OpenAPI 3.0 or 3.1 document as `loadgate init` reads it: its operations with their
 * parameters, JSON request body and success answers, `$ref`s resolved (local ones: what
 * frameworks emit), and its security schemes. Pure: the document arrives parsed.
 *
 * Only what generating scenarios needs is read; anything else in the document is ignored, and a
 * part that cannot be used (a remote `$ref`, a body that is not JSON) leaves that operation out
 * with a note rather than failing the whole document.
 */

/** A JSON object of the document (a schema, an operation, …). */
export type JsonObject = Record<string, unknown>;

export class OpenApiError extends Error {}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required: boolean;
  schema: JsonObject | undefined;
  example: unknown;
}

export interface ApiOperation {
  method: HttpMethod;
  /** As in the document, with `{param}` segments, after the servers' base path. */
  path: string;
  operationId: string | undefined;
  summary: string | undefined;
  parameters: ApiParameter[];
  /** The JSON request body's schema and example; absent when there is none. */
  body: { schema: JsonObject | undefined; example: unknown } | undefined;
  /** The request body is there but not JSON (a form, a file upload). */
  bodyNotJson: boolean;
  /** The first 2xx answer: its status and JSON schema. */
  success: { status: number; schema: JsonObject | undefined } | undefined;
  /** Security requirements in force (the operation's, else the document's); [] = none. */
  security: Record<string, string[]>[];
}

export interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

export interface ApiDocument {
  title: string;
  version: string;
  /** The first server's URL, its variables filled with their defaults; absent when none. */
  server: string | undefined;
  operations: ApiOperation[];
  schemes: Record<string, SecurityScheme>;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follows local `$ref`s (`#/components/schemas/Todo`) in the document; a remote or broken one is
 * left as it is (the caller treats it as unknown). Bounded, so a reference loop cannot hang.
 */
export function resolveRef(root: JsonObject, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) return current;
    let target: unknown = root;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

function asObject(root: JsonObject, value: unknown): JsonObject | undefined {
  const resolved = resolveRef(root, value);
  return isObject(resolved) ? resolved : undefined;
}

/** Validates the document's shape and version and reads its operations. */
export function readOpenApi(document: unknown, source: string): ApiDocument {
  if (!isObject(document)) {
    throw new OpenApiError(`${source}: expected an OpenAPI document (a JSON or YAML object)`);
  }
  if (typeof document.swagger === 'string') {
    throw new OpenApiError(
      `${source}: Swagger ${document.swagger} is not supported; expected OpenAPI 3.0 or 3.1 (convert it, e.g. with swagger2openapi)`,
    );
  }
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.[01](\.|$)/.test(version)) {
    throw new OpenApiError(
      `${source}: expected "openapi": "3.0.x" or "3.1.x", got ${version === undefined ? 'no "openapi" field' : JSON.stringify(version)}`,
    );
  }
  if (!isObject(document.paths)) {
    throw new OpenApiError(`${source}: the document has no "paths"`);
  }
  const info = isObject(document.info) ? document.info : {};
  const components = isObject(document.components) ? document.components : {};
  const schemes: Record<string, SecurityScheme> = {};
  for (const [name, raw] of Object.entries(
    isObject(components.securitySchemes) ? components.securitySchemes : {},
  )) {
    const scheme = asObject(document, raw);
    if (scheme && typeof scheme.type === 'string')
      schemes[name] = securityScheme(scheme, scheme.type);
  }
  const security = securityList(document.security) ?? [];
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths)) {
    const item = asObject(document, rawItem);
    if (!item || !path.startsWith('/')) continue;
    const shared = parameters(document, item.parameters);
    for (const method of HTTP_METHODS) {
      const op = asObject(document, item[method]);
      if (op) operations.push(operation(document, method, path, op, shared, security));
    }
  }
  return {
    title: typeof info.title === 'string' ? info.title : 'the API',
    version: typeof info.version === 'string' ? info.version : '',
    server: firstServer(document.servers),
    operations,
    schemes,
  };
}

function operation(
  root: JsonObject,
  method: HttpMethod,
  path: string,
  op: JsonObject,
  shared: ApiParameter[],
  security: Record<string, string[]>[],
): ApiOperation {
  const own = parameters(root, op.parameters);
  // An operation's parameter replaces the path item's of the same name and place.
  const merged = [
    ...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)),
    ...own,
  ];
  const requestBody = asObject(root, op.requestBody);
  const content = requestBody && asObject(root, requestBody.content);
  const json = content && jsonMedia(root, content);
  return {
    method,
    path,
    operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
    summary: typeof op.summary === 'string' ? op.summary : undefined,
    parameters: merged,
    body: json,
    bodyNotJson: content !== undefined && json === undefined,
    success: successOf(root, op.responses),
    security: securityList(op.security) ?? security,
  };
}

function securityScheme(raw: JsonObject, type: string): SecurityScheme {
  const text = (key: string) => (typeof raw[key] === 'string' ? { [key]: raw[key] } : {});
  return { type, ...text('scheme'), ...text('in'), ...text('name') };
}

function parameters(root: JsonObject, raw: unknown): ApiParameter[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry) => {
    const p = asObject(root, entry);
    if (!p || typeof p.name !== 'string') return [];
    if (!['query', 'path', 'header', 'cookie'].includes(p.in as string)) return [];
    return [
      {
        name: p.name,
        in: p.in as ApiParameter['in'],
        required: p.required === true || p.in === 'path',
        schema: asObject(root, p.schema),
        example: p.example ?? firstExample(root, p.examples),
      },
    ];
  });
}

/** `application/json` or any `…+json` media type: its schema and example. */
function jsonMedia(
  root: JsonObject,
  content: JsonObject,
): { schema: JsonObject | undefined; example: unknown } | undefined {
  const key = Object.keys(content).find((type) => /^application\/([\w.-]+\+)?json\b/i.test(type));
  if (key === undefined) return undefined;
  const media = asObject(root, content[key]) ?? {};
  return {
    schema: asObject(root, media.schema),
    example: media.example ?? firstExample(root, media.examples),
  };
}

/** The value of the first entry of an `examples` map (each `{ value }`). */
function firstExample(root: JsonObject, examples: unknown): unknown {
  if (!isObject(examples)) return undefined;
  const first = asObject(root, Object.values(examples)[0]);
  return first?.value;
}

function successOf(root: JsonObject, raw: unknown): ApiOperation['success'] {
  const responses = asObject(root, raw);
  if (!responses) return undefined;
  const status = Object.keys(responses)
    .filter((code) => /^2\d\d$/.test(code))
    .sort()[0];
  if (status === undefined) return undefined;
  const response = asObject(root, responses[status]);
  const content = response && asObject(root, response.content);
  return { status: Number(status), schema: content && jsonMedia(root, content)?.schema };
}

function securityList(raw: unknown): Record<string, string[]>[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw
    .filter(isObject)
    .map((req) =>
      Object.fromEntries(
        Object.entries(req).map(([name, scopes]) => [
          name,
          Array.isArray(scopes) ? scopes.map(String) : [],
        ]),
      ),
    );
}

function firstServer(raw: unknown): string | undefined {
  if (!Array.isArray(raw) || !isObject(raw[0]) || typeof raw[0].url !== 'string') return undefined;
  const { url, variables } = raw[0];
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = isObject(variables) ? variables[name] : undefined;
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}
