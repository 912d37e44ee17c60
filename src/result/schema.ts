/**
 * The zod schema of RunResult (src/result/types.ts) and the reader that validates a result
 * read from disk: a corrupt or wrong-version file gets an error naming the file and what is
 * wrong. Keep in step with types.ts: the type assertion at the bottom fails to compile when
 * the two drift apart.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { RESULT_SCHEMA_VERSION } from './types.js';
import type { RunResult } from './types.js';

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const nonNeg = num.refine((v) => v >= 0, 'expected a number ≥ 0');

const trialMetrics = z.object({
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p90: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  p999: nonNeg,
  max: nonNeg,
  mean: nonNeg,
  errorRate: nonNeg.refine((v) => v <= 1, 'expected a share between 0 and 1'),
  errors: nonNeg,
  timeouts: nonNeg,
  unexpectedStatus: nonNeg,
  statusCodes: z.record(z.string(), nonNeg),
  dbP95: nonNeg.optional(),
  rateAchieved: nonNeg.optional(),
  closedBeforeResponse: nonNeg.optional(),
  answered: z
    .object({ requests: nonNeg, p50: nonNeg, p95: nonNeg, p99: nonNeg, mean: nonNeg, max: nonNeg })
    .optional(),
  attribution: z.object({ checked: nonNeg, mismatched: nonNeg, unresolved: nonNeg }).optional(),
});

const trialSuspicion = z.object({
  cause: z.enum([
    'latency-exceeds-littles-law',
    'latency-below-littles-law',
    'no-completed-requests',
  ]),
  message: z.string(),
  connections: nonNeg,
  throughput: nonNeg,
  expectedMeanMs: num,
  measuredMeanMs: nonNeg,
  ratio: nonNeg,
});

const endpointMetrics = z.object({
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  max: nonNeg,
  errors: nonNeg,
  dbP95: nonNeg.optional(),
  timeouts: nonNeg.optional(),
  closedBeforeResponse: nonNeg.optional(),
});

const secondPoint = z.object({ t: num, requests: nonNeg, p95: nonNeg, errors: nonNeg });

const resourceSample = z.object({
  t: num,
  cpuPercent: nonNeg,
  rssBytes: nonNeg,
  pgConnections: nonNeg.optional(),
  redisUsedBytes: nonNeg.optional(),
});

const resourceSummary = z.object({
  samples: nonNeg,
  cpuPercentPeak: nonNeg,
  cpuPercentMean: nonNeg,
  rssBytesPeak: nonNeg,
  rssBytesMean: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
  redisUsedBytesPeak: nonNeg.optional(),
});

// Shard results (run --shard) and merged ones: see result/merge.ts.
const encodedHistograms = z.record(z.string(), z.string());

const trialShardDetail = z.object({
  plannedAt: z.string(),
  lateMs: nonNeg,
  histogram: z.string(),
  answeredHistogram: z.string().optional(),
  endpointHistograms: encodedHistograms,
  dbHistogram: z.string().optional(),
  endpointDbHistograms: encodedHistograms.optional(),
  seconds: z.array(z.string()),
});

const scenarioShare = z.object({
  connections: nonNeg,
  rate: nonNeg.optional(),
  warmupSeconds: nonNeg,
});

const shardInfo = z.object({
  index: num.refine((v) => Number.isInteger(v) && v >= 1, 'expected a whole number ≥ 1'),
  count: num.refine((v) => Number.isInteger(v) && v >= 1, 'expected a whole number ≥ 1'),
  startAt: z.string().optional(),
  scheduleStart: z.string(),
});

const environmentFingerprint = z.object({
  cpuModel: z.string(),
  cores: num.refine((v) => v >= 1, 'expected at least 1 core'),
  memoryBytes: nonNeg,
  os: z.string(),
  nodeVersion: z.string(),
  hash: z.string(),
  kernel: z.string().optional(),
  runnerImage: z.string().optional(),
  fingerprint: z.string().optional(),
});

const probeScore = z.object({ cpuMs: nonNeg, memoryMs: nonNeg });
const machineProbe = z.object({
  version: num,
  before: probeScore,
  after: probeScore.optional(),
  score: probeScore,
});

const mergedFrom = z.object({
  count: nonNeg,
  startAt: z.string().optional(),
  shards: z.array(
    z.object({
      index: nonNeg,
      environment: environmentFingerprint,
      startedAt: z.string(),
      scenarios: z.record(
        z.string(),
        z.object({
          connections: nonNeg,
          rate: nonNeg.optional(),
          generatorCpuPercent: nonNeg,
          maxLateMs: nonNeg,
          resources: resourceSummary,
        }),
      ),
    }),
  ),
});

const trialResult = z.object({
  index: num,
  startedAt: z.string(),
  durationSeconds: nonNeg,
  metrics: trialMetrics,
  endpoints: z.record(z.string(), endpointMetrics),
  series: z.array(secondPoint),
  resources: z.object({ samples: z.array(resourceSample), summary: resourceSummary }),
  generatorCpuPercent: nonNeg,
  suspect: trialSuspicion.optional(),
  shard: trialShardDetail.optional(),
});

const slaThresholds = z.object({
  p95Ms: nonNeg.optional(),
  p99Ms: nonNeg.optional(),
  minThroughput: nonNeg.optional(),
  maxErrorRate: nonNeg.optional(),
  dbP95Ms: nonNeg.optional(),
  maxRequestMs: nonNeg.optional(),
  maxRssMb: nonNeg.optional(),
  maxCpuPercent: nonNeg.optional(),
  maxPgConnections: nonNeg.optional(),
  maxRedisMb: nonNeg.optional(),
  maxBulkMs: nonNeg.optional(),
  maxRecoverySeconds: nonNeg.optional(),
  maxLeakMbPerMin: nonNeg.optional(),
  maxP95SlopeMsPerMin: nonNeg.optional(),
  maxServerErrors: nonNeg.optional(),
  minValidSuccessRate: nonNeg.optional(),
  healthAfter: nonNeg.optional(),
  minKneeThroughput: nonNeg.optional(),
});

const phaseMetrics = z.object({
  connections: nonNeg,
  seconds: nonNeg,
  requests: nonNeg,
  throughput: nonNeg,
  p50: nonNeg,
  p95: nonNeg,
  p99: nonNeg,
  max: nonNeg,
  errorRate: nonNeg,
  timeouts: nonNeg,
  suspect: trialSuspicion.optional(),
});

const stressResult = z.object({
  kind: z.literal('stress'),
  steps: z.array(
    phaseMetrics.extend({
      rssPeakBytes: nonNeg,
      cpuPercentMean: nonNeg,
      pgConnectionsPeak: nonNeg.optional(),
      generatorCpuPercent: nonNeg,
      withinSla: z.boolean(),
    }),
  ),
  knee: z.object({ connections: nonNeg, throughput: nonNeg, p95: nonNeg }).nullable(),
  breakingPoint: z.object({ connections: nonNeg, reason: z.string() }).nullable(),
  peakRssBytes: nonNeg,
  pgConnectionsPeak: nonNeg.optional(),
});

const spikeResult = z.object({
  kind: z.literal('spike'),
  base: phaseMetrics,
  spike: phaseMetrics,
  after: phaseMetrics,
  series: z.array(secondPoint),
  spikeStartSecond: nonNeg,
  spikeEndSecond: nonNeg,
  recoveryThresholdMs: nonNeg,
  recoverySeconds: nonNeg.nullable(),
});

const volumeResult = z.object({
  kind: z.literal('volume'),
  seeded: z.object({
    method: z.enum(['api', 'command']),
    admins: nonNeg,
    grants: nonNeg,
    seconds: nonNeg,
    adminSeconds: nonNeg.optional(),
    grantSeconds: nonNeg.optional(),
    failedRequests: nonNeg,
  }),
  bulk: z
    .object({
      users: nonNeg,
      action: z.string(),
      durationMs: nonNeg,
      status: num,
      ok: z.boolean(),
    })
    .nullable(),
});

const trendSummary = z.object({
  slope: num,
  slopeLower: num,
  slopeUpper: num,
  r2: nonNeg,
  points: nonNeg,
  fromMinute: nonNeg,
  toMinute: nonNeg,
});

const soakResult = z.object({
  kind: z.literal('soak'),
  seconds: nonNeg,
  connections: nonNeg,
  rate: nonNeg.optional(),
  rateSource: z.enum(['config', 'knee', 'none']),
  windowSeconds: nonNeg,
  windows: z.array(
    z.object({
      t: nonNeg,
      seconds: nonNeg,
      throughput: nonNeg,
      p95: nonNeg,
      errorRate: nonNeg,
      rssMb: nonNeg.nullable(),
    }),
  ),
  rss: trendSummary.nullable(),
  p95: trendSummary.nullable(),
  leakThresholdMbPerMin: nonNeg.nullable(),
  p95ThresholdMsPerMin: nonNeg.nullable(),
  leak: z.boolean(),
  degradation: z.boolean(),
});

const recoveryResult = z.object({
  kind: z.literal('recovery'),
  invalid: z.object({ requests: nonNeg, fourxx: nonNeg, fivexx: nonNeg, other: nonNeg }),
  valid: z.object({ requests: nonNeg, succeeded: nonNeg, fivexx: nonNeg }),
  validSuccessRate: nonNeg,
  healthAfter: z.object({ ok: z.boolean(), status: num.nullable(), ms: nonNeg.nullable() }),
});

const kindResult = z.discriminatedUnion('kind', [
  stressResult,
  spikeResult,
  volumeResult,
  soakResult,
  recoveryResult,
]);

const testKind = z.enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery']);

const scenarioResult = z.object({
  name: z.string().min(1),
  kind: testKind,
  description: z.string().optional(),
  settings: z.object({
    connections: nonNeg,
    rate: nonNeg.optional(),
    warmupSeconds: nonNeg,
    trialSeconds: nonNeg,
    trials: nonNeg,
  }),
  sla: slaThresholds,
  trials: z.array(trialResult),
  histogram: z.string(),
  endpointHistograms: z.record(z.string(), z.string()),
  dbHistogram: z.string().optional(),
  resources: resourceSummary,
  generatorSaturated: z.boolean(),
  failure: z.string().optional(),
  kindResult: kindResult.optional(),
  shard: scenarioShare.optional(),
});

const gatedMetric = z.enum(['p95', 'p99', 'throughput', 'errorRate', 'dbP95']);

const abSide = z.object({
  git: z.object({ sha: z.string().optional(), ref: z.string().optional() }).optional(),
  baseUrl: z.string(),
  origin: z.string().optional(),
});

export const runResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('loadgate'), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  git: z.object({ sha: z.string().optional(), ref: z.string().optional() }).optional(),
  environment: environmentFingerprint,
  config: z.object({ hash: z.string(), profile: z.string(), source: z.string() }),
  target: z.object({ baseUrl: z.string() }),
  scenarios: z.array(scenarioResult),
  noiseFloor: z.record(z.string(), z.partialRecord(gatedMetric, nonNeg)).optional(),
  ab: z
    .object({
      seed: num,
      base: abSide.extend({ scenarios: z.array(scenarioResult) }),
      head: abSide,
      order: z.record(z.string(), z.array(z.enum(['base-first', 'head-first']))),
    })
    .optional(),
  warnings: z.array(z.string()).optional(),
  shard: shardInfo.optional(),
  merged: mergedFrom.optional(),
  partial: z
    .object({ completed: nonNeg, planned: nonNeg, reason: z.string().optional() })
    .optional(),
  probe: machineProbe.optional(),
});

/** A result file that cannot be used: names the source and what is wrong. */
export class RunResultError extends Error {
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'RunResultError';
    this.source = source;
  }
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/**
 * Validate a RunResult. `json` is the parsed document, or its text (parsed here).
 * Throws RunResultError naming `sourceName` and the first problems found.
 */
export function parseRunResult(json: unknown, sourceName: string): RunResult {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (e) {
      throw new RunResultError(sourceName, `not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new RunResultError(sourceName, 'not a loadgate result: expected a JSON object');
  }
  const record = doc as Record<string, unknown>;
  const tool = record['tool'] as { name?: unknown } | undefined;
  if (!('schemaVersion' in record) || typeof tool !== 'object' || tool?.name !== 'loadgate') {
    throw new RunResultError(
      sourceName,
      'not a loadgate result (no schemaVersion or tool.name is not "loadgate")',
    );
  }
  if (record['schemaVersion'] !== RESULT_SCHEMA_VERSION) {
    throw new RunResultError(
      sourceName,
      `result schema version ${JSON.stringify(record['schemaVersion'])} is not supported (this loadgate reads version ${RESULT_SCHEMA_VERSION}); re-run the baseline with this version`,
    );
  }
  const parsed = runResultSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 5)
      .map((i) => `${pathText(i.path)}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new RunResultError(sourceName, `invalid loadgate result: ${shown}${more}`);
  }
  return parsed.data;
}

/** Read and validate a RunResult file. Missing or unreadable → RunResultError naming the file. */
export async function readRunResult(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunResultError(
      path,
      code === 'ENOENT' ? 'file not found' : `cannot read (${(e as Error).message})`,
    );
  }
  return parseRunResult(text, path);
}

// Compile-time check that the schema and the RunResult type describe the same document.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Parsed = z.infer<typeof runResultSchema>;
const _schemaMatchesType: [Equals<Parsed, RunResult>] extends [true] ? true : never = true;
void _schemaMatchesType;
