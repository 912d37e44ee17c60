import type { Preset } from '../config/preset.js';
import type { SetupStepConfig } from '../config/schema.js';
import { requestUrl } from '../config/urls.js';
import { redact } from '../redact/index.js';
import { compileRequest, renderRequest, type RenderContexts } from './compile.js';

/**
 * Setup steps fill pools (e.g. the ids of 200 records that later requests read) through the
 * service's own API, with bounded concurrency. Not measured: it prepares the measurement.
 */

export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** At most this share of a step's requests may fail before the step (and the scenario) fails. */
const MAX_FAILED_SHARE = 0.05;

export interface SetupProgress {
  (pool: string, done: number, total: number): void;
}

/** What a failed setup step's message takes from the plan's preset. */
export type SetupHints = Pick<Preset, 'apiName' | 'createsRecords'>;

export function readCapture(value: unknown, path: string): string | undefined {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined;
}

export async function runSetupStep(
  step: SetupStepConfig,
  baseUrl: string,
  headers: Record<string, string>,
  contexts: RenderContexts,
  onProgress?: SetupProgress,
  preset?: SetupHints,
): Promise<string[]> {
  const request = compileRequest(
    {
      name: step.request.name ?? `setup ${step.pool}`,
      method: step.request.method,
      path: step.request.path,
      expect: step.request.expect,
      weight: 1,
      headers: {
        ...headers,
        ...(step.request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(step.request.headers ?? {}),
      },
      ...(step.request.body === undefined ? {} : { body: step.request.body }),
    },
    `setup.${step.pool}`,
  );
  const captured: string[] = [];
  const failures: string[] = [];
  let next = 0;
  let done = 0;
  /** The first answer said the endpoint is not there (404/405): no point sending the rest. */
  let missing: { status: number; method: string; path: string } | undefined;
  const worker = async () => {
    while (next < step.count && missing === undefined) {
      next++;
      const rendered = renderRequest(request, contexts.next());
      // Its pool values came from the service: checked as sent (a ConfigError stops the run).
      const url = requestUrl(rendered.path, baseUrl, `setup.${step.pool}.request.path`);
      try {
        const response = await fetch(url, {
          method: rendered.method,
          headers: rendered.headers,
          ...(rendered.body === undefined ? {} : { body: rendered.body }),
          // A redirect is the answer, never followed: it could lead off the service's host.
          redirect: 'manual',
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (done === 0 && captured.length === 0 && ENDPOINT_MISSING.has(response.status)) {
          missing = { status: response.status, method: rendered.method, path: rendered.path };
        }
        if (response.status !== step.request.expect) {
          // Redacted before the cut: the body may echo the token (the rendered path is redacted
          // with the whole reason, kinds/scenario-result.ts).
          failures.push(
            `${rendered.method} ${rendered.path} → ${response.status} ${redact(text).slice(0, 200)}`,
          );
        } else {
          const value = readCapture(safeJson(text), step.capture);
          if (value === undefined)
            failures.push(`response has no "${step.capture}": ${redact(text).slice(0, 200)}`);
          else captured.push(value);
        }
      } catch (error) {
        failures.push(`${rendered.method} ${rendered.path} → ${(error as Error).message}`);
      }
      done++;
      if (done % 100 === 0) onProgress?.(step.pool, done, step.count);
      if (failures.length > Math.max(3, step.count * MAX_FAILED_SHARE)) break;
    }
  };
  await Promise.all(Array.from({ length: Math.min(step.concurrency, step.count) }, worker));
  if (done % 100 !== 0) onProgress?.(step.pool, done, step.count);
  if (missing !== undefined && captured.length === 0) {
    throw new SetupError(missingEndpointMessage(step, missing, preset));
  }
  if (failures.length > step.count * MAX_FAILED_SHARE || captured.length === 0) {
    throw new SetupError(
      `setup of pool "${step.pool}" failed: ${failures.length} of ${done} requests failed; first: ${failures[0] ?? 'none captured'}`,
    );
  }
  // Completion order varies with timing; sorting keeps seeded picks reproducible.
  return captured.sort();
}

/** Statuses that say the endpoint itself is not there (not that one request was bad). */
const ENDPOINT_MISSING = new Set([404, 405]);

/**
 * A step shaped like the ones the preset creates its records with, whose endpoint is missing,
 * means the service is not the preset's API: the message says so and how to leave the preset out.
 */
function missingEndpointMessage(
  step: SetupStepConfig,
  first: { status: number; method: string; path: string },
  preset: SetupHints | undefined,
): string {
  const head = `setup of pool "${step.pool}" failed: ${first.method} ${first.path} answered ${first.status} on its first request`;
  if (preset?.createsRecords(step)) {
    return (
      `${head}: the service does not look like ${preset.apiName}. ` +
      'The preset runs when no config file is given or the file says `preset: admin`; for your own API, `loadgate init` writes a config of its own scenarios, and a file with scenarios and no `preset` (or `preset: none`) runs only those.'
    );
  }
  return `${head}: the service has no such endpoint (check the path and the method, and base-url)`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
