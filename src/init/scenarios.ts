/**
 * Scenarios for an API from its OpenAPI document (`loadgate init --openapi`), or from a list of
 * URLs (`--url`). Pure: the document arrives read (openapi.ts); init/render.ts writes the file.
 *
 * From a document:
 * - a GET on a collection (no path parameter) is a list scenario, 10 a page where a paging
 *   parameter says how; a search scenario beside it where a query parameter looks like one;
 * - a GET on an item (`/todos/{id}`) reads ids from a pool that the POST on its collection fills
 *   in the scenario's setup (not measured); without such a POST it is left out, with a note;
 * - a POST with a JSON body (or none) is a create scenario, the body from the schema's examples
 *   or types (init/sample.ts);
 * - one mixed scenario of all of them, weighted like a read-mostly client;
 * - PUT, PATCH and DELETE are left out, with a note: they change or remove the records the other
 *   scenarios read, so their cost would depend on the order the scenarios run in.
 */
import type { ScenarioInput } from '../config/schema.js';
import { AuthVariables, type Auth, type EnvVariable } from './auth.js';
import type { ApiDocument, ApiOperation, ApiParameter, JsonObject } from './openapi.js';
import { isObject } from './openapi.js';
import { sampleValue, SEARCH_TERM } from './sample.js';

export interface GeneratedScenario {
  scenario: ScenarioInput;
  /** One line on what it drives, for the comment above it. */
  about: string;
  /** A commented suggestion for its SLA (`sla: { p95Ms: 200 }`). */
  sla: string;
}

export interface GeneratedConfig {
  /** What the file was made from (`Todo API 1.0 (openapi.json)`). */
  title: string;
  /** Headers of every request (auth shared by every operation), `defaults.headers`. */
  headers: Record<string, string>;
  env: EnvVariable[];
  scenarios: GeneratedScenario[];
  /** Operations left out, and why. */
  notes: string[];
  /** Where the service listens, when the document or the URLs say so (a loopback address). */
  baseUrl: string | undefined;
  /** A path that answers 2xx once the service is up, for --ready-url. */
  readyPath: string | undefined;
}

/** Query parameters that set a page's size: 10 a page. */
const PAGE_SIZE =
  /^(limit|page_?size|per_?page|size|count|max|max_?results|top|\$top|first|take)$/i;
/** Query parameters that look like a free-text search. */
const SEARCH = /^(q|query|search|search_?term|term|keywords?|text|filter|s)$/i;
/** Paths a readiness probe may poll. */
const HEALTH = /^\/(health|healthz|ready|readyz|livez|ping|status)$/i;
/** Records each pool holds: enough for a varied mix, quick to create. */
const POOL_SIZE = 50;
const WEIGHTS = { list: 4, get: 3, search: 2, read: 1, create: 1 } as const;

type Role = keyof typeof WEIGHTS;
type SetupInput = NonNullable<ScenarioInput['setup']>[number];
type RequestInput = ScenarioInput['requests'][number];

interface Draft {
  role: Role;
  name: string;
  /** The operation as the document names it (`GET /todos/{todoId}`). */
  label: string;
  summary?: string;
  setup: SetupInput[];
  request: RequestInput;
}

export function scenariosFromOpenApi(
  api: ApiDocument,
  root: JsonObject,
  options: { source: string; specUrl?: string },
): GeneratedConfig {
  const server = serverParts(api.server, options.specUrl);
  const auth = new AuthVariables(api.schemes);
  const context: DraftContext = {
    root,
    basePath: server.basePath,
    names: new UniqueNames(),
    resources: new ResourceNames(api.operations.map((o) => o.path)),
    creates: new Map(
      api.operations
        .filter((o) => o.method === 'post' && !o.bodyNotJson && !o.path.includes('{'))
        .map((o) => [o.path, o]),
    ),
  };
  const notes: string[] = [];
  const drafts: { draft: Draft; auth: Auth }[] = [];
  for (const operation of api.operations) {
    const made = draftsFor(operation, context, () => auth.authOf(operation));
    if (typeof made === 'string') notes.push(`${operationLabel(operation)}: ${made}`);
    else drafts.push(...made);
  }
  for (const name of auth.unsupported) {
    notes.push(
      `security scheme ${name}: not generated (only bearer, basic, OAuth 2, OpenID Connect and API keys are); add its header by hand`,
    );
  }
  // One way to authenticate (the operations without auth may get it too, harmlessly) goes to the
  // defaults; several, and each request carries its own.
  const used = drafts.map((d) => d.auth.headers).filter((h) => Object.keys(h).length > 0);
  const distinct = new Set(used.map((h) => JSON.stringify(h)));
  const headersOf = new Map(drafts.map((d) => [d.draft, distinct.size > 1 ? d.auth.headers : {}]));
  const ownHeaders = (draft: Draft) => headersOf.get(draft) ?? {};
  const all = drafts.map((d) => d.draft);
  const scenarios = all.map((draft) => single(draft, ownHeaders(draft)));
  if (all.length >= 2) scenarios.push(mixed(all, ownHeaders, context.names.take('mixed')));
  return {
    title: `${api.title}${api.version ? ` ${api.version}` : ''} (${options.source})`,
    headers: distinct.size === 1 ? (used[0] ?? {}) : {},
    env: auth.variables(),
    scenarios,
    notes: [...(server.note ? [server.note] : []), ...notes],
    baseUrl: server.baseUrl,
    readyPath: readyPathOf(api, server.basePath),
  };
}

/** What drafting an operation's scenarios reads: the document and what was drafted so far. */
interface DraftContext {
  root: JsonObject;
  basePath: string;
  names: UniqueNames;
  resources: ResourceNames;
  /** The POSTs on collections (no path parameter), by path: they fill the item GETs' pools. */
  creates: ReadonlyMap<string, ApiOperation>;
}

function operationLabel(operation: ApiOperation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** An operation's scenarios (a GET on a collection may make two), or why it has none. */
function draftsFor(
  operation: ApiOperation,
  context: DraftContext,
  authOf: () => Auth,
): { draft: Draft; auth: Auth }[] | string {
  const label = operationLabel(operation);
  if (operation.method === 'get' && HEALTH.test(operation.path)) {
    return 'the readiness probe (ready-url), not a scenario';
  }
  if (!['get', 'post'].includes(operation.method)) {
    return 'left out (it changes or removes records the other scenarios read; add it by hand if you need it)';
  }
  if (operation.bodyNotJson) return 'left out (its request body is not JSON)';
  const { root, basePath, names, resources, creates } = context;
  const pools = poolsFor(operation, creates, resources, root, basePath);
  if (typeof pools === 'string') return `left out (${pools})`;
  const auth = authOf();
  const query = queryOf(operation, root);
  const resource = resources.of(operation.path);
  const make = (role: Role, extra: string[] = [], suffix = '') => {
    const pairs = [...query, ...extra, ...auth.query];
    const draft: Draft = {
      role,
      name: names.take(`${role === 'read' ? 'get' : role}-${resource}${suffix}`),
      label,
      ...(operation.summary === undefined ? {} : { summary: operation.summary }),
      setup: pools.setup,
      request: {
        name: `${label}${role === 'search' ? ' (search)' : ''}`.slice(0, 80),
        method: operation.method === 'get' ? 'GET' : 'POST',
        path: `${pools.path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`,
        ...(operation.method === 'post' ? bodyOf(operation, root) : {}),
        ...(expectOf(operation) === 200 ? {} : { expect: expectOf(operation) }),
      },
    };
    return { draft, auth };
  };
  if (operation.method === 'post') return [make('create')];
  const itemParam = /\{([^}]+)\}$/.exec(operation.path)?.[1];
  if (itemParam !== undefined) return [make('get', [], `-by-${itemParam}`)];
  const paged = query.some((pair) => PAGE_SIZE.test(pair.split('=')[0] ?? ''));
  const search = operation.parameters.find(
    (p) => p.in === 'query' && !p.required && SEARCH.test(p.name) && isText(p),
  );
  return [
    make(paged ? 'list' : 'read'),
    ...(search ? [make('search', [`${search.name}=${SEARCH_TERM}`])] : []),
  ];
}

/** `loadgate init --url URL...`: one GET scenario per URL, all on one host. */
export function scenariosFromUrls(urls: readonly URL[]): GeneratedConfig {
  const names = new UniqueNames();
  const origin = urls[0]?.origin;
  const scenarios = urls.map((url) => {
    const path = `${url.pathname}${url.search}`;
    const slug = slugOf(url.pathname.split('/').filter(Boolean).join('-')) || 'root';
    return single(
      {
        role: 'read',
        name: names.take(`get-${slug}`),
        label: `GET ${path}`,
        setup: [],
        request: { name: `GET ${path}`.slice(0, 80), method: 'GET', path },
      },
      {},
    );
  });
  return {
    title: `${urls.length === 1 ? 'one URL' : `${urls.length} URLs`} on ${origin ?? ''}`,
    headers: {},
    env: [],
    scenarios,
    notes: [],
    baseUrl: origin,
    readyPath: urls[0] === undefined ? undefined : `${urls[0].pathname}${urls[0].search}`,
  };
}

function single(draft: Draft, headers: Record<string, string>): GeneratedScenario {
  const request = Object.keys(headers).length > 0 ? { ...draft.request, headers } : draft.request;
  return {
    scenario: {
      name: draft.name,
      ...(draft.setup.length > 0 ? { setup: draft.setup.map((s) => withHeaders(s, headers)) } : {}),
      requests: [request],
    },
    about: aboutOf(draft),
    sla: draft.role === 'create' ? 'sla: { p95Ms: 500 }' : 'sla: { p95Ms: 200 }',
  };
}

/** Every request of the other scenarios in one mix, read-mostly, with the pools they need. */
function mixed(
  drafts: readonly Draft[],
  headersOf: (draft: Draft) => Record<string, string>,
  name: string,
): GeneratedScenario {
  const setup = new Map<string, SetupInput>();
  for (const draft of drafts) {
    for (const step of draft.setup) setup.set(step.pool, withHeaders(step, headersOf(draft)));
  }
  const requests = drafts.map((draft) => {
    const headers = headersOf(draft);
    return {
      ...draft.request,
      name: draft.name,
      weight: WEIGHTS[draft.role],
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
  });
  return {
    scenario: { name, ...(setup.size > 0 ? { setup: [...setup.values()] } : {}), requests },
    about: `every request above at once, weighted like a read-mostly client (list ${WEIGHTS.list} : get ${WEIGHTS.get} : search ${WEIGHTS.search} : create ${WEIGHTS.create})`,
    sla: 'sla: { p95Ms: 500 }',
  };
}

function withHeaders(step: SetupInput, headers: Record<string, string>): SetupInput {
  return Object.keys(headers).length > 0
    ? { ...step, request: { ...step.request, headers } }
    : step;
}

function aboutOf(draft: Draft): string {
  const { label } = draft;
  const summary = draft.summary ? ` (${draft.summary})` : '';
  switch (draft.role) {
    case 'list':
      return `${label}${summary}: one page of 10`;
    case 'search':
      return `${label}${summary}: a search for "${SEARCH_TERM}", the word the generated records hold`;
    case 'get':
      return `${label}${summary}: ids from a pool of ${POOL_SIZE} records the setup creates (not measured)`;
    case 'create':
      return `${label}${summary}: the body from the schema's examples or types, {{uid}} where a value is likely unique`;
    case 'read':
      return `${label}${summary}`;
  }
}

/**
 * The path with each `{param}` read from a pool, and the setup steps that fill them: the POST on
 * the collection before the parameter creates the records. Why not, as text, when it cannot.
 */
function poolsFor(
  operation: ApiOperation,
  creates: ReadonlyMap<string, ApiOperation>,
  resources: ResourceNames,
  root: JsonObject,
  basePath: string,
): { path: string; setup: SetupInput[] } | string {
  const segments = operation.path.split('/');
  const setup: SetupInput[] = [];
  const out: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (param === undefined) {
      out.push(segment);
      continue;
    }
    const collection = segments.slice(0, i).join('/');
    const create = creates.get(collection);
    if (create === undefined) {
      return `no POST ${collection || '/'} to create the records whose {${param}} it reads; add a setup step that fills a pool, or a fixed id`;
    }
    const pool = poolName(resources.of(collection));
    setup.push({
      pool,
      count: POOL_SIZE,
      capture: captureOf(create, param),
      request: {
        method: 'POST',
        path: `${basePath}${collection}`,
        ...bodyOf(create, root),
        ...(expectOf(create) === 200 ? {} : { expect: expectOf(create) }),
      },
    });
    out.push(`{{pool.${pool}}}`);
  }
  return { path: `${basePath}${out.join('/')}`, setup };
}

/** The field of the create's answer that holds the id the path reads. */
function captureOf(create: ApiOperation, param: string): string {
  const schema = create.success?.schema;
  const properties = isObject(schema?.properties) ? Object.keys(schema.properties) : [];
  return (
    [param, 'id', '_id', 'uuid'].find((name) => properties.includes(name)) ??
    properties.find((name) => /id$/i.test(name)) ??
    'id'
  );
}

function bodyOf(operation: ApiOperation, root: JsonObject): { body?: unknown } {
  const body = operation.body;
  if (body === undefined) return {};
  if (body.example !== undefined) return { body: body.example };
  return { body: sampleValue(root, body.schema ?? {}) };
}

function expectOf(operation: ApiOperation): number {
  return operation.success?.status ?? (operation.method === 'post' ? 201 : 200);
}

/** `limit=10` where a paging parameter says how; every required one with a sample value. */
function queryOf(operation: ApiOperation, root: JsonObject): string[] {
  if (operation.method !== 'get') return [];
  return operation.parameters
    .filter((p) => p.in === 'query' && (p.required || PAGE_SIZE.test(p.name)))
    .map((p) => {
      const value = PAGE_SIZE.test(p.name) ? 10 : (p.example ?? queryValue(root, p));
      return `${encodeURIComponent(p.name)}=${encodeURIComponent(String(value))}`;
    });
}

/** A required query parameter's value: its schema's example, default or first enum value, else a plain one of its type. */
function queryValue(root: JsonObject, parameter: ApiParameter): unknown {
  const value = sampleValue(root, parameter.schema ?? {});
  // Generated strings hold {{uid}} for bodies; a query value stays plain.
  return typeof value === 'string' && value.includes('{{') ? SEARCH_TERM : value;
}

function isText(parameter: ApiParameter): boolean {
  const type = parameter.schema?.type;
  return (
    type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'))
  );
}

/** A health-like GET, else the first GET without parameters or auth; none if there is neither. */
function readyPathOf(api: ApiDocument, basePath: string): string | undefined {
  const plain = api.operations.filter(
    (o) => o.method === 'get' && !o.path.includes('{') && !o.parameters.some((p) => p.required),
  );
  const health = plain.find((o) => HEALTH.test(o.path));
  const open = plain.find(
    (o) => o.security.length === 0 || Object.keys(o.security[0] ?? {}).length === 0,
  );
  const chosen = health ?? open;
  return chosen && `${basePath}${chosen.path}`;
}

/**
 * The servers' base path (prefixed to every path) and where the service listens: the address
 * the document was fetched from, else a loopback server of the document. A remote server (a
 * production host) is never proposed: loadgate would drive it with load.
 */
function serverParts(
  server: string | undefined,
  specUrl: string | undefined,
): { basePath: string; baseUrl: string | undefined; note?: string } {
  let basePath = '';
  let serverOrigin: string | undefined;
  let remote: string | undefined;
  if (server !== undefined && !server.includes('{')) {
    const url = URL.canParse(server) ? new URL(server) : new URL(server, 'http://localhost');
    basePath = url.pathname.replace(/\/+$/, '');
    if (URL.canParse(server)) {
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      if (loopback) serverOrigin = url.origin;
      else remote = url.origin;
    }
  }
  const baseUrl = specUrl === undefined ? serverOrigin : new URL(specUrl).origin;
  return {
    basePath,
    baseUrl,
    ...(remote !== undefined && baseUrl === undefined
      ? {
          note: `the document's server is ${remote}: not used as the base URL (load belongs on a service started for it, or a staging host you name with --base-url)`,
        }
      : {}),
  };
}

/** Scenario names as the schema allows them, each once. */
class UniqueNames {
  private readonly taken = new Set<string>();

  take(wanted: string): string {
    const base = slugOf(wanted).slice(0, 76) || 'scenario';
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}-${i}`;
    this.taken.add(name);
    return name;
  }
}

/**
 * A resource's name from its path: the segments that are not parameters, without the prefix
 * every path shares (`/api/v1/todos` → `todos`).
 */
class ResourceNames {
  private readonly common: number;

  constructor(paths: readonly string[]) {
    const split = paths.map(staticSegments);
    const shortest = Math.min(...split.map((s) => s.length));
    let common = 0;
    while (common < shortest - 1 && split.every((s) => s[common] === split[0]?.[common])) {
      common++;
    }
    this.common = paths.length > 1 ? common : Math.max(0, shortest - 1);
  }

  of(path: string): string {
    return slugOf(staticSegments(path).slice(this.common).join('-')) || 'root';
  }
}

function staticSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && !s.startsWith('{'));
}

function slugOf(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .replace(/-{2,}/g, '-');
}

function poolName(resource: string): string {
  const name = resource.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `p_${name}`;
}
