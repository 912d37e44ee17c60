/**
 * `loadgate init`: a commented `loadgate.yml` for the user's own API, from its OpenAPI document
 * (a file or an http(s) URL; JSON or YAML) or from a list of URLs, checked against the config
 * schema, then the command to run next. The generation is pure (src/init/); here are the reads,
 * the write and the words.
 */
import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/errors.js';
import { checkHttpUrl, DEFAULT_BASE_URL } from '../config/urls.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { OpenApiError, readOpenApi, type JsonObject } from '../init/openapi.js';
import { checkRendered, renderConfig } from '../init/render.js';
import {
  scenariosFromOpenApi,
  scenariosFromUrls,
  type GeneratedConfig,
} from '../init/scenarios.js';
import { EXIT_OK, type Output } from './run.js';

export const DEFAULT_INIT_FILE = 'loadgate.yml';
/** How long fetching the document may take. */
export const FETCH_TIMEOUT_MS = 15_000;
/** Larger documents are refused rather than read into memory. */
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

export type InitSource = { openapi: string } | { urls: string[] };

export interface InitOptions {
  source: InitSource;
  out: string;
  cwd: string;
  /** Replace an existing file. */
  force: boolean;
}

export async function initCommand(
  options: InitOptions,
  output: Output,
): Promise<{ exitCode: number; file?: string; scenarios?: string[] }> {
  const path = resolve(options.cwd, options.out);
  if (!options.force && (await exists(path))) {
    throw new ConfigError(
      `--out: ${options.out} exists; give another file with -o, or --force to replace it`,
    );
  }
  const generated =
    'openapi' in options.source
      ? await fromOpenApi(options.source.openapi, options.cwd)
      : scenariosFromUrls(checkUrls(options.source.urls));
  if (generated.scenarios.length === 0) {
    throw new ConfigError(
      `--openapi: nothing to generate (no GET or POST operation loadgate can drive)${generated.notes.length > 0 ? `:\n  ${generated.notes.join('\n  ')}` : ''}`,
    );
  }
  const text = renderConfig(generated);
  const scenarios = checkRendered(text, options.out);
  const file = await writeFileAtomic(path, text);
  for (const line of nextSteps(generated, options.out, scenarios)) output.out(line);
  return { exitCode: EXIT_OK, file, scenarios };
}

async function fromOpenApi(location: string, cwd: string): Promise<GeneratedConfig> {
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
  const text = remote ? await fetchDocument(location) : await readDocument(location, cwd);
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(
      `--openapi: ${location} is not JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  try {
    const api = readOpenApi(document, location);
    return scenariosFromOpenApi(api, document as JsonObject, {
      source: location,
      ...(remote ? { specUrl: location } : {}),
    });
  } catch (error) {
    if (error instanceof OpenApiError) throw new ConfigError(`--openapi: ${error.message}`);
    throw error;
  }
}

async function readDocument(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `--openapi: ${file} does not exist (a file, or an http(s) URL such as http://127.0.0.1:8000/openapi.json)`
        : `--openapi: cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

/** Only http(s), with a time limit: a service that does not answer is an error, not a hang. */
async function fetchDocument(url: string): Promise<string> {
  checkHttpUrl(url, '--openapi');
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s`
        : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    throw new ConfigError(`--openapi: cannot fetch ${url}: ${reason} (is the service running?)`);
  }
  if (!response.ok) {
    throw new ConfigError(`--openapi: ${url} answered ${response.status}, not the document`);
  }
  const size = Number(response.headers.get('content-length') ?? 0);
  if (size > MAX_DOCUMENT_BYTES) {
    throw new ConfigError(`--openapi: ${url} is ${size} bytes; at most ${MAX_DOCUMENT_BYTES}`);
  }
  return response.text();
}

/** `--url`: absolute http(s) URLs on one host (the base URL of the run). */
function checkUrls(urls: readonly string[]): URL[] {
  const parsed = urls.map((url) => new URL(checkHttpUrl(url, '--url')));
  const origin = parsed[0]?.origin;
  const other = parsed.find((url) => url.origin !== origin);
  if (other !== undefined) {
    throw new ConfigError(
      `--url: every URL must be on one host (the run's base URL); ${other.href} is not on ${origin}`,
    );
  }
  return parsed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** What was written, what to set, and the command to run next. */
export function nextSteps(
  generated: GeneratedConfig,
  out: string,
  scenarios: readonly string[],
): string[] {
  const baseUrl = generated.baseUrl ?? DEFAULT_BASE_URL;
  const ready =
    generated.readyPath === undefined || generated.readyPath === '/health'
      ? ''
      : ` --ready-url ${quote(`${baseUrl}${generated.readyPath}`)}`;
  const config = out.includes(' ') ? quote(out) : out;
  const lines = [
    `loadgate: wrote ${out}: ${scenarios.length} scenarios for ${generated.title}`,
    `  ${scenarios.join(', ')}`,
    ...(generated.notes.length > 0
      ? [`  not generated (listed at the top of the file): ${generated.notes.length}`]
      : []),
    '',
    'Next:',
    ...generated.env.map((env) => `  export ${env.name}=…   # ${env.what}`),
    `  loadgate run -c ${config} --base-url ${baseUrl}${ready} --start '<the command that starts your service>'`,
    `  (without --start, against the service already running at ${baseUrl})`,
    '',
    'Then gate pull requests: the workflow in the README ("Gate your own API"), with',
    `config: ${config} and baseline: base-commit.`,
  ];
  return lines;
}

function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
