/**
 * The decision over the family of tests of one comparison: Holm across every test that can
 * reach significance, in the regression direction and separately in the improvement direction,
 * then each test's outcome (regression, improvement, unchanged, inconclusive) and the notes that
 * say how many trials would be needed when too few were run.
 */
import { formatP } from '../format/numbers.js';
import { holm } from '../stats/index.js';
import { describeChange, minEffectText } from './change-text.js';
import { regressionSeverity } from './severity.js';
import { IDENTICAL, trialsNeeded } from './two-sample.js';
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
export function decideFamily(pending: readonly PendingComparison[], alpha: number): FamilyDecision {
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
    const worseBy = c.unit === 'pp' || c.higherIsWorse ? c.change.estimate : -c.change.estimate;
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

  // Every comparison that is not "identical on both sides" could have been a test.
  const testable = pending.filter((p) => p.comparison.reason !== IDENTICAL);
  const inconclusive = testable.filter((p) => p.comparison.outcome === 'inconclusive');
  if (inconclusive.length > 0) {
    const need = trialsNeeded(testable.length, alpha);
    if (inconclusive.length === testable.length) {
      notes.push(
        `Too few trials to detect regressions: need ≥ ${need} per side for ${testable.length} tests at α ${alpha} after Holm (the exact U test's smallest one-sided p with n per side is 1/C(2n, n)).`,
      );
    } else {
      const names = [...new Set(inconclusive.map((p) => p.scenario))];
      for (const name of names) {
        const list = scenarioNotes.get(name) ?? [];
        list.push(
          `Too few trials to detect regressions in this scenario: need ≥ ${need} per side.`,
        );
        scenarioNotes.set(name, list);
      }
      notes.push(
        `Too few trials to detect regressions in ${names.length} scenario${names.length === 1 ? '' : 's'}: need ≥ ${need} per side.`,
      );
    }
  }
  return { notes, scenarioNotes };
}
