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
