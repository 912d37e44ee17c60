/**
 * How a generated scenario authenticates: an operation's security requirement turned into
 * headers (or query parameters) that read the secret from the environment when loadgate runs,
 * `{{env.NAME}}`. Never a literal secret in the file: it is committed, and read on pull requests.
 */
import type { ApiOperation, SecurityScheme } from './openapi.js';

export interface Auth {
  headers: Record<string, string>;
  /** `name={{env.X}}` pairs to append to the query. */
  query: string[];
}

export interface EnvVariable {
  name: string;
  /** What to put in it, for the file's header and the next command. */
  what: string;
}

const BASE_NAMES: Record<string, string> = {
  bearer: 'API_TOKEN',
  basic: 'API_BASIC_AUTH',
  apiKey: 'API_KEY',
};

/**
 * The environment variable of each security scheme used: API_TOKEN (bearer, OAuth 2, OpenID
 * Connect), API_KEY, API_BASIC_AUTH; a second scheme of one kind gets its name appended.
 */
export class AuthVariables {
  private readonly byScheme = new Map<string, EnvVariable>();
  /** Schemes that cannot be sent as a header or query value (digest, mutual TLS…). */
  readonly unsupported = new Set<string>();

  constructor(private readonly schemes: Record<string, SecurityScheme>) {}

  /**
   * The operation's first alternative of requirements (OpenAPI: any one of them will do; an
   * empty one means authentication is optional: none is sent).
   */
  authOf(operation: ApiOperation): Auth {
    const auth: Auth = { headers: {}, query: [] };
    for (const name of Object.keys(operation.security[0] ?? {})) {
      const scheme = this.schemes[name];
      const kind = scheme && kindOf(scheme);
      if (scheme === undefined || kind === undefined) {
        this.unsupported.add(name);
        continue;
      }
      const env = `{{env.${this.variable(name, kind).name}}}`;
      if (kind === 'bearer') auth.headers.authorization = `Bearer ${env}`;
      else if (kind === 'basic') auth.headers.authorization = `Basic ${env}`;
      else if (scheme.in === 'query') auth.query.push(`${scheme.name}=${env}`);
      else if (scheme.in === 'cookie') auth.headers.cookie = `${scheme.name}=${env}`;
      else auth.headers[String(scheme.name).toLowerCase()] = env;
    }
    return auth;
  }

  /** The variables the generated file reads, in the order first used. */
  variables(): EnvVariable[] {
    return [...new Set(this.byScheme.values())];
  }

  private variable(scheme: string, kind: keyof typeof BASE_NAMES): EnvVariable {
    const known = this.byScheme.get(scheme);
    if (known) return known;
    const base = BASE_NAMES[kind] as string;
    const taken = [...this.byScheme.values()].some((v) => v.name === base);
    const name = taken ? `${base}_${scheme.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}` : base;
    const what =
      kind === 'bearer'
        ? `the bearer token (security scheme ${scheme})`
        : kind === 'basic'
          ? `base64 of user:password (security scheme ${scheme})`
          : `the API key (security scheme ${scheme})`;
    const variable = { name, what };
    this.byScheme.set(scheme, variable);
    return variable;
  }
}

function kindOf(scheme: SecurityScheme): keyof typeof BASE_NAMES | undefined {
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return 'bearer';
  if (scheme.type === 'http') {
    const kind = scheme.scheme?.toLowerCase();
    return kind === 'bearer' || kind === 'basic' ? kind : undefined;
  }
  if (scheme.type === 'apiKey' && typeof scheme.name === 'string') return 'apiKey';
  return undefined;
}
