/**
 * A look of an A/B run with a budget (run/ab-plan.ts): the paired comparisons of the scenarios
 * still measured, over their rounds so far, and what each says (judge/sequential.ts).
 */
import type { AbSequential, ScenarioResult } from '../result/types.js';
import { compareScenarios, lookScheduleOf } from './compare.js';
import { lookOutcome, type LookOutcome } from './sequential.js';
import type { ScenarioPair } from './two-sample.js';

export interface LookInput {
  /** The scenarios looked at, in the same order on both sides. */
  scenarios: { base: readonly ScenarioResult[]; head: readonly ScenarioResult[] };
  /** The looks so far, this one included; familySize 0 at the first look. */
  sequential: AbSequential;
}

export interface LookDecision {
  outcomes: Map<string, LookOutcome>;
  /** The tests α is divided by: counted at the first look (every scenario measured then). */
  familySize: number;
}

export function judgeLook(input: LookInput, alpha: number, minEffect: number): LookDecision {
  const pairs: ScenarioPair[] = input.scenarios.head.flatMap((current, i) => {
    const baseline = input.scenarios.base[i];
    const comparable =
      baseline !== undefined && current.failure === undefined && current.trials.length > 0;
    return comparable ? [{ name: current.name, baseline, current, noiseFloor: undefined }] : [];
  });
  const compared = compareScenarios(pairs, alpha, minEffect, 'paired');
  const tested = [...compared.byScenario.values()]
    .flat()
    .filter((c) => c.test !== undefined && c.inFamily).length;
  const familySize =
    input.sequential.familySize > 0 ? input.sequential.familySize : Math.max(1, tested);
  const sequential = { ...input.sequential, familySize };
  const outcomes = new Map<string, LookOutcome>();
  for (const [name, list] of compared.byScenario) {
    const schedule = lookScheduleOf(sequential, name);
    outcomes.set(name, schedule ? lookOutcome(list, alpha, schedule) : 'undecided');
  }
  return { outcomes, familySize };
}
