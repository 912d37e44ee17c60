import { z } from 'zod';

/**
 * The scenarios file (`loadgate.yml`, YAML or JSON). Every field is optional: an empty file means
 * "the built-in admin preset with its defaults". Strict objects, so a typo is an error that names
 * the key instead of a silently ignored setting.
 */

const positiveSeconds = z.number().positive().max(86_400);

export const slaSchema = z
  .object({
    p95Ms: z.number().positive().optional(),
    p99Ms: z.number().positive().optional(),
    minThroughput: z.number().nonnegative().optional(),
    maxErrorRate: z.number().min(0).max(1).optional(),
    dbP95Ms: z.number().positive().optional(),
    maxRequestMs: z.number().positive().optional(),
    maxRssMb: z.number().positive().optional(),
    maxCpuPercent: z.number().positive().max(100).optional(),
    maxPgConnections: z.number().int().positive().optional(),
    maxRedisMb: z.number().positive().optional(),
  })
  .strict();

const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** A JSON body template: any JSON value whose strings may hold `{{placeholders}}`. */
const bodyTemplate: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(bodyTemplate),
    z.record(z.string(), bodyTemplate),
  ]),
);

export const requestSchema = z
  .object({
    name: z.string().min(1).max(80),
    method: httpMethod.default('GET'),
    /** Path (and query) relative to the base URL; may hold placeholders. */
    path: z.string().startsWith('/'),
    headers: z.record(z.string(), z.string()).optional(),
    body: bodyTemplate.optional(),
    /** Status that counts as success. */
    expect: z.number().int().min(100).max(599).default(200),
    /** Relative share of this request in the scenario's mix. */
    weight: z.number().positive().default(1),
  })
  .strict();

export const setupStepSchema = z
  .object({
    /** Name of the pool the captured values go into. */
    pool: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a pool name is letters, digits and _'),
    /** How many requests to send. */
    count: z.number().int().positive().max(200_000),
    request: requestSchema
      .omit({ weight: true, name: true })
      .extend({ name: z.string().optional() }),
    /** Dotted path of the value to capture from each JSON response (e.g. `id`). */
    capture: z.string().min(1).default('id'),
    concurrency: z.number().int().positive().max(256).default(16),
  })
  .strict();

export const kindSchema = z.enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery']);

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'letters, digits, . _ - (≤ 80)'),
    kind: kindSchema.default('load'),
    description: z.string().max(500).optional(),
    /** Pools this scenario reads (`{{pool.NAME}}`); filled by setup steps. */
    setup: z.array(setupStepSchema).default([]),
    requests: z.array(requestSchema).min(1),
    connections: z.number().int().positive().max(10_000).optional(),
    /** Target requests per second for the whole scenario (open-ish model); absent = as fast as the connections go. */
    rate: z.number().positive().optional(),
    warmupSeconds: z.number().min(0).max(3600).optional(),
    trialSeconds: positiveSeconds.optional(),
    trials: z.number().int().min(1).max(100).optional(),
    timeoutSeconds: positiveSeconds.optional(),
    sla: slaSchema.optional(),
    /** Which profiles include this scenario; default: all load profiles. */
    profiles: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const defaultsSchema = z
  .object({
    connections: z.number().int().positive().max(10_000).optional(),
    warmupSeconds: z.number().min(0).max(3600).optional(),
    trialSeconds: positiveSeconds.optional(),
    trials: z.number().int().min(1).max(100).optional(),
    timeoutSeconds: positiveSeconds.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    sla: slaSchema.optional(),
  })
  .strict();

export const configFileSchema = z
  .object({
    version: z.literal(1).default(1),
    /** Include the built-in admin preset (`admin`) or not (`none`). */
    preset: z.enum(['admin', 'none']).default('admin'),
    /** Base path of the admin API for the preset. */
    adminBasePath: z.string().startsWith('/').optional(),
    defaults: defaultsSchema.default({}),
    /** Scenarios; one with a preset scenario's name replaces it. */
    scenarios: z.array(scenarioSchema).default([]),
    /** Preset scenarios to leave out, by name. */
    exclude: z.array(z.string()).default([]),
    /** Seed for every random choice the load makes (pool picks, request mix). */
    seed: z.number().int().nonnegative().default(1),
  })
  .strict();

export type SlaConfig = z.infer<typeof slaSchema>;
export type RequestConfig = z.infer<typeof requestSchema>;
export type SetupStepConfig = z.infer<typeof setupStepSchema>;
export type ScenarioConfig = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
