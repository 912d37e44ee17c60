/**
 * The RunResult document, what `loadgate run` writes and `loadgate compare` reads, as its zod
 * schema: the one description of the document, from which its types follow (result/types.ts
 * re-exports them), and the reader that validates a result read from disk: a corrupt or
 * wrong-version file gets an error naming the file and what is wrong.
 * Versioned; bounded in size (histograms are HDR-encoded, series are per second, never per request).
 * Latencies are milliseconds (floats) everywhere in this document; histograms record microseconds.
 */
import { z } from 'zod';
import { jsonObject, nonNeg, num, StoredDocumentError, validated } from './document.js';
import { FileTooLargeError, readTextBounded } from './read-bounded.js';
import { environmentFingerprint, machineProbe } from './machine-schema.js';
import { gatedMetric } from './measurement-schema.js';
import { profileSection } from './profile-schema.js';
import { scenarioResult } from './scenario-schema.js';
import { mergedFrom, shardInfo } from './shard-schema.js';

export const RESULT_SCHEMA_VERSION = 1 as const;

const gitRef = z.object({ sha: z.string().optional(), ref: z.string().optional() });

// ---------------------------------------------------------------- interleaved A/B (result/ab.ts)

/** Which side ran first in a block (in a duet, whose load started first, a tick earlier). */
export const abBlockOrder = z.enum(['base-first', 'head-first']);
export type AbBlockOrder = z.infer<typeof abBlockOrder>;

export const abSchedule = z.enum(['duet', 'interleaved']);
export type AbSchedule = z.infer<typeof abSchedule>;

export const abLayout = z.enum(['fixed', 'random']);
export type AbLayout = z.infer<typeof abLayout>;

export const abSide = z.object({
  /** The commit measured, where known. */
  git: gitRef.optional(),
  baseUrl: z.string(),
  /** How this side was chosen, for the report ("first parent of the merge commit …"). */
  origin: z.string().optional(),
});
export type AbSide = z.infer<typeof abSide>;

export const abBaseSide = abSide.extend({ scenarios: z.array(scenarioResult) });
export type AbBaseSide = z.infer<typeof abBaseSide>;

/**
 * The paired section of an interleaved A/B run (`baseline: base-commit`, `loadgate ab`): the
 * base and the head of a change ran side by side on one machine; per scenario, block i holds
 * trial i of each side, in an order drawn from `seed`. The result's own `scenarios` are the
 * head's; the base's are here. A result with this section is judged paired, never as a stored
 * baseline's single run, and a baseline saved from it carries the head's side only.
 */
/**
 * An A/B run with a time budget: rounds go on while some scenario is undecided, each scenario
 * looked at after every round from the third, in a group-sequential test (judge/sequential.ts)
 * whose false-alarm rate holds however many looks it takes. What the judge needs to recompute
 * every look's boundary from the trials.
 */
export const abSequential = z.object({
  /** The budget, seconds of measuring (restarts included). */
  budgetSeconds: nonNeg,
  /** Most rounds a scenario could get: the scale of the information fraction (rounds / maxRounds). */
  maxRounds: z.number().int().min(1),
  /**
   * Tests of the family the design divides α by (Bonferroni at each look; Holm at the end),
   * counted at the first look; 0 when no scenario was looked at.
   */
  familySize: z.number().int().min(0),
  /**
   * Per scenario, its looks in order: the rounds it had, and the share of the budget spent by
   * then (the spending function's clock: α is spent as the budget is).
   */
  looks: z.record(
    z.string(),
    z.array(z.object({ rounds: z.number().int().min(1), spent: nonNeg.max(1) })),
  ),
  /** Scenarios still undecided when the budget ended: their last look spent all α left. */
  finalLook: z.array(z.string()),
  /** Per scenario, how it ended: decided a regression, decided within the min effect, or not. */
  decided: z.record(z.string(), z.enum(['regression', 'within', 'unjudged', 'undecided'])),
  /** Seconds of measuring spent (restarts included). */
  spentSeconds: nonNeg,
  /** Per scenario, the seconds its rounds took (without restarts): what a round of it costs. */
  scenarioSeconds: z.record(z.string(), nonNeg),
});
export type AbSequential = z.infer<typeof abSequential>;

export const abSection = z.object({
  /** Seed of the block order, recorded so the order can be reproduced and audited. */
  seed: num,
  /**
   * How the pairs were measured: `duet`, both sides loaded at once with their services on the
   * same CPU (`serviceCpus`), or `interleaved`, one side after the other. Absent in results
   * from before duet existed: interleaved.
   */
  schedule: abSchedule.optional(),
  /** The CPUs both services were pinned to (taskset list), when they were. */
  serviceCpus: z.string().optional(),
  /**
   * `fixed`: both services started without address randomisation (`setarch -R`), so the same
   * code got the same memory layout; `random`: each its own. Absent in results from before: random.
   */
  layout: abLayout.optional(),
  /**
   * How many times both services were started: the pairs of each scenario were split into this
   * many rounds, with both services restarted between them (trials carry their `round`), and
   * the paired test runs over the rounds' means. Absent in results from before rounds: 1.
   */
  rounds: z.number().int().min(1).optional(),
  /** A run with a time budget (rounds until decided); absent with a fixed number of rounds. */
  sequential: abSequential.optional(),
  base: abBaseSide,
  head: abSide,
  /** Per scenario (trial kinds), which side ran first in each block. */
  order: z.record(z.string(), z.array(abBlockOrder)),
  /** The CPU profile round after the judged rounds, when one ran (result/profile-schema.ts). */
  profile: profileSection.optional(),
});
export type AbSection = z.infer<typeof abSection>;

// ---------------------------------------------------------------- the run

/**
 * A partial result: written after each scenario while the run goes on, and what is left when it
 * ends early (the service crashed, the job was cancelled, SIGTERM). Holds the scenarios that
 * finished; never judged as a whole run, never stored as a baseline.
 */
export const partialRun = z.object({
  /** Scenarios finished (those in `scenarios`), of how many planned. */
  completed: nonNeg,
  planned: nonNeg,
  /** Why the run ended early, when it is known. */
  reason: z.string().optional(),
});
export type PartialRun = z.infer<typeof partialRun>;

export const runResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('loadgate'), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  git: gitRef.optional(),
  environment: environmentFingerprint,
  config: z.object({ hash: z.string(), profile: z.string(), source: z.string() }),
  target: z.object({ baseUrl: z.string() }),
  scenarios: z.array(scenarioResult),
  /** Noise floor per scenario and metric (relative, e.g. 0.03 = 3 %), set by `loadgate calibrate`. */
  noiseFloor: z.record(z.string(), z.partialRecord(gatedMetric, nonNeg)).optional(),
  /** Present when base and head ran side by side (interleaved A/B): see result/ab.ts. */
  ab: abSection.optional(),
  /**
   * Problems met while measuring that leave figures missing (Postgres or Redis unreachable or
   * silent: "not measured"); absent when there were none. The judge repeats them as warnings.
   */
  warnings: z.array(z.string()).optional(),
  /** Present on one shard's result (`run --shard i/N`): merge all N before judging. */
  shard: shardInfo.optional(),
  /** Present on a result merged from shard results (`loadgate merge`, the action's merge job). */
  merged: mergedFrom.optional(),
  /** Present on a result written before the run ended, and kept when it ended early. */
  partial: partialRun.optional(),
  /** The machine probe (run/probe.ts); absent in results before it existed or when it failed. */
  probe: machineProbe.optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

// ---------------------------------------------------------------- the reader

/** A result file that cannot be used: names the source and what is wrong. */
export class RunResultError extends StoredDocumentError {
  constructor(source: string, problem: string) {
    super(source, problem);
    this.name = 'RunResultError';
  }
}

/**
 * Validate a RunResult. `json` is the parsed document, or its text (parsed here).
 * Throws RunResultError naming `sourceName` and the first problems found.
 */
export function parseRunResult(json: unknown, sourceName: string): RunResult {
  const fail = (problem: string): RunResultError => new RunResultError(sourceName, problem);
  const record = jsonObject(json, 'result', fail);
  const tool = record['tool'] as { name?: unknown } | undefined;
  if (!('schemaVersion' in record) || typeof tool !== 'object' || tool?.name !== 'loadgate') {
    throw fail('not a loadgate result (no schemaVersion or tool.name is not "loadgate")');
  }
  if (record['schemaVersion'] !== RESULT_SCHEMA_VERSION) {
    throw fail(
      `result schema version ${JSON.stringify(record['schemaVersion'])} is not supported (this loadgate reads version ${RESULT_SCHEMA_VERSION}); re-run the baseline with this version`,
    );
  }
  return validated(runResultSchema, record, 'result', fail);
}

/**
 * The most bytes a result file (a baseline, a shard's result) may have to be read: results are
 * a few hundred KB (histograms encoded, series per second); this is room for long soaks and many
 * scenarios, and a bound for a file someone else put there.
 */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** A result file's text, at most MAX_RESULT_BYTES (FileTooLargeError, result/read-bounded.ts). */
export function readResultText(path: string): Promise<string> {
  return readTextBounded(path, MAX_RESULT_BYTES);
}

/** Read and validate a RunResult file. Missing, unreadable or too large → RunResultError naming the file. */
export async function readRunResult(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readResultText(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunResultError(
      path,
      code === 'ENOENT'
        ? 'file not found'
        : e instanceof FileTooLargeError
          ? e.message
          : `cannot read (${(e as Error).message})`,
    );
  }
  return parseRunResult(text, path);
}
