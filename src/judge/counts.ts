import { plural } from '../format/numbers.js';
import type { JudgeOptions, MetricComparison, ScenarioVerdict, Verdict } from './types.js';

/** The verdict's counts over its scenarios (metric-level for the comparisons). */
export function countVerdicts(scenarios: readonly ScenarioVerdict[]): Verdict['counts'] {
  const allComparisons = scenarios.flatMap((s) => s.comparisons);
  const allKind = scenarios.flatMap((s) => s.kindComparisons ?? []);
  const countOutcome = (o: MetricComparison['outcome']) =>
    allComparisons.filter((c) => c.outcome === o).length +
    allKind.filter((c) => c.outcome === o).length;
  const allSla = scenarios.flatMap((s) => s.sla);
  return {
    scenarios: scenarios.length,
    compared: scenarios.filter(
      (s) => s.comparisons.length > 0 || (s.kindComparisons?.length ?? 0) > 0,
    ).length,
    regressions: countOutcome('regression'),
    improvements: countOutcome('improvement'),
    unchanged: countOutcome('unchanged'),
    inconclusive: countOutcome('inconclusive'),
    slaChecks: allSla.filter((c) => c.status !== 'not-measured').length,
    slaBreaches: allSla.filter((c) => c.status === 'fail').length,
    slaNotMeasured: allSla.filter((c) => c.status === 'not-measured').length,
    newScenarios: scenarios.filter((s) => s.status === 'new').length,
    removedScenarios: scenarios.filter((s) => s.status === 'removed').length,
    failedScenarios: scenarios.filter((s) => s.status === 'failed').length,
    undecidedScenarios: scenarios.filter((s) => s.status === 'undecided').length,
    scenariosOk: scenarios.filter(
      (s) =>
        s.status !== 'failed' &&
        s.status !== 'regression' &&
        s.status !== 'removed' &&
        !s.slaBreached,
    ).length,
  };
}

/** What fails the check given `failOn` ('none' = the empty set = never). */
export function failReasonsOf(counts: Verdict['counts'], options: JudgeOptions): string[] {
  const reasons: string[] = [];
  if (options.failOn.has('regression') && counts.regressions > 0) {
    reasons.push(plural(counts.regressions, 'regression'));
  }
  if (options.failOn.has('sla') && counts.slaBreaches > 0) {
    reasons.push(plural(counts.slaBreaches, 'SLA breach', 'SLA breaches'));
  }
  if (options.failOn.has('undecided') && counts.undecidedScenarios > 0) {
    reasons.push(`${plural(counts.undecidedScenarios, 'scenario')} undecided`);
  }
  if (options.failOn.size > 0 && counts.failedScenarios > 0) {
    reasons.push(plural(counts.failedScenarios, 'failed scenario'));
  }
  return reasons;
}
