/**
 * URLs the user gives loadgate, checked in one place for the action inputs, the CLI flags and
 * the run itself. A bad one is a ConfigError naming the field, what it expects and what it got,
 * with any credentials in it hidden (redact/url.ts, the one function that hides them).
 */
import { hideUrlCredentials } from '../redact/index.js';
import { ConfigError } from './errors.js';

export { hideUrlCredentials };

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';

const HTTP_EXPECTED = `an http:// or https:// URL (e.g. ${DEFAULT_BASE_URL})`;

/** An http(s) URL where the service listens (base-url, ready-url): returned without a trailing /. */
export function checkHttpUrl(value: string, field: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigError(
      `${field}: expected ${HTTP_EXPECTED}, got "${hideUrlCredentials(value)}"`,
    );
  }
  return value.replace(/\/+$/, '');
}

/** The URL of a backing service loadgate samples (postgres-url, redis-url). */
export function checkBackingUrl(
  value: string,
  field: string,
  protocols: readonly string[],
): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === undefined || !protocols.includes(protocol)) {
    const expected = `a ${protocols.map((p) => `${p}//`).join(' or ')} URL`;
    throw new ConfigError(`${field}: expected ${expected}, got "${hideUrlCredentials(value)}"`);
  }
  return value;
}

export const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'] as const;
export const REDIS_PROTOCOLS = ['redis:', 'rediss:'] as const;

/** A stand-in origin to resolve request paths against (RFC 6761: .invalid never resolves). */
const PROBE_ORIGIN = 'http://loadgate.invalid';

/**
 * Whether `path`, resolved against a base URL, stays on that URL's origin. `//evil.example/x`
 * and `/\evil.example` (a backslash counts as a slash in http URLs) name another host: the
 * request would carry the Authorization header and `{{env.X}}` values there.
 */
export function pathStaysOnHost(path: string, baseUrl: string = PROBE_ORIGIN): boolean {
  try {
    return new URL(path, baseUrl).origin === new URL(baseUrl).origin;
  } catch {
    return false;
  }
}

function offHost(path: string, field: string): ConfigError {
  return new ConfigError(
    `${field}: expected a path on the service (such as /items), got "${hideUrlCredentials(path)}", which would send the request to another host ` +
      '(a path starting with // or /\\ names a host of its own)',
  );
}

/**
 * A request path of the config (placeholders as written): a ConfigError when, whatever its
 * placeholders become, it already names another host.
 */
export function checkRequestPath(path: string, field: string): void {
  if (!pathStaysOnHost(path.replace(/\{\{[^}]*\}\}/g, 'x'))) throw offHost(path, field);
}

/** The URL a rendered request goes to: on `baseUrl`'s origin, or a ConfigError naming `field`. */
export function requestUrl(path: string, baseUrl: string, field: string): URL {
  if (!pathStaysOnHost(path, baseUrl)) throw offHost(path, field);
  return new URL(path, baseUrl);
}
