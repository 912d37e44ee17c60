/**
 * Credentials in URLs (postgres-url, redis-url, base-url, a DATABASE_URL in the environment): the
 * one function that hides them for messages, and the values to register as secrets.
 *
 * A password may hold `@`, `/`, `?` or `#` unencoded (users paste them so). A URL parser then
 * splits the authority at the first `/` and takes part of the password for the host, so hiding
 * what the parser calls the password leaves the rest in the message. Hiding therefore takes
 * everything between `://` and the **last** `@` of the string (sometimes more than the
 * credentials, never less); the parser is used for what it is sure of: query parameters such as
 * `?password=`, and the encoded and decoded forms of the password to register.
 */
import { looksSecretName } from './names.js';
import { MASK } from './secrets.js';

/** Index just past `scheme://`, or -1. */
function authorityStart(value: string): number {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value);
  return match ? match[0].length : -1;
}

/** `{port}`, `{side}` (config/side-template.ts) filled with something a parser accepts. */
function parseable(value: string): URL | undefined {
  for (const candidate of [value, value.replace(/\{[a-z]+\}/g, '0')]) {
    try {
      return new URL(candidate);
    } catch {
      // try the next
    }
  }
  return undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `value` with its credentials replaced: `postgres://***@host/db`, and the values of query
 * parameters whose names look secret (`?password=***`). Not a URL: unchanged.
 */
export function hideUrlCredentials(value: string): string {
  const start = authorityStart(value);
  if (start < 0) return value;
  const at = value.lastIndexOf('@');
  let shown = at >= start ? `${value.slice(0, start)}${MASK}@${value.slice(at + 1)}` : value;
  const query = shown.indexOf('?');
  if (query >= 0) {
    const [path, rest] = [shown.slice(0, query + 1), shown.slice(query + 1)];
    const hash = rest.indexOf('#');
    const search = hash >= 0 ? rest.slice(0, hash) : rest;
    const fragment = hash >= 0 ? rest.slice(hash) : '';
    const hidden = search
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0 || !looksSecretName(decoded(pair.slice(0, eq)))) return pair;
        return `${pair.slice(0, eq)}=${MASK}`;
      })
      .join('&');
    shown = path + hidden + fragment;
  }
  return shown;
}

/**
 * The secrets a URL carries: its password as written (everything after the first `:` up to the
 * last `@`), encoded and decoded, and as a parser reads it; the user when there is no password
 * (`https://<token>@host`); the values of query parameters whose names look secret
 * (`?password=`). Empty for a URL without any. The caller filters out what is too short.
 */
export function urlSecrets(value: string): string[] {
  const text = value.trim();
  const start = authorityStart(text);
  if (start < 0) return [];
  const out = new Set<string>();
  const add = (secret: string): void => {
    if (secret === '') return;
    out.add(secret);
    out.add(decoded(secret));
  };
  const at = text.lastIndexOf('@');
  if (at >= start) {
    const userinfo = text.slice(start, at);
    const colon = userinfo.indexOf(':');
    add(colon >= 0 ? userinfo.slice(colon + 1) : userinfo);
  }
  const url = parseable(text);
  if (url) {
    add(url.password === '' ? url.username : url.password);
    for (const [name, v] of url.searchParams) if (looksSecretName(name)) add(v);
  }
  return [...out];
}
