/**
 * The decision over the family of tests of one comparison: Holm across every test that can
 * reach significance, in the regression direction and separately in the improvement direction,
 * then each test's outcome (regression, improvement, unchanged, inconclusive) and the notes that
 * say how many trials would be needed when too few were run.
 */
import { formatP } from '../format/numbers.js';
import {
  holm,
  minimumDetectableShift,
  pairsNeeded,
  roundMeansDetectableShift,
} from '../stats/index.js';
import { describeChange, minEffectText, worseSign } from './change-text.js';
import { regressionSeverity } from './severity.js';
import { GENERATOR_SATURATED_PAIRS } from './paired.js';
import { IDENTICAL, IDENTICAL_PAIRS, trialsNeeded } from './two-sample.js';
import type { MetricComparison } from './types.js';

export interface PendingComparison {
  scenario: string;
  comparison: MetricComparison;
}

export interface FamilyDecision {
  notes: string[];
  /** Per scenario, a note when its tests were inconclusive for lack of trials. */
  scenarioNotes: Map<string, string[]>;
}

/** Sets each comparison's adjusted p-values, outcome, severity and reason (in place). */
/** Stored baseline: trials vs trials (Mann-Whitney); A/B: pairs of trials (signed-rank). */
export type TestDesign = 'two-sample' | 'paired';

export function decideFamily(
  pending: readonly PendingComparison[],
  alpha: number,
  design: TestDesign = 'two-sample',
): FamilyDecision {
  const notes: string[] = [];
  const scenarioNotes = new Map<string, string[]>();
  const tested = pending.filter((p) => p.comparison.test !== undefined);
  const family = tested.filter((p) => p.comparison.inFamily);
  const m = family.length;

  const worseAdj = holm(family.map((p) => p.comparison.test?.pWorse ?? 1));
  const betterAdj = holm(family.map((p) => p.comparison.test?.pBetter ?? 1));
  // Could any test of the family pass Holm's first step (α / m)?
  const powered = family.some((p) => m * (p.comparison.test?.minAchievableP ?? 1) < alpha);

  family.forEach((p, i) => {
    const c = p.comparison;
    const pw = worseAdj[i] ?? 1;
    const pb = betterAdj[i] ?? 1;
    c.pWorseAdjusted = pw;
    c.pBetterAdjusted = pb;
    const worseBy = worseSign(c) * c.change.estimate;
    if (pw < alpha) {
      c.pAdjusted = pw;
      if (worseBy > c.effectiveMinEffect) {
        c.outcome = 'regression';
        c.severity = regressionSeverity(c.change.estimate, c.metric === 'errorRate');
        c.reason = `${describeChange(c)}, adjusted p ${formatP(pw)} < α ${alpha}, beyond the min effect ${minEffectText(c)}`;
      } else {
        c.outcome = 'unchanged';
        c.reason = `significant (adjusted p ${formatP(pw)}) but ${describeChange(c)} is within the min effect ${minEffectText(c)}`;
      }
    } else if (pb < alpha) {
      c.pAdjusted = pb;
      if (-worseBy > c.effectiveMinEffect) {
        c.outcome = 'improvement';
        c.reason = `${describeChange(c)}, adjusted p ${formatP(pb)} < α ${alpha}, beyond the min effect ${minEffectText(c)}`;
      } else {
        c.outcome = 'unchanged';
        c.reason = `significantly better (adjusted p ${formatP(pb)}) but ${describeChange(c)} is within the min effect ${minEffectText(c)}`;
      }
    } else if (!powered) {
      c.pAdjusted = pw;
      c.outcome = 'inconclusive';
      c.reason = `too few trials: with ${m} tests no result can be significant after Holm`;
    } else {
      c.pAdjusted = pw;
      c.outcome = 'unchanged';
      c.reason = `no significant change (adjusted p ${formatP(pw)})`;
    }
  });

  setDetectable(family, alpha, design);
  tooFewTrialsNotes(pending, alpha, design, notes, scenarioNotes);
  return { notes, scenarioNotes };
}

/** When tests could not reach significance, say how many trials (or pairs) would be needed. */
function tooFewTrialsNotes(
  pending: readonly PendingComparison[],
  alpha: number,
  design: TestDesign,
  notes: string[],
  scenarioNotes: Map<string, string[]>,
): void {
  // Every comparison that is not "identical on both sides" (or not judged for a saturated
  // generator) could have been a test.
  const testable = pending.filter(
    (p) =>
      p.comparison.reason !== IDENTICAL &&
      p.comparison.reason !== IDENTICAL_PAIRS &&
      p.comparison.reason !== GENERATOR_SATURATED_PAIRS,
  );
  const inconclusive = testable.filter((p) => p.comparison.outcome === 'inconclusive');
  if (inconclusive.length > 0) {
    const unit = design === 'paired' ? 'pairs' : 'per side';
    const need =
      design === 'paired'
        ? pairsNeeded(testable.length, alpha)
        : trialsNeeded(testable.length, alpha);
    const why =
      design === 'paired'
        ? "the exact signed-rank test's smallest one-sided p with n pairs is 2^-n"
        : "the exact U test's smallest one-sided p with n per side is 1/C(2n, n)";
    if (inconclusive.length === testable.length) {
      notes.push(
        `Too few trials to detect regressions: need ≥ ${need} ${unit} for ${testable.length} tests at α ${alpha} after Holm (${why}).`,
      );
    } else {
      const names = [...new Set(inconclusive.map((p) => p.scenario))];
      for (const name of names) {
        const list = scenarioNotes.get(name) ?? [];
        list.push(`Too few trials to detect regressions in this scenario: need ≥ ${need} ${unit}.`);
        scenarioNotes.set(name, list);
      }
      notes.push(
        `Too few trials to detect regressions in ${names.length} scenario${names.length === 1 ? '' : 's'}: need ≥ ${need} ${unit}.`,
      );
    }
  }
}

/**
 * What each test of the family could have detected: the change it would flag with 80 % power at
 * the spread it saw, with its trials, at α / family size (Holm's first step, the worst case).
 */
function setDetectable(
  family: readonly PendingComparison[],
  alpha: number,
  design: TestDesign,
): void {
  const familySize = Math.max(1, family.length);
  // The detectable shift is a multiple of the spread (shift = a · σ): compute a once per shape.
  const standard = new Map<string, number | null>();
  for (const { comparison: c } of family) {
    if (c.spread === undefined || c.spread === null) continue;
    const shape =
      design === 'paired'
        ? { design: 'paired' as const, pairs: c.current.n }
        : { design: 'two-sample' as const, current: c.current.n, baseline: c.baseline.n };
    // A/B in rounds: Student's t over the rounds' means, whose SD is the spread.
    const key = c.rounds === undefined ? JSON.stringify(shape) : `rounds ${c.rounds}`;
    if (!standard.has(key)) {
      standard.set(
        key,
        c.rounds === undefined
          ? minimumDetectableShift({ ...shape, spread: 1, alpha, familySize })
          : roundMeansDetectableShift(c.rounds, alpha, familySize),
      );
    }
    const a = standard.get(key) ?? null;
    if (a === null) {
      c.detectable = null;
      continue;
    }
    const shift = a * c.spread;
    c.detectable = c.unit === 'pp' ? shift : Math.expm1(c.higherIsWorse ? shift : -shift);
  }
}
