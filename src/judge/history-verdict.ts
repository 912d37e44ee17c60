/**
 * What the history, the machine probe and the accept label change in a verdict, prepared once
 * for judge.ts: which comparisons a stored baseline gets (against the history when it has enough
 * runs), whether the machines differ and what that leaves unjudged, and, once the scenarios are
 * counted, which regressions the pull request's label accepts and what fails the check. Pure.
 */
import { plural } from '../format/numbers.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import { compareScenarios, type ComparisonOutput } from './compare.js';
import { failReasonsOf } from './counts.js';
import type { TestDesign } from './family.js';
import {
  compareWithHistory,
  DEFAULT_HISTORY_ALPHA,
  DEFAULT_HISTORY_MIN_EFFECT,
  referenceRuns,
} from './history-compare.js';
import { applyMachineRule, compareMachines, type MachineRuleOutcome } from './machine.js';
import { undecidedOneRunRegressions } from './one-run.js';
import type { ScenarioPair } from './two-sample.js';
import type { HistoryBasis, JudgeOptions, MachineComparison, Verdict } from './types.js';

export interface RunComparison {
  compared: ComparisonOutput;
  /** The family-wise level the comparisons were decided at (historyAlpha when the history was used). */
  alpha: number;
  history: HistoryBasis | undefined;
  machine: MachineComparison | undefined;
  /** When the machines differ: what that leaves unjudged (the verdict's first warning). */
  warning: string | undefined;
  /** Once the scenarios are counted: what the accept label and the machine rule make of them. */
  settle(counts: Verdict['counts']): Settlement;
}

export interface Settlement {
  /** The accept label's effect: present whenever the pull request carries it. */
  accepted: Verdict['accepted'] | undefined;
  /** What fails the check: fail-on over the counts (accepted regressions left out), then the machines. */
  failReasons: string[];
  /** The machines differ and a regression could not be ruled out: the check fails for that. */
  machinesFail: boolean;
}

/** min-effect against the history: the user's, else DEFAULT_HISTORY_MIN_EFFECT. */
function historyMinEffect(options: JudgeOptions): number {
  return options.minEffectIsDefault ? DEFAULT_HISTORY_MIN_EFFECT : options.minEffect;
}

/** alpha against the history: the user's, else DEFAULT_HISTORY_ALPHA. */
function historyAlpha(options: JudgeOptions): number {
  return options.alphaIsDefault ? DEFAULT_HISTORY_ALPHA : options.alpha;
}

/**
 * The comparisons of a run with its baseline: paired (A/B) as before; a stored baseline against
 * the history when one is given, then the machine rule (stored baselines only: an A/B run's two
 * sides share one machine). The one entry judge.ts takes into the history; `settle` finishes it
 * once the scenarios are counted.
 */
export function compareRuns(
  pairs: readonly ScenarioPair[],
  baseline: RunResult | undefined,
  current: RunResult,
  design: TestDesign,
  options: JudgeOptions,
  history: History | undefined,
): RunComparison {
  const stored = design === 'two-sample' && baseline !== undefined;
  const judged =
    stored && history !== undefined
      ? againstHistory(pairs, baseline, current, options, history)
      : againstBaseline(pairs, stored ? baseline : undefined, current, options, design);
  // One run against one: machines that differ leave every latency, throughput and CPU change undecided.
  const oneRun = judged.machine?.basis === 'baseline';
  if (stored) {
    undecidedOneRunRegressions(
      judged.compared,
      history?.runs.length ?? 0,
      oneRun && judged.machine?.differs ? judged.machine.cpu : null,
    );
  }
  const rule = applyMachineRule(judged.compared.byScenario, judged.machine);
  return {
    ...judged,
    warning: rule.warning,
    settle: (counts) => settle(counts, rule, options),
  };
}

type Compared = Omit<RunComparison, 'warning' | 'settle'>;

/** Without a history: the one-run comparison; the machine against a stored baseline's. */
function againstBaseline(
  pairs: readonly ScenarioPair[],
  stored: RunResult | undefined,
  current: RunResult,
  options: JudgeOptions,
  design: TestDesign,
): Compared {
  const { alpha, minEffect } = options;
  return {
    compared: compareScenarios(pairs, alpha, minEffect, design, current.ab?.sequential),
    alpha,
    history: undefined,
    machine: stored ? compareMachines(current, stored, undefined) : undefined,
  };
}

/** A stored baseline with a history: latency and throughput against the history's runs. */
function againstHistory(
  pairs: readonly ScenarioPair[],
  baseline: RunResult,
  current: RunResult,
  options: JudgeOptions,
  history: History,
): Compared {
  const { alpha, minEffect } = options;
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
  return {
    compared,
    alpha: level,
    history: basis,
    machine: compareMachines(current, baseline, reference.runs),
  };
}

/**
 * The accept label reports regressions without failing on them; the rest fails as fail-on says.
 * The machines differ and a latency or throughput change would have been a regression: with
 * `regression` in fail-on the check fails, since the gate cannot rule it out (unless the pull
 * request's label accepts regressions anyway).
 */
function settle(
  counts: Verdict['counts'],
  rule: MachineRuleOutcome,
  options: JudgeOptions,
): Settlement {
  const accepted =
    options.acceptedBy === undefined
      ? undefined
      : { label: options.acceptedBy, regressions: counts.regressions };
  const machinesFail =
    rule.unjudgedRegressions > 0 && options.failOn.has('regression') && accepted === undefined;
  return {
    accepted,
    failReasons: [
      ...failReasonsOf(accepted ? { ...counts, regressions: 0 } : counts, options),
      ...(machinesFail
        ? [
            `the machines differ (${plural(rule.unjudgedRegressions, 'latency or throughput regression', 'latency or throughput regressions')} not judged)`,
          ]
        : []),
    ],
    machinesFail,
  };
}
