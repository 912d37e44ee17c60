/**
 * The strict shape of `loadgate-verdict.json` (judge/types.ts Verdict) as the fork-safe commenter
 * reads it from a pull request's artifact. The file was written by a run that may have executed
 * untrusted code: every object is strict (no unknown keys), every enum is checked, numbers are
 * finite, arrays and strings are bounded, and names follow the config's own rules. Free texts are
 * only bounded here: the comment leaves out the ones it never shows (reasons, notes, failure
 * messages) and shows the few others (SLA labels and bases) only when they are plain text
 * (PLAIN_TEXT_RE, verdict-comment.ts).
 *
 * Keep in step with judge/types.ts: the assertion at the bottom fails to compile when they drift.
 */
import { z } from 'zod';
import { slaSchema } from '../config/schema.js';
import { VERDICT_SCHEMA_VERSION, type Verdict } from '../judge/types.js';
import { gatedMetric as gatedMetricSchema } from '../result/measurement-schema.js';
import { GATED_METRICS } from '../result/types.js';

/** Scenario names as a scenarios file may give them (config/schema.ts). */
export const SCENARIO_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/**
 * Plain text: letters, digits, spaces and a few signs; `.` and `:` only between digits, so
 * neither a domain, a URL, a mention, an issue reference nor markdown/HTML syntax gets through.
 */
export const PLAIN_TEXT_RE = /^(?:[\p{L}\p{N} ,;%()[\]≤≥=+\-−–×÷±…'/]|(?<=\p{N})[.:](?=\p{N}))*$/u;

const MAX_SCENARIOS = 500;
const num = z.number().refine(Number.isFinite, 'expected a finite number');
const nullableNum = num.nullable();
const count = z.number().int().min(0).max(1e9);
const longText = z.string().max(20_000);
const shortText = (max: number) => z.string().max(max);
const scenarioName = z
  .string()
  .regex(SCENARIO_NAME_RE, 'not a scenario name')
  // The config's characters allow `www.x.y`, which GitHub turns into a link.
  .refine((name) => !/www\./i.test(name), 'a scenario name GitHub would show as a link');
const severity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
// The gated metrics as the result document names them (one list: result/measurement-schema.ts).
const gatedMetric = gatedMetricSchema;
const kindMetric = z.enum(['kneeThroughput', 'recoverySeconds', 'seedSeconds', 'bulkMs']);
const slaCheckName = slaSchema.keyof();
const testKind = z.enum(['load', 'stress', 'spike', 'volume', 'soak', 'recovery']);

const sampleSummary = z.strictObject({
  n: count,
  median: num,
  values: z.array(num).max(1000),
});

const bounds = { estimate: num, lower: nullableNum, upper: nullableNum };

const metricComparison = z.strictObject({
  metric: gatedMetric,
  higherIsWorse: z.boolean(),
  unit: z.enum(['ratio', 'pp']),
  baseline: sampleSummary,
  current: sampleSummary,
  effect: z.strictObject({ ...bounds, confidence: num }),
  change: z.strictObject(bounds),
  test: z
    .strictObject({
      name: z.enum([
        'mann-whitney-u',
        'wilcoxon-signed-rank',
        'history-prediction',
        'round-means-t',
      ]),
      method: z.enum(['exact', 'normal', 'student-t']),
      statistic: num,
      pWorse: num,
      pBetter: num,
      minAchievableP: num,
    })
    .optional(),
  spread: nullableNum.optional(),
  detectable: nullableNum.optional(),
  inFamily: z.boolean(),
  history: z
    .strictObject({ runs: count, df: num, sd: num, se: num, excessVariance: num })
    .optional(),
  rounds: count.optional(),
  spreadSplit: z
    .strictObject({
      withinRound: nullableNum,
      betweenRounds: nullableNum,
      pairsPerRound: num,
    })
    .optional(),
  pWorseAdjusted: nullableNum,
  pBetterAdjusted: nullableNum,
  pAdjusted: nullableNum,
  undecided: z.boolean().optional(),
  effectiveMinEffect: num,
  noiseFloor: nullableNum,
  outcome: z.enum(['regression', 'improvement', 'unchanged', 'inconclusive']),
  severity: severity.nullable(),
  reason: longText,
});

/** An endpoint's name (a request's name in the config: any text): bounded here, shown only when plain. */
const endpointComparison = metricComparison.extend({ endpoint: z.string().min(1).max(80) });

const kindComparison = z.strictObject({
  metric: kindMetric,
  label: shortText(80),
  unit: z.enum(['req/s', 's', 'ms']),
  higherIsWorse: z.boolean(),
  baseline: num,
  current: num,
  change: nullableNum,
  minEffect: num,
  floor: num,
  method: z.literal('single measurement, no significance test'),
  outcome: z.enum(['regression', 'improvement', 'unchanged']),
  severity: severity.nullable(),
  reason: longText,
});

const slaCheck = z.strictObject({
  check: slaCheckName,
  label: shortText(80),
  bound: z.enum(['max', 'min']),
  unit: z.enum([
    'ms',
    'req/s',
    'ratio',
    'MB',
    '%',
    'connections',
    's',
    'MB/min',
    'ms/min',
    'count',
  ]),
  threshold: num,
  measured: nullableNum,
  basis: shortText(300),
  margin: nullableNum,
  status: z.enum(['pass', 'fail', 'not-measured']),
  severity: severity.nullable(),
});

const medians = z.strictObject({
  p50: num,
  p95: num,
  p99: num,
  throughput: num,
  errorRate: num,
  dbP95: nullableNum,
});

const scenarioVerdict = z.strictObject({
  name: scenarioName,
  kind: testKind,
  status: z.enum([
    'regression',
    'improvement',
    'unchanged',
    'inconclusive',
    'new',
    'removed',
    'failed',
    'not-compared',
    'undecided',
  ]),
  slaBreached: z.boolean(),
  severity: severity.nullable(),
  trials: z.strictObject({ baseline: count, current: count }),
  current: medians.nullable(),
  baseline: medians.nullable(),
  comparisons: z.array(metricComparison).max(GATED_METRICS.length * 2),
  kindComparisons: z.array(kindComparison).max(10).optional(),
  sla: z.array(slaCheck).max(40),
  failure: longText.nullable(),
  generatorSaturated: z.boolean(),
  suspect: longText.optional(),
  budget: z
    .strictObject({
      rounds: count,
      decided: z.enum(['regression', 'within', 'unjudged', 'undecided']),
      toDecideSeconds: nullableNum,
    })
    .optional(),
  endpoints: z
    .strictObject({
      names: z.array(z.string().min(1).max(80)).max(100),
      comparisons: z.array(endpointComparison).max(200),
    })
    .optional(),
  notes: z.array(longText).max(200),
});

const finding = z.strictObject({
  severity,
  kind: z.enum(['regression', 'sla-breach', 'scenario-failed']),
  scenario: scenarioName,
  metric: z.union([gatedMetric, slaCheckName, kindMetric]).nullable(),
  message: longText,
});

const provenance = z.strictObject({
  toolVersion: z.string().max(100),
  gitSha: z
    .string()
    .regex(/^[0-9a-f]{4,64}$/i)
    .nullable(),
  gitRef: z.string().max(300).nullable(),
  startedAt: z.string().max(40),
  machine: z.string().max(300),
  environmentHash: z.string().max(100),
  configHash: z.string().max(100),
  profile: z.string().max(300),
});

export const verdictSchema = z.strictObject({
  schemaVersion: z.literal(VERDICT_SCHEMA_VERSION),
  status: z.enum(['pass', 'warn', 'fail']),
  failsCheck: z.boolean(),
  failReasons: z.array(longText).max(20),
  mode: z.enum(['baseline', 'paired', 'sla-only']),
  options: z.strictObject({
    alpha: num,
    minEffect: num,
    failOn: z.array(z.enum(['sla', 'regression', 'undecided'])).max(3),
    confidence: num,
    // The A/B test over rounds is described in about 250 characters.
    test: z.string().max(500),
    correction: z.string().max(500),
    errorRateMinEffectPp: num,
  }),
  counts: z.strictObject({
    scenarios: count,
    compared: count,
    regressions: count,
    improvements: count,
    unchanged: count,
    inconclusive: count,
    slaChecks: count,
    slaBreaches: count,
    slaNotMeasured: count,
    newScenarios: count,
    removedScenarios: count,
    failedScenarios: count,
    undecidedScenarios: count,
    scenariosOk: count,
  }),
  scenarios: z.array(scenarioVerdict).max(MAX_SCENARIOS),
  findings: z.array(finding).max(MAX_SCENARIOS * 60),
  warnings: z.array(longText).max(500),
  notes: z.array(longText).max(500),
  current: provenance,
  baseline: provenance.nullable(),
  history: z
    .strictObject({
      runs: count,
      used: count,
      from: z.string().max(40).nullable(),
      to: z.string().max(40).nullable(),
      minEffect: num,
      fallback: longText.nullable(),
    })
    .optional(),
  machine: z
    .strictObject({
      basis: z.enum(['history', 'baseline']),
      differs: z.boolean(),
      cpu: nullableNum,
      memory: nullableNum,
      normal: nullableNum,
      knownMachine: z.boolean(),
      summary: longText,
    })
    .optional(),
  accepted: z.strictObject({ label: z.string().max(100), regressions: count }).optional(),
  budget: z.strictObject({ budgetSeconds: num, spentSeconds: num }).optional(),
});

/** Validate a verdict document strictly; the problems, named by path, when it is not one. */
export function parseVerdict(text: string): { verdict: Verdict } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: 'the verdict is not JSON' };
  }
  const parsed = verdictSchema.safeParse(doc);
  if (!parsed.success) {
    const shown = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
      .join('; ');
    return { error: `the verdict is not a loadgate verdict (${shown})` };
  }
  const verdict = parsed.data;
  const inconsistent = consistencyProblem(verdict);
  return inconsistent === undefined
    ? { verdict }
    : { error: `the verdict is inconsistent (${inconsistent})` };
}

/** Counts and findings must agree with the scenarios they summarize. */
function consistencyProblem(v: Verdict): string | undefined {
  const names = new Set(v.scenarios.map((s) => s.name));
  if (names.size !== v.scenarios.length) return 'a scenario name is used twice';
  if (v.counts.scenarios !== v.scenarios.length) return 'counts.scenarios';
  const comparisons = v.scenarios.flatMap((s) => s.comparisons);
  const regressions = comparisons.filter((c) => c.outcome === 'regression').length;
  if (v.counts.regressions !== regressions) return 'counts.regressions';
  const checks = v.scenarios.flatMap((s) => s.sla);
  if (v.counts.slaBreaches !== checks.filter((c) => c.status === 'fail').length) {
    return 'counts.slaBreaches';
  }
  if (v.counts.failedScenarios !== v.scenarios.filter((s) => s.status === 'failed').length) {
    return 'counts.failedScenarios';
  }
  if (v.findings.some((f) => !names.has(f.scenario))) return 'a finding names no scenario';
  const bad = v.findings.length > 0 || v.scenarios.some((s) => s.slaBreached);
  if (v.status === 'pass' && bad) return 'status pass with findings';
  if (v.status !== 'fail' && v.failsCheck) return 'failsCheck without status fail';
  return undefined;
}

// Compile-time check that the schema and the Verdict type describe the same document.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Parsed = z.infer<typeof verdictSchema>;
const _schemaMatchesType: [Equals<Parsed, Verdict>] extends [true] ? true : never = true;
void _schemaMatchesType;
