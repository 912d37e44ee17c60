import { z } from 'zod';

/**
 * The scenarios file (`loadgate.yml`, YAML or JSON). Every field is optional: no file means "the
 * built-in admin preset with its defaults"; a file with scenarios of its own runs only those
 * unless it says `preset: admin`. Strict objects, so a typo is an error that names the key
 * instead of a silently ignored setting. Every field is described (`.describe`): the published
 * JSON Schema (schema/loadgate.schema.json) carries the texts to editors as hover help, and a unit
 * test holds every property to having one.
 */

const positiveSeconds = z.number().positive().max(86_400);

export const slaSchema = z
  .object({
    p95Ms: z
      .number()
      .positive()
      .optional()
      .describe("Highest p95 latency, ms: the median over the trials of each trial's p95."),
    p99Ms: z
      .number()
      .positive()
      .optional()
      .describe("Highest p99 latency, ms: the median over the trials of each trial's p99."),
    minThroughput: z
      .number()
      .nonnegative()
      .optional()
      .describe('Lowest throughput, requests per second: the median over the trials.'),
    maxErrorRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        'Highest error rate, 0 to 1 (0.01 = 1 %): unexpected statuses, socket errors and timeouts, the median over the trials. Default 0.01.',
      ),
    dbP95Ms: z
      .number()
      .positive()
      .optional()
      .describe(
        "Highest database time p95, ms, from the service's `Server-Timing: db;dur=…` header (not checked when it sends none).",
      ),
    maxRequestMs: z
      .number()
      .positive()
      .optional()
      .describe('Longest single request of any trial, ms.'),
    maxRssMb: z
      .number()
      .positive()
      .optional()
      .describe(
        "Highest RSS of the service's process tree, MB: its peak over the trials (a service loadgate starts).",
      ),
    maxCpuPercent: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe(
        "Highest sustained CPU of the service's process tree, percent of the whole machine (100 = every core): the mean over the trials.",
      ),
    maxPgConnections: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "Most Postgres connections of the service's database at once (needs postgres-url / --postgres-url).",
      ),
    maxRedisMb: z
      .number()
      .positive()
      .optional()
      .describe('Highest Redis used_memory, MB (needs redis-url / --redis-url).'),
    // Per-kind checks (src/kinds, docs in result/types.ts SlaThresholds).
    maxBulkMs: z
      .number()
      .positive()
      .optional()
      .describe(
        "volume: longest the bulk action may take, ms. Default: the preset's figure per 100 records, scaled to bulkUsers.",
      ),
    maxRecoverySeconds: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        'spike: most seconds after the burst until the per-second p95 is back within the tolerance. Default 5.',
      ),
    maxLeakMbPerMin: z
      .number()
      .positive()
      .optional()
      .describe(
        "soak: highest RSS slope, MB/min; a leak also needs the slope's 95 % lower bound above 0. Default 1.",
      ),
    maxP95SlopeMsPerMin: z
      .number()
      .positive()
      .optional()
      .describe(
        "soak: highest p95 slope, ms/min; a degradation also needs the slope's 95 % lower bound above 0. Default 5.",
      ),
    maxServerErrors: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('recovery: most 5xx answers allowed, to any request. Default 0.'),
    minValidSuccessRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('recovery: share of the valid requests that must succeed, 0 to 1. Default 0.99.'),
    healthAfter: z
      .number()
      .int()
      .min(0)
      .max(1)
      .optional()
      .describe(
        'recovery: 1 = the health path must answer 2xx after the run (default); 0 = not checked.',
      ),
    minKneeThroughput: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        "stress: the knee's throughput (the highest within the SLA) must reach this, requests per second.",
      ),
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

const PLACEHOLDERS =
  'Placeholders: {{seq}}, {{uid}} (unique across runs), {{pool.NAME}}, {{pool.NAME:N}}, {{token}}, {{env.NAME}}.';

const headersSchema = z.record(z.string(), z.string());

export const requestSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(80)
      .describe('Name of the request: the report shows latency per request name (endpoint).'),
    method: httpMethod.default('GET').describe('HTTP method. Default GET.'),
    path: z
      .string()
      .startsWith('/')
      .describe(`Path and query, relative to the base URL (starts with /). ${PLACEHOLDERS}`),
    headers: headersSchema
      .optional()
      .describe(
        'Headers of this request, over the defaults (names are case-insensitive). Values may hold placeholders, e.g. "Bearer {{env.API_TOKEN}}".',
      ),
    body: bodyTemplate
      .optional()
      .describe(
        `JSON body (sent with content-type: application/json); its strings may hold placeholders. ${PLACEHOLDERS}`,
      ),
    expect: z
      .number()
      .int()
      .min(100)
      .max(599)
      .default(200)
      .describe('The status that counts as success; any other is an error. Default 200.'),
    weight: z
      .number()
      .positive()
      .default(1)
      .describe("Relative share of this request in the scenario's mix. Default 1."),
  })
  .strict();

export const setupStepSchema = z
  .object({
    pool: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a pool name is letters, digits and _')
      .describe('Name of the pool the captured values go into; requests read it as {{pool.NAME}}.'),
    count: z
      .number()
      .int()
      .positive()
      .max(200_000)
      .describe('How many requests to send (how many values the pool gets).'),
    request: requestSchema
      .omit({ weight: true, name: true })
      .extend({
        name: z.string().optional().describe('Name of the request, for messages.'),
      })
      .describe(
        'The request that creates one record (not measured), e.g. a POST whose answer holds its id.',
      ),
    capture: z
      .string()
      .min(1)
      .default('id')
      .describe(
        'Dotted path of the value to keep from each JSON answer (e.g. id, data.id). Default id.',
      ),
    concurrency: z
      .number()
      .int()
      .positive()
      .max(256)
      .default(16)
      .describe('Setup requests in flight at once. Default 16.'),
  })
  .strict();

export const kindSchema = z
  .enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery'])
  .describe(
    'load: trials at fixed connections; stress: steps the connections up until the SLA breaks; spike: a burst and the recovery; volume: seeds many records, then reads them; soak: a long run for leaks; recovery: invalid requests mixed in. Default load.',
  );

// Per-kind settings: each applies only to scenarios of its kind; defaults live here.

/** Step the connections start, start·factor, … up to max (max itself is the last step). */
export const stressSettingsSchema = z
  .object({
    startConnections: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(1)
      .describe('Connections of the first step. Default 1.'),
    maxConnections: z
      .number()
      .int()
      .positive()
      .max(10_000)
      .default(1000)
      .describe('Connections of the last step. Default 1000.'),
    factor: z
      .number()
      .min(1.1)
      .max(10)
      .default(2)
      .describe('Each step has this many times the connections of the one before. Default 2.'),
    stepSeconds: positiveSeconds.default(2).describe('Seconds of each step. Default 2.'),
  })
  .strict()
  .refine((s) => s.maxConnections >= s.startConnections, {
    message: 'maxConnections must be ≥ startConnections',
  });

/** Base load for baseSeconds, base + a burst to multiplier × connections for spikeSeconds, base again for afterSeconds. */
export const spikeSettingsSchema = z
  .object({
    multiplier: z
      .number()
      .min(1.5)
      .max(1000)
      .default(10)
      .describe('The burst has this many times the connections of the base load. Default 10.'),
    baseSeconds: positiveSeconds
      .default(5)
      .describe('Seconds of base load before the burst. Default 5.'),
    spikeSeconds: positiveSeconds.default(5).describe('Seconds of the burst. Default 5.'),
    afterSeconds: positiveSeconds
      .default(10)
      .describe('Seconds of base load after the burst, to see it recover. Default 10.'),
    recoveryTolerance: z
      .number()
      .min(1)
      .max(100)
      .default(1.5)
      .describe(
        'A second counts as recovered when its p95 is within this factor of the base p95. Default 1.5.',
      ),
    recoveryHoldSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(2)
      .describe('…and so many seconds in a row stay within it. Default 2.'),
  })
  .strict();

/** Seed the table through the admin API (or `seedCommand`), then list/search trials, then one bulk action. */
export const volumeSettingsSchema = z
  .object({
    admins: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(10_000)
      .describe("Records to seed through the preset's API before the trials. Default 10000."),
    grants: z
      .number()
      .int()
      .min(0)
      .max(10_000_000)
      .default(100_000)
      .describe(
        'Permission associations, spread evenly over the seeded records (one grant request each). Default 100000.',
      ),
    bulkUsers: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(1000)
      .describe('Records the bulk action acts on (0 = no bulk action). Default 1000.'),
    bulkAction: z
      .enum(['activate', 'deactivate', 'delete'])
      .default('deactivate')
      .describe('The bulk action. Default deactivate.'),
    seedCommand: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Shell command that seeds instead of the API (env: LOADGATE_BASE_URL, LOADGATE_TOKEN, LOADGATE_ADMINS, LOADGATE_GRANTS).',
      ),
    seedConcurrency: z
      .number()
      .int()
      .positive()
      .max(256)
      .default(16)
      .describe('Seeding requests in flight at once. Default 16.'),
    seedTimeoutSeconds: positiveSeconds
      .default(900)
      .describe('Seconds the seeding may take before the scenario fails. Default 900.'),
  })
  .strict();

/** One continuous run cut into windows; RSS and p95 trends over the last two thirds. */
export const soakSettingsSchema = z
  .object({
    seconds: positiveSeconds.default(60).describe('Length of the soak, seconds. Default 60.'),
    rate: z
      .number()
      .positive()
      .optional()
      .describe(
        "Target requests per second; absent: half the knee of a stress scenario earlier in the run, else the scenario's connections flat out.",
      ),
    windowSeconds: positiveSeconds
      .default(5)
      .describe('Seconds of each window the trends are fitted over. Default 5.'),
    kneeShare: z
      .number()
      .positive()
      .max(1)
      .default(0.5)
      .describe('Share of a stress knee to run at when no rate is set. Default 0.5.'),
    /**
     * A leak must also have grown RSS by this much over the fitted stretch: below it, heap and
     * allocator steps dominate (a clean service drifts a few MB over a short soak). So a short
     * soak only catches fast leaks; a long one is held to maxLeakMbPerMin.
     */
    minLeakGrowthMb: z
      .number()
      .nonnegative()
      .default(10)
      .describe(
        'A leak must also have grown RSS by this many MB over the fitted stretch. Default 10.',
      ),
    minP95GrowthMs: z
      .number()
      .nonnegative()
      .default(10)
      .describe(
        'A degradation must also have grown p95 by this many ms over the fitted stretch. Default 10.',
      ),
  })
  .strict();

/** A share of invalid requests (requests whose `expect` is 4xx) among valid ones; health after. */
export const recoverySettingsSchema = z
  .object({
    invalidShare: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        "Rescales the invalid requests' weights (those expecting a 4xx) to this share of the mix; absent: the weights as given.",
      ),
    healthPath: z
      .string()
      .startsWith('/')
      .default('/health')
      .describe('Path probed after the trials, relative to the base URL. Default /health.'),
  })
  .strict();

const connections = z.number().int().positive().max(10_000);
const warmupSeconds = z.number().min(0).max(3600);
const trials = z.number().int().min(1).max(100);

export const scenarioSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'letters, digits, . _ - (≤ 80)')
      .describe(
        'Name of the scenario (letters, digits, . _ -); a preset scenario of the same name is replaced.',
      ),
    kind: kindSchema.default('load'),
    description: z
      .string()
      .max(500)
      .optional()
      .describe('What the scenario measures, for the report.'),
    setup: z
      .array(setupStepSchema)
      .default([])
      .describe(
        'Steps that fill pools (e.g. ids of created records) before the load; not measured.',
      ),
    requests: z
      .array(requestSchema)
      .min(1)
      .describe('The requests of the load, sent in a seeded mix by their weights.'),
    connections: connections
      .optional()
      .describe('Concurrent connections (each keeps one request in flight). Default 10.'),
    rate: z
      .number()
      .positive()
      .optional()
      .describe(
        'Target requests per second for the whole scenario (an arrival rate); absent: as fast as the connections go.',
      ),
    warmupSeconds: warmupSeconds
      .optional()
      .describe('Seconds of load before the trials, not recorded. Default 2 (1 side by side).'),
    trialSeconds: positiveSeconds
      .optional()
      .describe('Seconds of each trial. Default 2 (1 side by side).'),
    trials: trials
      .optional()
      .describe(
        'Trials of the scenario. Default 8. Side by side they are pairs (default 14) when ab-rounds is fixed; with a budget, rounds of 2 pairs go on until the scenario is decided.',
      ),
    timeoutSeconds: positiveSeconds
      .optional()
      .describe('A request unanswered after this many seconds is an error. Default 10.'),
    sla: slaSchema
      .optional()
      .describe(
        "This scenario's SLA, over the defaults' (every field optional: one not given is not checked).",
      ),
    profiles: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Profiles that include the scenario (--profile, input profile); default: pr and load for a load scenario, else its kind and full.',
      ),
    stress: stressSettingsSchema.optional().describe('Settings of a stress scenario.'),
    spike: spikeSettingsSchema.optional().describe('Settings of a spike scenario.'),
    volume: volumeSettingsSchema.optional().describe('Settings of a volume scenario.'),
    soak: soakSettingsSchema.optional().describe('Settings of a soak scenario.'),
    recovery: recoverySettingsSchema.optional().describe('Settings of a recovery scenario.'),
  })
  .strict();

export const defaultsSchema = z
  .object({
    connections: connections
      .optional()
      .describe('Concurrent connections of every scenario. Default 10.'),
    warmupSeconds: warmupSeconds
      .optional()
      .describe('Warm-up of every scenario, seconds. Default 2 (1 side by side).'),
    trialSeconds: positiveSeconds
      .optional()
      .describe('Length of every trial, seconds. Default 2 (1 side by side).'),
    trials: trials
      .optional()
      .describe(
        'Trials of every scenario. Default 8 (side by side: 14 pairs with a fixed ab-rounds).',
      ),
    timeoutSeconds: positiveSeconds
      .optional()
      .describe('Request timeout of every scenario, seconds. Default 10.'),
    headers: headersSchema
      .optional()
      .describe(
        'Headers of every request, setup steps included, e.g. authorization: "Bearer {{env.API_TOKEN}}". With preset admin, authorization is "Bearer {{token}}" unless given here.',
      ),
    sla: slaSchema
      .optional()
      .describe(
        "The SLA of every scenario, over the built-in one (error rate ≤ 1 %; with preset admin, the preset's numbers).",
      ),
  })
  .strict();

/**
 * The preset a file without `preset:` and without scenarios runs (and no file at all); with
 * `preset: none`, its volume seeding and hints still serve the file's own scenarios
 * (config/plan.ts).
 */
export const DEFAULT_PRESET = 'admin';

export const configFileSchema = z
  .object({
    version: z.literal(1).default(1).describe('Version of the file format: 1.'),
    preset: z
      .enum([DEFAULT_PRESET, 'none'])
      .optional()
      .describe(
        "admin: also run the built-in admin-API scenarios, with their bearer token header and the seed's SLA numbers; none: only this file's scenarios. Default: none when the file has scenarios, admin otherwise.",
      ),
    adminBasePath: z
      .string()
      .startsWith('/')
      .optional()
      .describe(
        "Base path of the API the admin preset drives. Default: the preset's own (docs/configuration.md).",
      ),
    defaults: defaultsSchema
      .default({})
      .describe('Settings every scenario gets unless it sets its own.'),
    scenarios: z
      .array(scenarioSchema)
      .default([])
      .describe("The scenarios; one with a preset scenario's name replaces it."),
    exclude: z
      .array(z.string())
      .default([])
      .describe('Preset scenarios to leave out, by name (with preset admin).'),
    seed: z
      .number()
      .int()
      .nonnegative()
      .default(1)
      .describe(
        'Seed of every random choice the load makes (pool picks, the request mix). Default 1.',
      ),
  })
  .strict();

export type RequestConfig = z.infer<typeof requestSchema>;
export type SetupStepConfig = z.infer<typeof setupStepSchema>;
export type ScenarioConfig = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
export type StressSettings = z.infer<typeof stressSettingsSchema>;
export type SpikeSettings = z.infer<typeof spikeSettingsSchema>;
export type VolumeSettings = z.infer<typeof volumeSettingsSchema>;
export type SoakSettings = z.infer<typeof soakSettingsSchema>;
export type RecoverySettings = z.infer<typeof recoverySettingsSchema>;
