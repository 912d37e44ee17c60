/**
 * Regression and improvement tests: baseline trials vs current trials.
 *
 * Per scenario present in both runs and per gated metric (dbP95 only when every trial on both
 * sides has it), the samples are the per-trial values (never requests):
 * - one-sided Mann-Whitney U, "current worse" (higher latency / error rate, lower throughput),
 *   and the other direction for improvements (exact when there are no ties, like scipy);
 * - effect: Hodges-Lehmann ratio current/baseline with its 95 % interval (latencies and
 *   throughput floored at 0.001 before logs); for the error rate, which is mostly 0, the
 *   Hodges-Lehmann shift current − baseline in percentage points instead of a ratio;
 * - Holm across the family of all tests of the comparison (regressions), and separately across
 *   the same family in the other direction (improvements).
 *
 * Family rule (Tarone's idea, conservative form): a test whose smallest achievable p-value
 * 1/C(n1+n2, n1) is not below α can never be significant, so it is left out of the family
 * (outcome "inconclusive"); a test whose values are all identical on both sides has no test at
 * all (outcome "unchanged"). Leaving them out keeps the correction from punishing the tests that
 * can be significant, and it keeps the family-wise error rate at α.
 *
 * Decision: regression when the Holm-adjusted p < α AND the estimated change is beyond the
 * effective min-effect = max(minEffect, 2 × the baseline's noise floor of that scenario/metric).
 * For the error rate the change must exceed max(0.5 pp, effective min-effect × the baseline's
 * median error rate): half a percentage point of extra failures is the least that counts.
 * If no test in the family can reach significance after Holm (too few trials), every test is
 * "inconclusive" and the verdict says how many trials per side would be needed.
 */
import { GATED_METRICS, type AbSequential } from '../result/types.js';
import { own } from '../result/own.js';
import { decideFamily, type PendingComparison, type TestDesign } from './family.js';
import { GENERATOR_SATURATED_NOTE, generatorSaturated, pairedComparison } from './paired.js';
import { twoSampleComparison, type ScenarioPair } from './two-sample.js';
import type { LookSchedule } from './sequential.js';
import type { MetricComparison } from './types.js';

export { changeText } from './change-text.js';
export {
  CONFIDENCE,
  ERROR_RATE_MIN_PP,
  RATIO_FLOOR,
  minAchievableP,
  trialsNeeded,
  type ScenarioPair,
} from './two-sample.js';

export interface ComparisonOutput {
  byScenario: Map<string, MetricComparison[]>;
  notes: string[];
  /** Per scenario, a note when its tests were inconclusive for lack of trials. */
  scenarioNotes: Map<string, string[]>;
}

export function compareScenarios(
  pairs: readonly ScenarioPair[],
  alpha: number,
  minEffect: number,
  design: TestDesign = 'two-sample',
  sequential?: AbSequential,
): ComparisonOutput {
  const pending: PendingComparison[] = [];
  const byScenario = new Map<string, MetricComparison[]>();
  for (const pair of pairs) {
    const list: MetricComparison[] = [];
    const looks = sequential && lookScheduleOf(sequential, pair.name);
    for (const metric of GATED_METRICS) {
      const c =
        design === 'paired'
          ? pairedComparison(pair, metric, alpha, minEffect, looks)
          : twoSampleComparison(pair, metric, alpha, minEffect);
      if (!c) continue;
      list.push(c);
      pending.push({ scenario: pair.name, comparison: c });
    }
    byScenario.set(pair.name, list);
  }

  const decided = decideFamily(pending, alpha, design);
  if (sequential) undecidedScenarios(byScenario, sequential);
  if (design === 'paired') {
    for (const pair of pairs.filter(generatorSaturated)) {
      const list = decided.scenarioNotes.get(pair.name) ?? [];
      decided.scenarioNotes.set(pair.name, [...list, GENERATOR_SATURATED_NOTE]);
    }
  }
  return { byScenario, ...decided };
}

/** A scenario's looks as the run recorded them; undefined when it was never looked at. */
export function lookScheduleOf(
  sequential: AbSequential,
  scenario: string,
): LookSchedule | undefined {
  const looks = sequential.looks[scenario] ?? [];
  if (looks.length === 0) return undefined;
  return {
    maxRounds: sequential.maxRounds,
    familySize: sequential.familySize,
    looks,
    final: sequential.finalLook.includes(scenario),
  };
}

/**
 * A scenario the budget left undecided: its tests that found nothing are not "unchanged" (the run
 * could not tell), they are inconclusive, and say so.
 */
function undecidedScenarios(
  byScenario: Map<string, MetricComparison[]>,
  sequential: AbSequential,
): void {
  for (const [name, list] of byScenario) {
    if (own(sequential.decided, name) !== 'undecided') continue;
    for (const c of list) {
      if (c.outcome !== 'unchanged' || c.test === undefined) continue;
      c.outcome = 'inconclusive';
      c.undecided = true;
      c.reason = `undecided: the budget ended before this test could rule out a change of the min effect (${c.reason})`;
    }
  }
}
