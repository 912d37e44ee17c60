/**
 * URLs the user gives loadgate, checked in one place for the action inputs, the CLI flags and
 * the run itself. A bad one is a ConfigError naming the field, what it expects and what it got,
 * with any password in it hidden (parsed, not pattern-matched: a password may contain "@").
 */
import { ConfigError } from './errors.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';

const HTTP_EXPECTED = `an http:// or https:// URL (e.g. ${DEFAULT_BASE_URL})`;

/** `value` with the password (and user) of its authority replaced, for messages and reports. */
export function hideUrlCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (url.username === '' && url.password === '') return value;
    url.username = '***';
    url.password = '';
    return url.toString();
  } catch {
    // Not a URL: hide everything between "//" and the last "@" of the authority, if any.
    return value.replace(/\/\/[^/]*@/, '//***@');
  }
}

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
