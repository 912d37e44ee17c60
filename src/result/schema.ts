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
import { kindResult } from './kind-schema.js';
import {
  num,
  nonNeg,
  trialMetrics,
  trialSuspicion,
  endpointMetrics,
  secondPoint,
  resourceSample,
  resourceSummary,
  trialShardDetail,
  scenarioShare,
  shardInfo,
  environmentFingerprint,
  machineProbe,
  mergedFrom,
} from './schema-parts.js';

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
  round: z.number().int().nonnegative().optional(),
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

const testKind = z.enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery']);

const scenarioMeasured = z.object({
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

const scenarioResult = scenarioMeasured.extend({ solo: scenarioMeasured.optional() });

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
      schedule: z.enum(['duet', 'interleaved']).optional(),
      serviceCpus: z.string().optional(),
      layout: z.enum(['fixed', 'random']).optional(),
      rounds: z.number().int().min(1).optional(),
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

/** Where in a JSON document a validation problem is: `scenarios[2].trials`. */
export function pathText(path: readonly PropertyKey[]): string {
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
