/**
 * The plan line both front ends print before the load starts (the action's log, the CLI's
 * stderr): what will be measured and how it will be judged, in one line, from the plan itself,
 * so two front ends that run the same plan print the same line.
 */
import { formatDuration } from '../config/duration.js';
import type { PlanSummary } from '../config/plan.js';
import { plural } from '../format/numbers.js';

export interface JudgedBy {
  alpha: number;
  minEffect: number;
  /** Stored mode with alpha left to its default: against a history it is 0.01. */
  alphaIsDefault?: boolean;
}

/** `judged` absent: a run that is not judged (`loadgate run`). */
export function planLine(plan: PlanSummary, judged?: JudgedBy): string {
  const paired = plan.mode === 'ab';
  const parts = [plural(plan.scenarios, 'scenario')];
  const length = plan.trialSeconds === null ? '' : ` of ${plan.trialSeconds} s`;
  if (plan.budget !== undefined) {
    parts.push(
      `rounds of ${plan.budget.pairsPerRound} pairs of trials${length} and a pair at a steady rate until each scenario is decided, within ${formatDuration(plan.budget.seconds)}`,
    );
  } else if (plan.trials !== null) {
    const unit = paired
      ? `${plural(plan.trials, 'pair')} of trials${length}`
      : `${plural(plan.trials, 'trial')}${length}`;
    parts.push(
      `${unit} per scenario${paired && plan.rounds > 1 ? ` in ${plural(plan.rounds, 'round')}` : ''}`,
    );
  }
  if (plan.warmupSeconds !== null) parts.push(`${plan.warmupSeconds} s warm-up`);
  if (judged !== undefined) {
    const history = !paired && judged.alphaIsDefault ? ' (0.01 against a history of main)' : '';
    parts.push(
      `α ${judged.alpha}${history}`,
      `min effect ${+(judged.minEffect * 100).toFixed(1)} %`,
    );
  }
  return `plan: ${paired ? 'base and head side by side, ' : ''}${parts.join(', ')}`;
}

/** How a scenario of a run with a budget ended, in a few words. */
export const DECIDED_TEXT = {
  regression: 'decided: a regression',
  within: 'decided: no change beyond the min effect',
  unjudged: 'not judged (its load generator set the pace): no more rounds',
  undecided: 'undecided when the budget ended',
} as const;

/** The line that opens an A/B round: which, of how many or of how much time, for how many scenarios. */
export function roundLine(event: {
  round: number;
  rounds?: number;
  scenarios: number;
  budgetSeconds?: number;
  spentSeconds?: number;
}): string {
  const of = event.rounds === undefined ? '' : ` of ${event.rounds}`;
  const time =
    event.budgetSeconds === undefined || event.spentSeconds === undefined
      ? ''
      : `, ${formatDuration(event.spentSeconds)} of ${formatDuration(event.budgetSeconds)} spent`;
  return `round ${event.round}${of}: ${plural(event.scenarios, 'scenario')}${time}`;
}
