/**
 * The flags of `loadgate init`: `--openapi FILE|URL` or `--url URL...` (URLs may also follow
 * `--url` as further arguments), `-o/--out FILE`, `--force`. A bad flag is a ConfigError naming
 * it (exit 2).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_INIT_FILE, type InitOptions } from '../commands/init.js';
import { ConfigError } from '../config/errors.js';
import { flagError } from './args.js';

export function parseInitArgs(args: string[], cwd = process.cwd()): InitOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        openapi: { type: 'string' },
        url: { type: 'string', multiple: true },
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw flagError('init', error);
  }
  const { values, positionals } = parsed;
  const urls = [...(values.url ?? []), ...(values.url === undefined ? [] : positionals)];
  if (positionals.length > 0 && values.url === undefined) {
    throw new ConfigError(
      `init: unexpected argument "${positionals[0]}" (a document goes after --openapi, URLs after --url)`,
    );
  }
  if ((values.openapi === undefined) === (urls.length === 0)) {
    throw new ConfigError(
      values.openapi === undefined
        ? "init needs --openapi FILE|URL (your API's OpenAPI document, e.g. http://127.0.0.1:8000/openapi.json) or --url URL... (one scenario per URL)"
        : 'init: --openapi and --url: give one (the document describes the endpoints; --url lists them without one)',
    );
  }
  return {
    source: values.openapi === undefined ? { urls } : { openapi: values.openapi },
    out: values.out ?? DEFAULT_INIT_FILE,
    cwd,
    force: values.force ?? false,
  };
}
