/**
 * The resampled same-code false-alarm rate of `loadgate ab` with a budget: simulated runs made of
 * whole rounds drawn with replacement from the real same-code runs of one service (all scenarios
 * and metrics of a round together, so their correlation stays), each put through the engine's own
 * procedure: the budget's clock (run/ab-budget.ts BudgetClock, on simulated seconds), a look after
 * every round from the third (judge/look.ts judgeLook: the paired comparisons over the rounds so
 * far and the group-sequential boundaries of judge/sequential.ts), decided scenarios stopping, and
 * at the end the verdict's comparisons (judge/compare.ts compareScenarios with the looks
 * recorded: stagewise p-values, Holm over the family).
 *
 * The judge's tests over rounds read only the rounds' means of the per-pair values, so each
 * drawn round enters as one pair of trials whose values give exactly that round's means (base 1
 * and head e^mean for a ratio; the base's error rate and that plus mean pp for the error rate).
 *
 * The clock: each drawn round costs what it cost in its real run (its scenario's seconds shared
 * over that run's pairs, so a round of more pairs costs more), plus the median restart of the
 * real runs between rounds; the budget's seconds are those of the real runs. A round is drawn
 * among the real rounds that measured every scenario still active (all do in the first three);
 * when none did, each scenario draws its own.
 */
import { judgeLook } from '../../src/judge/look.js';
import { compareScenarios } from '../../src/judge/compare.js';
import { FIRST_LOOK_ROUNDS } from '../../src/judge/sequential.js';
import type { ScenarioPair } from '../../src/judge/two-sample.js';
import type { MetricComparison } from '../../src/judge/types.js';
import { MAX_AB_ROUNDS } from '../../src/config/defaults.js';
import {
  METRICS,
  type AbSequential,
  type GatedMetric,
  type ScenarioResult,
  type TrialResult,
} from '../../src/result/types.js';
import { BudgetClock } from '../../src/run/ab-budget.js';
import { seededRandom, type Random } from '../../src/stats/random.js';
import { median } from '../lib.js';
import type { CompactRound, CompactRun, CompactScenario } from './compact.js';

/** One real round of one scenario, as a simulated run draws it. */
interface DrawnRound {
  round: CompactRound;
  scenario: CompactScenario;
  seconds: number;
}

/** The pooled rounds of the real runs: per real round, its scenarios. */
export interface RoundPool {
  rounds: Map<string, DrawnRound>[];
  scenarios: string[];
  budgetSeconds: number;
  restartSeconds: number;
}

export function poolRounds(runs: readonly CompactRun[]): RoundPool {
  const rounds: Map<string, DrawnRound>[] = [];
  const restarts: number[] = [];
  const names = new Set<string>();
  for (const run of runs) {
    const byRound = new Map<number, Map<string, DrawnRound>>();
    let measured = 0;
    for (const [name, scenario] of Object.entries(run.scenarios)) {
      names.add(name);
      measured += scenario.seconds;
      const pairs = scenario.rounds.reduce((n, r) => n + r.pairs, 0);
      for (const round of scenario.rounds) {
        const entry = byRound.get(round.round) ?? new Map<string, DrawnRound>();
        entry.set(name, { round, scenario, seconds: (scenario.seconds * round.pairs) / pairs });
        byRound.set(round.round, entry);
      }
    }
    if (run.rounds > 1) restarts.push(Math.max(0, run.loadSeconds - measured) / (run.rounds - 1));
    rounds.push(...byRound.values());
  }
  const budgets = runs.map((r) => r.sequential.budgetSeconds);
  return {
    rounds,
    scenarios: [...names],
    budgetSeconds: median(budgets),
    restartSeconds: restarts.length > 0 ? median(restarts) : 0,
  };
}

/** A metric's trial fields for a round mean: base and head values whose pair gives it. */
function pairOf(metric: GatedMetric, mean: number | null, baseErrorRate: number): [number, number] {
  if (METRICS[metric].scale === 'pp') {
    return [baseErrorRate, mean === null ? baseErrorRate : baseErrorRate + mean / 100];
  }
  return [1, mean === null ? 1 : Math.exp(mean)];
}

function trial(round: number, metrics: Record<string, number>): TrialResult {
  return { index: round, round, metrics } as unknown as TrialResult;
}

/** A scenario's drawn rounds as the base's and the head's ScenarioResult (only what the judge reads). */
export function scenarioSides(
  name: string,
  drawn: readonly DrawnRound[],
): { base: ScenarioResult; head: ScenarioResult } {
  const first = drawn[0]?.scenario;
  if (!first) throw new Error(`${name}: no rounds drawn`);
  const saturated = drawn.filter((d) => d.scenario.saturated).length * 2 > drawn.length;
  const side = (which: 0 | 1, source: 'trials' | 'steady'): TrialResult[] =>
    drawn.flatMap((d, k) => {
      const metrics: Record<string, number> = {};
      for (const [metric, mean] of Object.entries(d.round.means) as [
        GatedMetric,
        number | null,
      ][]) {
        if (METRICS[metric].source !== source) continue;
        metrics[METRICS[metric].field] = pairOf(metric, mean, d.scenario.baseErrorRate)[which];
      }
      return Object.keys(metrics).length > 0 ? [trial(k, metrics)] : [];
    });
  const scenario = (which: 0 | 1): ScenarioResult => {
    const steady = side(which, 'steady');
    return {
      name,
      settings: first.settings,
      trials: side(which, 'trials'),
      generatorSaturated: saturated,
      ...(steady.length > 0 ? { steady: { rate: 0, trials: steady } } : {}),
    } as unknown as ScenarioResult;
  };
  return { base: scenario(0), head: scenario(1) };
}

export interface SimulatedRun {
  /** Scenarios with a regression in the end's verdict. */
  flagged: string[];
  rounds: number;
}

/** One simulated run of the engine's procedure on rounds drawn from the pool. */
export function simulateRun(
  pool: RoundPool,
  random: Random,
  judged: { alpha: number; minEffect: number },
): SimulatedRun {
  let now = 0;
  const clock = new BudgetClock({
    seconds: pool.budgetSeconds,
    pairsPerRound: 2,
    firstLook: FIRST_LOOK_ROUNDS,
    maxRounds: MAX_AB_ROUNDS,
    now: () => now,
  });
  const drawn = new Map<string, DrawnRound[]>(pool.scenarios.map((s) => [s, []]));
  const last = new Map<string, number>();
  let active = [...pool.scenarios];
  let round = 0;
  for (; ; round++) {
    if (round > 0) {
      now += pool.restartSeconds * 1000;
      clock.restarted(pool.restartSeconds);
    }
    const whole = pool.rounds.filter((r) => active.every((s) => r.has(s)));
    const pick = (candidates: Map<string, DrawnRound>[]) =>
      candidates[Math.floor(random() * candidates.length)] as Map<string, DrawnRound>;
    const together = whole.length > 0 ? pick(whole) : undefined;
    for (const name of active) {
      const d =
        together?.get(name) ??
        (pick(pool.rounds.filter((r) => r.has(name))).get(name) as DrawnRound);
      drawn.get(name)?.push(d);
      now += d.seconds * 1000;
      clock.measured(name, d.seconds);
      last.set(name, d.seconds);
    }
    const next = active.reduce((sum, name) => sum + (last.get(name) ?? 0), 0);
    const { final, look } = clock.afterRound(round + 1, next);
    if (look && active.length > 0) {
      const sides = active.map((name) => scenarioSides(name, drawn.get(name) ?? []));
      const decision = judgeLook(
        {
          scenarios: { base: sides.map((s) => s.base), head: sides.map((s) => s.head) },
          sequential: clock.record(active, round + 1, final),
        },
        judged.alpha,
        judged.minEffect,
      );
      clock.decided(decision.outcomes, decision.familySize, final);
    }
    active = active.filter((name) => clock.isOpen(name));
    if (final || active.length === 0) break;
  }
  const flagged = flaggedScenarios(finalComparisons(drawn, clock.result(), judged));
  return { flagged, rounds: round + 1 };
}

/** The end's comparisons over given rounds per scenario, with the looks a run recorded. */
function finalComparisons(
  drawn: ReadonlyMap<string, readonly DrawnRound[]>,
  sequential: AbSequential,
  judged: { alpha: number; minEffect: number },
): Map<string, MetricComparison[]> {
  const pairs: ScenarioPair[] = [...drawn].map(([name, rounds]) => {
    const { base, head } = scenarioSides(name, rounds);
    return { name, baseline: base, current: head, noiseFloor: undefined };
  });
  return compareScenarios(pairs, judged.alpha, judged.minEffect, 'paired', sequential).byScenario;
}

/**
 * A saved run judged again from its compact form (its own rounds and looks): the check that the
 * compact form keeps what the verdict rests on. The comparisons per scenario.
 */
export function rejudge(
  run: CompactRun,
  judged: { alpha: number; minEffect: number },
): Map<string, MetricComparison[]> {
  const drawn = new Map(
    Object.entries(run.scenarios).map(([name, scenario]) => [
      name,
      scenario.rounds.map((round) => ({ round, scenario, seconds: 0 })),
    ]),
  );
  return finalComparisons(drawn, run.sequential, judged);
}

export const flaggedScenarios = (byScenario: ReadonlyMap<string, MetricComparison[]>): string[] =>
  [...byScenario]
    .filter(([, list]) => list.some((c) => c.outcome === 'regression'))
    .map(([name]) => name);

export interface ResampledRate {
  simulations: number;
  alarms: number;
  /** Per scenario, the simulated runs that flagged it. */
  byScenario: Map<string, number>;
  medianRounds: number;
  realRounds: number;
}

/** `simulations` simulated same-code runs from the pooled rounds of `runs` (one service). */
export function resampledFalseAlarms(
  runs: readonly CompactRun[],
  simulations: number,
  judged: { alpha: number; minEffect: number },
  seed = 20261129,
): ResampledRate {
  const pool = poolRounds(runs);
  const random = seededRandom(seed);
  const byScenario = new Map<string, number>();
  const rounds: number[] = [];
  let alarms = 0;
  for (let k = 0; k < simulations; k++) {
    const run = simulateRun(pool, random, judged);
    rounds.push(run.rounds);
    if (run.flagged.length > 0) alarms++;
    for (const name of run.flagged) byScenario.set(name, (byScenario.get(name) ?? 0) + 1);
  }
  return {
    simulations,
    alarms,
    byScenario,
    medianRounds: median(rounds),
    realRounds: median(runs.map((r) => r.rounds)),
  };
}
