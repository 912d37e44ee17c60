/**
 * A JSON value for an OpenAPI schema, for the bodies `loadgate init` writes: the schema's own
 * example where it has one, else a value of its type. Strings that are likely unique in the
 * service's database (names, emails, titles) get `{{uid}}`, so a create sent thousands of times
 * does not fail on a unique constraint after the first; each holds SEARCH_TERM, so a generated
 * search finds what the generated creates wrote.
 */
import { isObject, resolveRef, type JsonObject } from './openapi.js';

/** The word generated strings hold and generated searches look for. */
export const SEARCH_TERM = 'loadgate';

/** Deeper than this, a nested object or array is left out (recursive schemas end here). */
const MAX_DEPTH = 4;

export function sampleValue(root: JsonObject, raw: unknown, depth = 0): unknown {
  const schema = resolveRef(root, raw);
  if (!isObject(schema)) return SEARCH_TERM;
  if (schema.example !== undefined && !isUniqueString(schema)) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0 && !isUniqueString(schema)) {
    return schema.examples[0];
  }
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined && !isUniqueString(schema)) return schema.default;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const first = options.find((o) => typeOf(resolveRef(root, o)) !== 'null');
      if (first !== undefined) return sampleValue(root, first, depth);
    }
  }
  if (Array.isArray(schema.allOf)) return sampleValue(root, mergeAllOf(root, schema), depth);
  switch (typeOf(schema)) {
    case 'object':
      return depth >= MAX_DEPTH ? {} : sampleObject(root, schema, depth);
    case 'array':
      return depth >= MAX_DEPTH || schema.items === undefined
        ? []
        : [sampleValue(root, schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return numberIn(schema);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return sampleString(schema);
  }
}

/** The required properties, and the optional ones that have an example or a default. */
function sampleObject(root: JsonObject, schema: JsonObject, depth: number): JsonObject {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required.map(String) : undefined;
  const out: JsonObject = {};
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolveRef(root, raw);
    // The service sets it (an id, a creation time): a client does not send it.
    if (isObject(property) && property.readOnly === true) continue;
    const wanted =
      required === undefined ||
      required.includes(name) ||
      (isObject(property) && (property.example !== undefined || property.default !== undefined));
    if (wanted) out[name] = sampleValue(root, property, depth + 1);
  }
  return out;
}

function mergeAllOf(root: JsonObject, schema: JsonObject): JsonObject {
  const parts = (schema.allOf as unknown[]).map((p) => resolveRef(root, p)).filter(isObject);
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, isObject(part.properties) ? part.properties : {});
    if (Array.isArray(part.required)) required.push(...part.required.map(String));
  }
  return { type: 'object', properties, required };
}

/** The schema's type; OpenAPI 3.1 allows a list (`[string, "null"]`): its first that is not null. */
function typeOf(schema: unknown): string | undefined {
  if (!isObject(schema)) return undefined;
  const { type } = schema;
  if (Array.isArray(type)) return type.map(String).find((t) => t !== 'null') ?? 'null';
  if (typeof type === 'string') return type;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function isUniqueString(schema: JsonObject): boolean {
  return typeOf(schema) === 'string' && schema.format === 'email';
}

function numberIn(schema: JsonObject): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive =
    typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  const value = min ?? exclusive ?? 1;
  return max !== undefined && value > max ? max : value;
}

function sampleString(schema: JsonObject): string {
  switch (schema.format) {
    case 'email':
      return `${SEARCH_TERM}-{{uid}}@example.com`;
    case 'date-time':
      return '2025-01-01T00:00:00Z';
    case 'date':
      return '2025-01-01';
    case 'uri':
    case 'url':
      return `https://example.com/${SEARCH_TERM}`;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const unique = `${SEARCH_TERM} {{uid}}`;
  // {{uid}} holds the run id and the scenario's name (up to some 100 characters): a field with a
  // tighter limit or a pattern gets the plain word.
  if (max >= 120 && typeof schema.pattern !== 'string') return unique;
  return SEARCH_TERM.slice(0, Math.max(1, Math.min(max, SEARCH_TERM.length)));
}
