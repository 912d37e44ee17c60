import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { configFileSchema, type ConfigFile } from './schema.js';

/** `scenarios[2].requests[0].path` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  return `${source} is not a valid loadgate config:\n${lines.join('\n')}`;
}

/** Validate an already-parsed config document. */
export function parseConfig(document: unknown, source: string): ConfigFile {
  const result = configFileSchema.safeParse(document ?? {});
  if (!result.success) throw new ConfigError(formatIssues(source, result.error));
  return result.data;
}

/** Read `loadgate.yml` (YAML, of which JSON is a subset); absent path = empty config. */
export async function loadConfigFile(path: string | undefined): Promise<ConfigFile> {
  if (path === undefined) return parseConfig({}, 'built-in defaults');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `config file ${path} does not exist`
        : `cannot read config file ${path}: ${String(error)}`,
    );
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid YAML/JSON: ${(error as Error).message}`,
    );
  }
  return parseConfig(document, path);
}
