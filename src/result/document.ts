/**
 * What loadgate's two stored JSON documents (the run result, result/schema.ts, and the history of
 * main, result/history-schema.ts) share: their number schemas and the steps of reading one. Each
 * reader adds how it recognises its document and its version check.
 */
import { z } from 'zod';

export const num = z.number().refine(Number.isFinite, 'expected a finite number');
export const nonNeg = num.refine((v) => v >= 0, 'expected a number ≥ 0');

/** A stored document that cannot be used: names the source and what is wrong. */
export class StoredDocumentError extends Error {
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.source = source;
  }
}

/**
 * `json` (the parsed document, or its text, parsed here) as a JSON object; otherwise `fail` is
 * thrown with what is wrong. `what` names the document: "not a loadgate result".
 */
export function jsonObject(
  json: unknown,
  what: string,
  fail: (problem: string) => Error,
): Record<string, unknown> {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (e) {
      throw fail(`not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw fail(`not a loadgate ${what}: expected a JSON object`);
  }
  return doc as Record<string, unknown>;
}

/** `doc` validated by `schema`; otherwise `fail` is thrown with the first problems and where they are. */
export function validated<S extends z.ZodType>(
  schema: S,
  doc: unknown,
  what: string,
  fail: (problem: string) => Error,
): z.output<S> {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const shown = issues
    .slice(0, 5)
    .map((i) => `${pathText(i.path)}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw fail(`invalid loadgate ${what}: ${shown}${more}`);
}

/** Where in a JSON document a validation problem is: `scenarios[2].trials`. */
function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
