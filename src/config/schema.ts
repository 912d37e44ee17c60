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
    // Per-kind checks (src/kinds, docs in result/types.ts SlaThresholds).
    maxBulkMs: z.number().positive().optional(),
    maxRecoverySeconds: z.number().nonnegative().optional(),
    maxLeakMbPerMin: z.number().positive().optional(),
    maxP95SlopeMsPerMin: z.number().positive().optional(),
    maxServerErrors: z.number().int().nonnegative().optional(),
    minValidSuccessRate: z.number().min(0).max(1).optional(),
    healthAfter: z.number().int().min(0).max(1).optional(),
    minKneeThroughput: z.number().nonnegative().optional(),
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

// Per-kind settings: each applies only to scenarios of its kind; defaults live here.

/** Step the connections start, start·factor, … up to max (max itself is the last step). */
export const stressSettingsSchema = z
  .object({
    startConnections: z.number().int().positive().max(10_000).default(1),
    maxConnections: z.number().int().positive().max(10_000).default(1000),
    factor: z.number().min(1.1).max(10).default(2),
    stepSeconds: positiveSeconds.default(2),
  })
  .strict()
  .refine((s) => s.maxConnections >= s.startConnections, {
    message: 'maxConnections must be ≥ startConnections',
  });

/** Base load for baseSeconds, base + a burst to multiplier × connections for spikeSeconds, base again for afterSeconds. */
export const spikeSettingsSchema = z
  .object({
    multiplier: z.number().min(1.5).max(1000).default(10),
    baseSeconds: positiveSeconds.default(5),
    spikeSeconds: positiveSeconds.default(5),
    afterSeconds: positiveSeconds.default(10),
    /** A second counts as recovered when its p95 is within this factor of the base p95. */
    recoveryTolerance: z.number().min(1).max(100).default(1.5),
    /** …and so many consecutive seconds stay within it. */
    recoveryHoldSeconds: z.number().int().min(1).max(600).default(2),
  })
  .strict();

/** Seed the table through the admin API (or `seedCommand`), then list/search trials, then one bulk action. */
export const volumeSettingsSchema = z
  .object({
    admins: z.number().int().min(1).max(1_000_000).default(10_000),
    /** Permission associations, spread evenly over the seeded admins (one grant request each). */
    grants: z.number().int().min(0).max(10_000_000).default(100_000),
    bulkUsers: z.number().int().min(0).max(1000).default(1000),
    bulkAction: z.enum(['activate', 'deactivate', 'delete']).default('deactivate'),
    /** Shell command that seeds instead of the API (env: LOADGATE_BASE_URL, LOADGATE_TOKEN, LOADGATE_ADMINS, LOADGATE_GRANTS). */
    seedCommand: z.string().min(1).optional(),
    seedConcurrency: z.number().int().positive().max(256).default(16),
    seedTimeoutSeconds: positiveSeconds.default(900),
  })
  .strict();

/** One continuous run cut into windows; RSS and p95 trends over the last two thirds. */
export const soakSettingsSchema = z
  .object({
    seconds: positiveSeconds.default(60),
    /** Target req/s; absent: half the knee of a stress scenario earlier in the run, else the scenario's connections flat out. */
    rate: z.number().positive().optional(),
    windowSeconds: positiveSeconds.default(5),
    /** Share of a stress knee to run at when no rate is set. */
    kneeShare: z.number().positive().max(1).default(0.5),
    /**
     * A leak must also have grown RSS by this much over the fitted stretch: below it, heap and
     * allocator steps dominate (a clean service here drifts 1–2 MB in 40 s). So a short soak
     * only catches fast leaks; a long one is held to maxLeakMbPerMin.
     */
    minLeakGrowthMb: z.number().nonnegative().default(10),
    /** Likewise for degradation: p95 must have grown this much over the fitted stretch. */
    minP95GrowthMs: z.number().nonnegative().default(10),
  })
  .strict();

/** A share of invalid requests (requests whose `expect` is 4xx) among valid ones; health after. */
export const recoverySettingsSchema = z
  .object({
    /** Rescales the invalid requests' weights to this share of the mix; absent: the weights as given. */
    invalidShare: z.number().min(0).max(1).optional(),
    /** Path probed after the trials (relative to the base URL). */
    healthPath: z.string().startsWith('/').default('/health'),
  })
  .strict();

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
    /** Which profiles include this scenario; default: `pr` and `load` for load, else `<kind>` and `full`. */
    profiles: z.array(z.string().min(1)).optional(),
    stress: stressSettingsSchema.optional(),
    spike: spikeSettingsSchema.optional(),
    volume: volumeSettingsSchema.optional(),
    soak: soakSettingsSchema.optional(),
    recovery: recoverySettingsSchema.optional(),
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

/**
 * The preset a file without `preset:` runs; with `preset: none`, its volume seeding and hints
 * still serve the file's own scenarios (config/plan.ts).
 */
export const DEFAULT_PRESET = 'admin';

export const configFileSchema = z
  .object({
    version: z.literal(1).default(1),
    /** Include the built-in admin preset (`admin`) or not (`none`). */
    preset: z.enum([DEFAULT_PRESET, 'none']).default(DEFAULT_PRESET),
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
