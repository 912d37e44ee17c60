/**
 * The secrets this loadgate process knows of, one registry for the whole process: the front
 * ends (src/main.ts, src/cli/main.ts) register them before anything runs, and every place that
 * writes text out redacts through it.
 *
 * Why at the edges (the file writer, the job summary, the comment, the log and console) and not
 * in the middle: text reaches those few places from many sources (log tails, error messages,
 * failure reasons, config names, a future feature's message), and a check at each source is
 * one check forgotten away from a leak; at the edge nothing gets past unredacted, whatever its
 * way there. A few sources redact too, where text is cut before it reaches an edge (a cut
 * through a secret leaves a part no edge recognises): the service's log lines, a scenario's
 * failure reason, the setup step's response body, the seed command's stderr.
 */
import { secretsFromEnv, secretsInText } from './recognise.js';
import { SecretSet, type SecretSource } from './secrets.js';
import { urlSecrets } from './url.js';

const registry = new SecretSet();

/** Register a secret (a token…); returns the values added (none when too short or common). */
export function registerSecret(
  value: string | undefined,
  source: SecretSource = 'given',
): string[] {
  return registry.add(value, source);
}

/** Register the credentials of a URL (an input's or a flag's); returns the values added. */
export function registerUrlSecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  return urlSecrets(url).flatMap((value) => registry.add(value, 'given'));
}

/** Register the secrets written into a command or other text (recognise.ts `secretsInText`). */
export function registerSecretsInText(text: string | undefined): string[] {
  if (text === undefined) return [];
  return secretsInText(text).flatMap(({ value, source }) => registry.add(value, source));
}

/** Register the secrets of an environment (recognise.ts `secretsFromEnv`). */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): string[] {
  return secretsFromEnv(env).flatMap(({ value, source }) => registry.add(value, source));
}

/** `text` with every registered secret, in any of its forms, replaced by `***`. */
export function redact(text: string): string {
  return registry.redact(text);
}

/** For a file's text: as `redact`, keeping a JSON document's syntax intact. */
export function redactFileText(text: string): string {
  return registry.redactFile(text);
}

/** How many secrets are registered. */
export function registeredSecretCount(): number {
  return registry.size;
}

/** Forget every secret (tests). */
export function clearSecrets(): void {
  registry.clear();
}
