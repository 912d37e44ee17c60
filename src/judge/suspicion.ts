/**
 * Measurements that cannot be trusted: a trial (or a stress step, a spike) whose mean latency
 * and throughput break Little's law, or that completed nothing (load/littles-law.ts marks them).
 * The verdict says so, and a suspect scenario's "improvement" is not counted: a service that
 * hangs or drops connections must never read as faster.
 */
import type { ScenarioResult, TrialSuspicion } from '../result/types.js';
import type { MetricComparison } from './types.js';

export interface ScenarioSuspicion {
  /** Suspect stretches of load, and how many were measured. */
  count: number;
  of: number;
  first: TrialSuspicion;
}

export function suspicionOf(s: ScenarioResult): ScenarioSuspicion | undefined {
  const k = s.kindResult;
  const stretches: (TrialSuspicion | undefined)[] = [
    ...s.trials.map((t) => t.suspect),
    ...(k?.kind === 'stress' ? k.steps.map((step) => step.suspect) : []),
    ...(k?.kind === 'spike' ? [k.base.suspect, k.spike.suspect, k.after.suspect] : []),
  ];
  const suspect = stretches.filter((x): x is TrialSuspicion => x !== undefined);
  const first = suspect[0];
  return first === undefined ? undefined : { count: suspect.length, of: stretches.length, first };
}

export function suspicionText(name: string, s: ScenarioSuspicion): string {
  return `The measurement of "${name}" cannot be trusted in ${s.count} of ${s.of} trials: ${s.first.message}`;
}

/** The end of the reason of an improvement measured on suspect trials. */
export const SUSPECT_NOT_COUNTED = "not counted: the measurement is suspect (Little's law check)";

/** An improvement measured on suspect trials is not counted (set in place). */
export function discountImprovements(comparisons: MetricComparison[]): void {
  for (const c of comparisons) {
    if (c.outcome !== 'improvement') continue;
    c.outcome = 'inconclusive';
    c.reason = `${c.reason}; ${SUSPECT_NOT_COUNTED}`;
  }
}
