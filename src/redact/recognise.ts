/**
 * Secrets loadgate was not told about but can recognise (pure): environment variables whose
 * names look secret, URLs with credentials in any value, and secret-named pairs and flags in a
 * command or a connection string.
 */
import { looksSecretName } from './names.js';
import type { SecretSource } from './secrets.js';
import { urlSecrets } from './url.js';

export interface FoundSecret {
  value: string;
  source: SecretSource;
}

/**
 * The secrets in an environment: the value of every variable whose name looks secret (guessed),
 * the credentials of every URL in any value (given: a password in a URL is a secret whatever
 * the variable is called), and secret-named pairs inside values (`Password=…;` of a
 * connection string).
 */
export function secretsFromEnv(env: Record<string, string | undefined>): FoundSecret[] {
  const found: FoundSecret[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (looksSecretName(name)) found.push({ value, source: 'guessed' });
    found.push(...secretsInText(value));
  }
  return found;
}

/** A word that opens a URL (scheme://…), up to whitespace or a quote. */
const URL_WORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s'"`<>]+/g;
/**
 * `name=value`, `name: value` or `"name": "value"`, the value quoted or up to a separator, after
 * an authorization scheme if there is one (`Authorization: Bearer <value>`).
 */
const PAIR =
  /([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[=:]\s*(?:(?:Bearer|Basic|Token)\s+)?("[^"]*"|'[^']*'|[^\s;&,'"`]+)/gi;
/** `--name value` (a flag followed by its value). */
const FLAG = /(?:^|\s)--?([A-Za-z][A-Za-z0-9_-]*)\s+("[^"]*"|'[^']*'|[^\s'"`-][^\s'"`]*)/g;

function unquote(text: string): string {
  return /^(["']).*\1$/s.test(text) ? text.slice(1, -1) : text;
}

/**
 * The secrets written into a piece of text (a start command, a connection string): the
 * credentials of URLs in it (given), and the values of `name=value`, `name: value` and
 * `--name value` whose names look secret (guessed). Values that are `$VARIABLE` references
 * are not secrets themselves.
 */
export function secretsInText(text: string): FoundSecret[] {
  const found: FoundSecret[] = [];
  for (const [word] of text.matchAll(URL_WORD)) {
    for (const value of urlSecrets(word)) found.push({ value, source: 'given' });
  }
  for (const pattern of [PAIR, FLAG]) {
    for (const match of text.matchAll(pattern)) {
      const value = unquote(match[2] ?? '');
      if (!looksSecretName(match[1] ?? '') || value.startsWith('$') || value.startsWith('//')) {
        continue;
      }
      found.push({ value, source: 'guessed' });
    }
  }
  return found;
}
