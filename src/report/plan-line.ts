/**
 * The plan line both front ends print before the load starts (the action's log, the CLI's
 * stderr): what will be measured and how it will be judged, in one line, from the plan itself,
 * so two front ends that run the same plan print the same line.
 */
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
  if (plan.trials !== null) {
    const length = plan.trialSeconds === null ? '' : ` of ${plan.trialSeconds} s`;
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
