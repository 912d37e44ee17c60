/**
 * The history file's zod schema (the one description of it, from which its types follow:
 * result/history.ts re-exports them) and its parser: a file that is not a history, has another
 * schema version or a malformed run is a HistoryError naming the source and the first problems
 * (the run by its index).
 */
import { z } from 'zod';
import { jsonObject, nonNeg, num, StoredDocumentError, validated } from './document.js';
import { probeScore } from './machine-schema.js';
import { gatedMetric } from './measurement-schema.js';

export const HISTORY_SCHEMA_VERSION = 1 as const;

const values = z.array(nonNeg).min(1).max(10_000);

/** The most scenarios one run of the history may record (a bound for a file from elsewhere). */
export const MAX_HISTORY_SCENARIOS = 1000;
/** The most bytes a history file may have to be read (50 runs are well under 1 MiB). */
export const MAX_HISTORY_BYTES = 16 * 1024 * 1024;

export const historyRun = z.strictObject({
  /** The commit measured (GITHUB_SHA on a push); null when unknown. */
  commit: z.string().max(100).nullable(),
  ref: z.string().max(300).optional(),
  /** When the run started (ISO 8601). */
  startedAt: z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO 8601 time'),
  /** The workflow run that measured it, when known (for links). */
  runId: num.optional(),
  configHash: z.string().max(100),
  profile: z.string().max(300),
  /** The machine: its fingerprint hash and description (cpu model × cores, kernel, image). */
  machine: z.strictObject({ hash: z.string().max(100), description: z.string().max(500) }),
  /**
   * The run's machine probe score, when it has one (result/types.ts MachineProbe). `version` is
   * the probe workload's (run/probe.ts PROBE_VERSION): scores of different versions are never
   * compared; absent = version 1.
   */
  probe: z.strictObject({ ...probeScore.shape, version: num.optional() }).optional(),
  /** Set on the merge that brought a regression accepted by a pull request's label. */
  accepted: z
    .strictObject({
      label: z.string().max(100),
      pullRequest: num.optional(),
      scenarios: z.array(z.string().max(200)).max(1000),
    })
    .optional(),
  /** Per scenario and gated metric: the per-trial values of that run. */
  scenarios: z
    .record(z.string().max(200), z.partialRecord(gatedMetric, values))
    .refine(
      (scenarios) => Object.keys(scenarios).length <= MAX_HISTORY_SCENARIOS,
      `expected at most ${MAX_HISTORY_SCENARIOS} scenarios in a run`,
    ),
});
export type HistoryRun = z.infer<typeof historyRun>;

export const historySchema = z.strictObject({
  schemaVersion: z.literal(HISTORY_SCHEMA_VERSION),
  runs: z.array(historyRun).max(10_000),
});
export type History = z.infer<typeof historySchema>;

/** A history file that cannot be used: names the source and what is wrong. */
export class HistoryError extends StoredDocumentError {
  constructor(source: string, problem: string) {
    super(source, problem);
    this.name = 'HistoryError';
  }
}

/**
 * Validate a history. `json` is the parsed document or its text. Throws HistoryError naming
 * `source` and the first problems found.
 */
export function parseHistory(json: unknown, source: string): History {
  const fail = (problem: string): HistoryError => new HistoryError(source, problem);
  const doc = jsonObject(json, 'history', fail);
  const version = doc['schemaVersion'];
  if (!Array.isArray(doc['runs']) || version === undefined) {
    throw fail('not a loadgate history (no schemaVersion or runs)');
  }
  if (version !== HISTORY_SCHEMA_VERSION) {
    throw fail(
      `history schema version ${JSON.stringify(version)} is not supported (this loadgate reads version ${HISTORY_SCHEMA_VERSION})`,
    );
  }
  return validated(historySchema, doc, 'history', fail);
}
