import { z } from 'zod';
import { configFileSchema } from './schema.js';

/** The JSON Schema of `loadgate.yml`, published as schema/loadgate.schema.json for editors. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configFileSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/loadgate/loadgate/schema/loadgate.schema.json',
    title: 'loadgate scenarios file',
  };
}
