import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../../src/config/json-schema.js';

/** Every property of every object in a JSON Schema, with its path (`scenarios[].sla.p95Ms`). */
function properties(node: unknown, path = ''): { path: string; schema: Record<string, unknown> }[] {
  if (Array.isArray(node)) return node.flatMap((item) => properties(item, path));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = Object.entries((record.properties ?? {}) as Record<string, Record<string, unknown>>);
  return [
    ...own.map(([name, schema]) => ({ path: `${path}.${name}`, schema })),
    ...own.flatMap(([name, schema]) => properties(schema, `${path}.${name}`)),
    ...Object.entries(record)
      .filter(([key]) => key !== 'properties')
      .flatMap(([key, value]) => properties(value, key === 'items' ? `${path}[]` : path)),
  ];
}

describe('the JSON Schema of loadgate.yml', () => {
  const schema = configJsonSchema();

  it('describes every property (hover help in editors)', () => {
    const all = properties(schema);
    expect(all.length).toBeGreaterThan(60);
    const undescribed = all.filter(
      ({ schema: s }) => typeof s.description !== 'string' || s.description.length < 10,
    );
    expect(undescribed.map((p) => p.path)).toEqual([]);
  });

  it('is the file the build publishes (npm run build wrote it from the zod schema)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../../schema/loadgate.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(published).toEqual(schema);
  });
});
