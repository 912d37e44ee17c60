/**
 * Which names hold secrets: environment variables, query parameters, `name=value` pairs and
 * flags (pure).
 */

/**
 * Name parts that mark a secret wherever they occur in the (upper-cased) name:
 * `GITHUB_TOKEN`, `NPM_AUTHTOKEN`, `CLIENT_SECRET`, `DB_PASSWORD`, `MYSQL_PASSWD`,
 * `GPG_PASSPHRASE`, `AWS_CREDENTIALS`, `PRIVATEKEY`, `APIKEY`, `SESSION_COOKIE`,
 * `AUTHORIZATION`.
 */
export const SECRET_NAME_PARTS = [
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'PRIVATE',
  'APIKEY',
  'COOKIE',
  'AUTHORIZATION',
] as const;

/**
 * Short words that mark a secret only as a whole segment of the name (split at `_`, `-`, `.`
 * and camelCase), because they occur inside harmless words (KEYBOARD, PASSENGER, AUTHOR):
 * `API_KEY`, `DB_PASS`, `DB_PWD`, `BASIC_AUTH`, `SESSION`, `SENTRY_DSN`, `GH_PAT`, `JWT`, `SALT`.
 */
export const SECRET_NAME_SEGMENTS = new Set([
  'KEY',
  'PASS',
  'PWD',
  'AUTH',
  'SESSION',
  'DSN',
  'PAT',
  'JWT',
  'SALT',
]);

/** The shell's working directories, not passwords. */
const NOT_SECRET_NAMES = new Set(['PWD', 'OLDPWD']);

/** Whether a variable, parameter or flag called `name` would hold a secret. */
export function looksSecretName(name: string): boolean {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (NOT_SECRET_NAMES.has(spaced)) return false;
  if (SECRET_NAME_PARTS.some((part) => spaced.includes(part))) return true;
  return spaced.split(/[^A-Z0-9]+/).some((segment) => SECRET_NAME_SEGMENTS.has(segment));
}
