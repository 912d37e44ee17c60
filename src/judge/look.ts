/**
 * A look of an A/B run with a budget (run/ab-plan.ts): the paired comparisons of the scenarios
 * still measured, over their rounds so far, and what each says (judge/sequential.ts).
 */
import { GATED_METRICS, type AbSequential, type ScenarioResult } from '../result/types.js';
import { compareScenarios, lookScheduleOf } from './compare.js';
import { lookAt, pairsForNextRound, type LookOutcome } from './sequential.js';
import type { ScenarioPair } from './two-sample.js';

export interface LookInput {
  /** The scenarios looked at, in the same order on both sides. */
  scenarios: { base: readonly ScenarioResult[]; head: readonly ScenarioResult[] };
  /** The looks so far, this one included; familySize 0 at the first look. */
  sequential: AbSequential;
}

export interface LookDecision {
  outcomes: Map<string, LookOutcome>;
  /** Per undecided scenario, the pairs its next round should have (judge/sequential.ts). */
  pairsNext: Map<string, number>;
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
  // Every test the scenarios could have (judge/sequential.ts): never fewer than the verdict's.
  const familySize =
    input.sequential.familySize > 0
      ? input.sequential.familySize
      : Math.max(1, pairs.length * GATED_METRICS.length);
  const sequential = { ...input.sequential, familySize };
  const outcomes = new Map<string, LookOutcome>();
  const pairsNext = new Map<string, number>();
  for (const [name, list] of compared.byScenario) {
    const schedule = lookScheduleOf(sequential, name);
    const look = schedule
      ? lookAt(list, alpha, schedule)
      : { outcome: 'undecided' as const, open: [] };
    outcomes.set(name, look.outcome);
    const settings = pairs.find((p) => p.name === name)?.current.settings;
    if (look.outcome === 'undecided' && settings) {
      pairsNext.set(
        name,
        pairsForNextRound(look.open, {
          // A warm-up, the steady-rate pair and about a second of restart and pools.
          roundSeconds: settings.warmupSeconds + settings.trialSeconds + 1,
          pairSeconds: settings.trialSeconds,
        }),
      );
    }
  }
  return { outcomes, pairsNext, familySize };
}
