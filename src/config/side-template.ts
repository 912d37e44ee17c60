/**
 * The per-side templates of an interleaved A/B run: `{port}` (the side's own free port) and
 * `{side}` (`base` or `head`) in the start command, the base and ready URLs and the Postgres and
 * Redis URLs, so each side listens on its own address and keeps its own state. Pure.
 */
import { ConfigError } from './errors.js';

export type Side = 'base' | 'head';

/** Where each side listens unless base-url says otherwise. */
export const AB_DEFAULT_BASE_URL = 'http://127.0.0.1:{port}';

export function fillSideTemplate(template: string, values: { port: number; side: Side }): string {
  return template.replaceAll('{port}', String(values.port)).replaceAll('{side}', values.side);
}

/**
 * Both sides must answer on their own address: a base URL without `{port}` would measure one
 * service twice. Found before anything starts.
 */
export function checkSideAddress(baseUrl: string, field: string): void {
  if (!baseUrl.includes('{port}')) {
    throw new ConfigError(
      `${field}: "${baseUrl}" has no {port}: with base and head side by side each service listens on its own port. ` +
        `Leave ${field} empty (default ${AB_DEFAULT_BASE_URL}) or put {port} where the port goes, and make the service listen on $PORT.`,
    );
  }
}
