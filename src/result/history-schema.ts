/**
 * The zod schema of the history file (result/history.ts) and its parser: a file that is not a
 * history, has another schema version or a malformed run is a HistoryError naming the source and
 * the first problems (the run by its index). Keep in step with history.ts: the type assertion at
 * the bottom fails to compile when the two drift apart.
 */
import { z } from 'zod';
import { HISTORY_SCHEMA_VERSION, type History } from './history.js';
import { pathText } from './schema.js';

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const nonNeg = num.refine((v) => v >= 0, 'expected a number ≥ 0');
const values = z.array(nonNeg).min(1).max(10_000);

const historyRun = z.strictObject({
  commit: z.string().max(100).nullable(),
  ref: z.string().max(300).optional(),
  startedAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO 8601 time'),
  runId: num.optional(),
  configHash: z.string().max(100),
  profile: z.string().max(300),
  machine: z.strictObject({ hash: z.string().max(100), description: z.string().max(500) }),
  probe: z.strictObject({ cpuMs: nonNeg, memoryMs: nonNeg, version: num.optional() }).optional(),
  accepted: z
    .strictObject({
      label: z.string().max(100),
      pullRequest: num.optional(),
      scenarios: z.array(z.string().max(200)).max(1000),
    })
    .optional(),
  scenarios: z.record(
    z.string().max(200),
    z.partialRecord(z.enum(['p95', 'p99', 'throughput', 'errorRate', 'dbP95']), values),
  ),
});

export const historySchema = z.strictObject({
  schemaVersion: z.literal(HISTORY_SCHEMA_VERSION),
  runs: z.array(historyRun).max(10_000),
});

/** A history file that cannot be used: names the source and what is wrong. */
export class HistoryError extends Error {
  readonly source: string;
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'HistoryError';
    this.source = source;
  }
}

/**
 * Validate a history. `json` is the parsed document or its text. Throws HistoryError naming
 * `source` and the first problems found.
 */
export function parseHistory(json: unknown, source: string): History {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json) as unknown;
    } catch (e) {
      throw new HistoryError(source, `not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new HistoryError(source, 'not a loadgate history: expected a JSON object');
  }
  const version = (doc as Record<string, unknown>)['schemaVersion'];
  if (!Array.isArray((doc as Record<string, unknown>)['runs']) || version === undefined) {
    throw new HistoryError(source, 'not a loadgate history (no schemaVersion or runs)');
  }
  if (version !== HISTORY_SCHEMA_VERSION) {
    throw new HistoryError(
      source,
      `history schema version ${JSON.stringify(version)} is not supported (this loadgate reads version ${HISTORY_SCHEMA_VERSION})`,
    );
  }
  const parsed = historySchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const shown = issues
      .slice(0, 5)
      .map((i) => `${pathText(i.path)}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new HistoryError(source, `invalid loadgate history: ${shown}${more}`);
  }
  return parsed.data;
}

// Compile-time check that the schema and the History type describe the same document.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Parsed = z.infer<typeof historySchema>;
const _schemaMatchesType: [Equals<Parsed, History>] extends [true] ? true : never = true;
void _schemaMatchesType;
