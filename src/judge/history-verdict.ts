/**
 * What the history, the machine probe and the accept label change in a verdict (judge.ts wires
 * these in): which comparisons a stored baseline gets (against the history when it has enough
 * runs), whether the machines differ and what that leaves unjudged, and which regressions the
 * pull request's label accepts. Pure.
 */
import { plural } from '../format/numbers.js';
import type { RunResult } from '../result/types.js';
import { compareScenarios, type ComparisonOutput } from './compare.js';
import type { TestDesign } from './family.js';
import {
  compareWithHistory,
  DEFAULT_HISTORY_ALPHA,
  DEFAULT_HISTORY_MIN_EFFECT,
  referenceRuns,
} from './history-compare.js';
import { applyMachineRule, compareMachines, type MachineRuleOutcome } from './machine.js';
import type { ScenarioPair } from './two-sample.js';
import type { HistoryBasis, JudgeOptions, MachineComparison, Verdict } from './types.js';

export interface StoredComparisons {
  compared: ComparisonOutput;
  /** The family-wise level the comparisons were decided at (historyAlpha when the history was used). */
  alpha: number;
  history: HistoryBasis | undefined;
  machine: MachineComparison | undefined;
  rule: MachineRuleOutcome;
}

/** min-effect against the history: the user's, else DEFAULT_HISTORY_MIN_EFFECT. */
export function historyMinEffect(options: JudgeOptions): number {
  return options.minEffectIsDefault ? DEFAULT_HISTORY_MIN_EFFECT : options.minEffect;
}

/** alpha against the history: the user's, else DEFAULT_HISTORY_ALPHA. */
export function historyAlpha(options: JudgeOptions): number {
  return options.alphaIsDefault ? DEFAULT_HISTORY_ALPHA : options.alpha;
}

/**
 * The comparisons of a run with its baseline: paired (A/B) as before; a stored baseline against
 * the history when one is given, then the machine rule (stored baselines only: an A/B run's two
 * sides share one machine).
 */
export function compareRuns(
  pairs: readonly ScenarioPair[],
  baseline: RunResult | undefined,
  current: RunResult,
  options: JudgeOptions,
  design: TestDesign,
): StoredComparisons {
  const { alpha, minEffect } = options;
  const stored = design === 'two-sample' && baseline !== undefined;
  const history = stored ? options.history : undefined;
  if (!stored || history === undefined) {
    const compared = compareScenarios(pairs, alpha, minEffect, design);
    const machine = stored ? compareMachines(current, baseline, undefined) : undefined;
    return {
      compared,
      alpha,
      history: undefined,
      machine,
      rule: applyMachineRule(compared.byScenario, machine),
    };
  }
  // The change-point search runs once: the comparisons and the machine rule share its result.
  const reference = referenceRuns(history, current.config.hash);
  const compareAt = (level: number) =>
    compareWithHistory(
      pairs,
      current,
      history,
      level,
      minEffect,
      historyMinEffect(options),
      reference,
    );
  // A history too short to use leaves the one-run comparison, at the stored baseline's level.
  const historyLevel = historyAlpha(options);
  const atHistoryLevel = compareAt(historyLevel);
  const level = atHistoryLevel.basis.used > 0 ? historyLevel : alpha;
  // Compared again only when the history went unused and its level is not the stored run's.
  const { basis, ...compared } = level === historyLevel ? atHistoryLevel : compareAt(level);
  const machine = compareMachines(current, baseline, reference.runs);
  return {
    compared,
    alpha: level,
    history: basis,
    machine,
    rule: applyMachineRule(compared.byScenario, machine),
  };
}

/** The accept label's effect: present whenever the pull request carries it. */
export function acceptance(
  options: JudgeOptions,
  counts: Verdict['counts'],
): Verdict['accepted'] | undefined {
  return options.acceptedBy === undefined
    ? undefined
    : { label: options.acceptedBy, regressions: counts.regressions };
}

/**
 * The machines differ and a latency or throughput change would have been a regression: with
 * `regression` in fail-on the check fails, since the gate cannot rule it out (unless the pull
 * request's label accepts regressions anyway).
 */
export function machineFailReasons(
  rule: MachineRuleOutcome,
  options: JudgeOptions,
  accepted: Verdict['accepted'] | undefined,
): string[] {
  if (rule.unjudgedRegressions === 0 || !options.failOn.has('regression') || accepted) return [];
  return [
    `the machines differ (${plural(rule.unjudgedRegressions, 'latency or throughput regression', 'latency or throughput regressions')} not judged)`,
  ];
}
