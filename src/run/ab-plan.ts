/**
 * Sequences the scenarios of an A/B run: base and head are two services on one machine. Per
 * scenario with trials, both sides warm up, then K blocks of one trial of each side:
 * - `duet` (default): both trials at once, the services pinned to the same CPU (ab-run.ts), so
 *   whatever state that CPU is in (a neighbour on the host, its caches) hits both sides of a pair
 *   in the same instant and cancels in the paired test. Then each side alone: the head's trials
 *   for the SLA checks, the base's to keep both sides' data the same size.
 * - `interleaved`: one trial after the other, in an order drawn from the run's seed (recorded).
 *   Cancels drift slower than a trial; on a shared cloud CPU whose speed changes every few
 *   seconds it leaves pairs far noisier than a duet's (docs/ab.md, "Why both sides at once").
 * Other kinds (stress, spike, volume…) run whole on base, then on head.
 */
import type { Plan, ResolvedScenario } from '../config/plan.js';
import type { Side } from '../config/side-template.js';
import {
  failedScenario,
  inPhase,
  runKind,
  type KindContext,
  type ProgressEvent,
} from '../kinds/index.js';
import { LoadTrials } from '../kinds/load.js';
import type { Monitor } from '../monitor/index.js';
import { byName } from '../result/own.js';
import type { AbBlockOrder, AbSchedule } from '../result/types.js';
import type { AbSequential, ScenarioResult, TrialResult } from '../result/types.js';
import { seededRandom, type Random } from '../stats/random.js';
import { BudgetClock } from './ab-budget.js';
import { fillPools, isAbort, newPoolState, scenarioSeed, type PoolState } from './run-plan.js';

/** One side's service as the sequencer needs it. */
export interface SideTarget {
  baseUrl: string;
  monitor?: Monitor;
}

export type AbProgressEvent = ProgressEvent & { side?: Side };

export interface AbPlanOptions {
  plan: Plan;
  sides: Record<Side, SideTarget>;
  token: string;
  runId: string;
  /** Seed of the block order (the request sequences come from the plan's seed, alike on both). */
  orderSeed: number;
  schedule: AbSchedule;
  /** Rejects when either service crashes: the run stops at once. */
  abort?: Promise<never>;
  /**
   * Rounds (default 1): each scenario's blocks are split into this many rounds, and both
   * services are restarted (`restart`) between them; every round warms up again.
   */
  rounds?: number;
  /**
   * Rounds until decided, within a time budget (instead of a fixed `rounds`): every scenario runs
   * a round of pairs, then is looked at (from the third round) and stops once decided.
   */
  budget?: AbBudget;
  /** Stops both services and starts them again: their targets and crash signal from then on. */
  restart?: (round: number) => Promise<RestartedSides>;
  onProgress?: (event: AbProgressEvent) => void;
  /** After each scenario (both sides), with everything so far: to keep a partial result. */
  onScenarioDone?: (done: AbPlanResult) => void | Promise<void>;
}

/** What rounds until decided need: the budget, the pairs a round and the judge's look. */
export interface AbBudget {
  seconds: number;
  /** Pairs of each scenario in one round (even: each side leads half the blocks). */
  pairsPerRound: number;
  /** The rounds a look first comes after (the judge's, judge/sequential.ts). */
  firstLook: number;
  /** Most rounds, whatever the budget. */
  maxRounds: number;
  /**
   * At a look: each scenario's outcome from the results so far (both sides, the scenarios looked
   * at), and at the first look the size of the family of tests.
   */
  decide: (look: AbLook) => {
    outcomes: Map<string, 'regression' | 'within' | 'unjudged' | 'undecided'>;
    /** Pairs of an undecided scenario's next round (default `pairsPerRound`). */
    pairsNext?: Map<string, number>;
    familySize: number;
  };
  /** Milliseconds since some fixed point (tests pass their own clock). */
  now?: () => number;
}

export interface AbLook {
  scenarios: Record<Side, ScenarioResult[]>;
  /** The record so far, this look included. */
  sequential: AbSequential;
}

export interface RestartedSides {
  sides: Record<Side, SideTarget>;
  abort?: Promise<never>;
}

export interface AbPlanResult {
  /** In plan order; in a run of rounds, each scenario with the trials measured so far. */
  scenarios: Record<Side, ScenarioResult[]>;
  order: Record<string, AbBlockOrder[]>;
  /** Scenarios whose measurement is finished (all rounds). */
  completed: number;
  /** Rounds run (the most any scenario had). */
  rounds: number;
  /** With a budget: the looks and how each scenario ended. */
  sequential?: AbSequential;
}

/** Kinds measured in trials, which interleave; `runLoad` is their path in a single run. */
function interleaves(scenario: ResolvedScenario): boolean {
  return scenario.kind === 'load';
}

/** One scenario as the rounds go: its two sides' trials, or its finished results. */
interface ScenarioProgress {
  trials?: Record<Side, LoadTrials>;
  /** The phase at a steady rate, once the first round's pairs set its rate. */
  steady?: { rate: number; trials: Record<Side, LoadTrials> };
  order: AbBlockOrder[];
  done?: Record<Side, ScenarioResult>;
  /** Seconds its last round took (fills, warm-up, pairs, steady phase). */
  lastRoundSeconds?: number;
  /** Both sides' contexts of its latest round (services, pools), for its solo trials. */
  ctx?: Record<Side, KindContext>;
  /** With a budget: the pairs its next round gets (the look's allocation). */
  pairsNext?: number;
}

/**
 * Runs the plan in rounds (one, unless `rounds` says otherwise). A round runs every scenario with
 * trials for its share of the blocks, against services started afresh (so fresh pools, a fresh
 * warm-up); kinds without trials and a duet's solo trials run in the last round only, so each
 * runs once.
 *
 * Why rounds: a pair of processes keeps its luck (memory placement, what the JIT compiled, the
 * heap) for as long as it runs, and same-code runs showed that as an offset of whole scenarios,
 * several times the pair noise (docs/measurements.md, "Detection quality of the A/B mode").
 * Restarting both
 * services between rounds turns it into round-to-round spread, which the test over the rounds'
 * means (judge/paired.ts) counts.
 */
export async function runAbPlan(options: AbPlanOptions): Promise<AbPlanResult> {
  const rounds = options.budget ? undefined : (options.rounds ?? 1);
  if ((options.budget || (rounds ?? 1) > 1) && options.restart === undefined) {
    throw new Error('runAbPlan: rounds > 1 needs a restart function');
  }
  const progress = new Map<string, ScenarioProgress>();
  const random = seededRandom(options.orderSeed);
  const duet = options.schedule === 'duet';
  let current: RestartedSides = {
    sides: options.sides,
    ...(options.abort === undefined ? {} : { abort: options.abort }),
  };
  const budget = options.budget && new BudgetClock(options.budget);
  let round = 0;
  for (; ; round++) {
    if (round > 0) {
      const restarting = Date.now();
      current = await (options.restart as (r: number) => Promise<RestartedSides>)(round);
      budget?.restarted((Date.now() - restarting) / 1000);
    }
    const roundOptions = { ...options, sides: current.sides, abort: current.abort };
    const state: Record<Side, PoolState> = { base: newPoolState(), head: newPoolState() };
    const lastFixed = rounds !== undefined && round === rounds - 1;
    options.onProgress?.({
      type: 'round',
      round: round + 1,
      scenarios: activeScenarios().length,
      ...(rounds === undefined ? {} : { rounds }),
      ...(budget && options.budget
        ? { budgetSeconds: options.budget.seconds, spentSeconds: budget.spentSeconds() }
        : {}),
    });
    // Kinds without trials run once: in the last round of a fixed number, else in the first.
    const thisRound = options.plan.scenarios.filter(
      (scenario) =>
        progress.get(scenario.name)?.done === undefined &&
        (interleaves(scenario) || (rounds === undefined ? round === 0 : lastFixed)),
    );
    for (const [i, scenario] of thisRound.entries()) {
      const entry = progress.get(scenario.name) ?? { order: [] };
      progress.set(scenario.name, entry);
      options.onProgress?.({
        type: 'scenario',
        scenario: scenario.name,
        index: i + 1,
        total: thisRound.length,
      });
      // What kinds may look back on (a soak on the stress knee): the scenarios before this one.
      const before = snapshot(scenario.name).scenarios;
      const ctx = {
        base: sideContext('base', scenario, roundOptions, round, state.base, before.base),
        head: sideContext('head', scenario, roundOptions, round, state.head, before.head),
      };
      const fill = (side: Side) =>
        fillPools(scenario, { ...ctx[side], planSeed: options.plan.seed }, state[side]);
      const started = Date.now();
      try {
        if (interleaves(scenario)) {
          const blocks =
            rounds === undefined
              ? (entry.pairsNext ?? budget?.pairsPerRound ?? 2)
              : blocksOfRound(scenario.trials, rounds, round);
          const inRounds = rounds === undefined || rounds > 1;
          await runRound(scenario, ctx, fill, random, duet, entry, {
            round: inRounds ? round : undefined,
            blocks,
            steadyTrials: inRounds ? 1 : Math.max(2, Math.ceil(blocks / 2)),
          });
          if (lastFixed) await finish(entry, duet);
        } else {
          for (const side of ['base', 'head'] as const) await fill(side);
          entry.done = {
            base: await runKind(scenario, ctx.base),
            head: await runKind(scenario, ctx.head),
          };
        }
      } catch (error) {
        if (isAbort(error, current.abort)) throw error;
        const message = (error as Error).message;
        options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
        // A scenario that failed on one side cannot be compared: both sides record the failure.
        const failed = failedScenario(scenario, message);
        entry.done = { base: failed, head: failed };
      }
      entry.lastRoundSeconds = (Date.now() - started) / 1000;
      budget?.measured(scenario.name, entry.lastRoundSeconds);
      await options.onScenarioDone?.({ ...snapshot(), rounds: round + 1 });
    }
    if (rounds !== undefined) {
      if (round === rounds - 1) break;
      continue;
    }
    // Rounds until decided: look, finish what is decided, and go on while the budget allows.
    const clock = budget as BudgetClock;
    const active = activeScenarios();
    const nextRound = active.reduce(
      (sum, name) => sum + (progress.get(name)?.lastRoundSeconds ?? 0),
      0,
    );
    const { final, look } = clock.afterRound(round + 1, nextRound);
    if (look && active.length > 0) {
      const decided = (options.budget as AbBudget).decide({
        scenarios: snapshot(undefined, active).scenarios,
        sequential: clock.record(active, round + 1, final),
      });
      clock.decided(decided.outcomes, decided.familySize, final);
      for (const [name, pairs] of decided.pairsNext ?? []) {
        const entry = progress.get(name);
        if (entry) entry.pairsNext = pairs;
      }
      for (const [scenario, outcome] of decided.outcomes) {
        if (outcome !== 'undecided' || final) {
          options.onProgress?.({ type: 'decided', scenario, outcome, rounds: round + 1 });
        }
      }
    }
    for (const scenario of options.plan.scenarios) {
      const entry = progress.get(scenario.name);
      if (entry === undefined || entry.done !== undefined || !entry.trials) continue;
      if (!final && clock.isOpen(scenario.name)) continue;
      await finish(entry, duet);
      await options.onScenarioDone?.({ ...snapshot(), rounds: round + 1 });
    }
    if (final || activeScenarios().length === 0) break;
  }
  return { ...snapshot(), rounds: round + 1, ...(budget ? { sequential: budget.result() } : {}) };

  /** Scenarios with trials still being measured. */
  function activeScenarios(): string[] {
    return options.plan.scenarios
      .filter((s) => interleaves(s) && progress.get(s.name)?.done === undefined)
      .map((s) => s.name);
  }

  /** Every scenario measured so far, in plan order; up to (not with) `until`, or only `only`. */
  function snapshot(until?: string, only?: readonly string[]): Omit<AbPlanResult, 'rounds'> {
    const scenarios: Record<Side, ScenarioResult[]> = { base: [], head: [] };
    const order = byName<AbBlockOrder[]>();
    for (const scenario of options.plan.scenarios) {
      if (scenario.name === until) break;
      if (only !== undefined && !only.includes(scenario.name)) continue;
      const entry = progress.get(scenario.name);
      if (entry === undefined) continue;
      const results = entry.done ?? partialResults(entry);
      if (results === undefined) continue;
      scenarios.base.push(results.base);
      scenarios.head.push(results.head);
      if (entry.order.length > 0) order[scenario.name] = [...entry.order];
    }
    return { scenarios, order, completed: countDone(progress) };
  }
}

/**
 * A scenario's measurement is over: in a duet each side alone (the head's trials are its SLA
 * figures; the base's keep both sides' data the same size, or every later scenario compares a
 * head on bigger tables, a bias same-code runs showed, docs/measurements.md), then its results.
 */
async function finish(entry: ScenarioProgress, duet: boolean): Promise<void> {
  const { trials, ctx } = entry;
  if (trials === undefined || ctx === undefined) return;
  const steady = (side: Side) =>
    entry.steady
      ? { steady: { rate: entry.steady.rate, trials: entry.steady.trials[side].result().trials } }
      : {};
  if (!duet) {
    entry.done = {
      base: { ...trials.base.result(), ...steady('base') },
      head: { ...trials.head.result(), ...steady('head') },
    };
    return;
  }
  const solo = {} as Record<Side, Omit<ScenarioResult, 'solo'>>;
  for (const side of sidesInOrder(entry.order[0])) {
    solo[side] = await runSolo(trials[side].scenario, ctx[side]);
  }
  entry.done = {
    base: { ...trials.base.result(), solo: solo.base, ...steady('base') },
    head: { ...trials.head.result(), solo: solo.head, ...steady('head') },
  };
}

function countDone(progress: Map<string, ScenarioProgress>): number {
  return [...progress.values()].filter((e) => e.done !== undefined).length;
}

function partialResults(entry: ScenarioProgress): Record<Side, ScenarioResult> | undefined {
  if (entry.trials === undefined) return undefined;
  return { base: entry.trials.base.result(), head: entry.trials.head.result() };
}

/** Blocks of round `round` when `total` are split into `rounds`: as even as can be, the first rounds one more. */
export function blocksOfRound(total: number, rounds: number, round: number): number {
  return Math.floor(total / rounds) + (round < total % rounds ? 1 : 0);
}

function sideContext(
  side: Side,
  scenario: ResolvedScenario,
  options: Omit<AbPlanOptions, 'abort'> & { abort: Promise<never> | undefined },
  round: number,
  state: PoolState,
  earlier: ScenarioResult[],
): KindContext {
  const target = options.sides[side];
  return {
    baseUrl: target.baseUrl,
    token: options.token,
    // Each side (and round) creates its own records: they never collide even on a shared
    // database that outlives a restart.
    runId: `${options.runId}${side === 'base' ? 'b' : 'h'}${round > 0 ? round : ''}`,
    // The same request sequence on both sides: pairs differ by the code, not by the requests.
    seed: scenarioSeed(options.plan.seed, scenario.name),
    pools: state.pools,
    earlier,
    ...(options.plan.preset === undefined ? {} : { preset: options.plan.preset }),
    ...(target.monitor === undefined ? {} : { monitor: target.monitor }),
    ...(options.abort === undefined ? {} : { abort: options.abort }),
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (event: ProgressEvent) => options.onProgress?.({ ...event, side }) }),
  };
}

/** Trials of each side alone after a duet's pairs: the head's are what its SLA checks judge. */
export const DUET_SOLO_TRIALS = 3;

/**
 * One round of a scenario: fill both sides' pools, warm both up, then this round's blocks of one
 * trial each; the side that goes first (in a duet, whose load starts a tick earlier) follows the
 * seeded order. A duet runs both trials of a block at once. Then the phase at a steady rate:
 * both sides at the same fixed arrival rate (half of what the base served in the first round's
 * pairs), one trial each.
 *
 * No side has a fixed place in the run: the side that leads the round's first block (a fair coin
 * per scenario and round, from the seeded order) also fills its pools first, starts its warm-up
 * first and runs alone first, so the other side is the last one to run before the next scenario.
 * With the base always in those places, same-code runs measured the head slower in two
 * scenarios, and with every place swapped the sign flipped (docs/measurements.md).
 */
async function runRound(
  scenario: ResolvedScenario,
  ctx: Record<Side, KindContext>,
  fill: (side: Side) => Promise<void>,
  random: Random,
  duet: boolean,
  entry: ScenarioProgress,
  at: { round: number | undefined; blocks: number; steadyTrials: number },
): Promise<void> {
  const order = drawBlockOrder(random, at.blocks);
  const leadFirst = sidesInOrder(order[0]);
  if (entry.trials === undefined) {
    entry.trials = {
      base: new LoadTrials(scenario, ctx.base),
      head: new LoadTrials(scenario, ctx.head),
    };
  } else {
    entry.trials.base.rebind(ctx.base);
    entry.trials.head.rebind(ctx.head);
    entry.steady?.trials.base.rebind(inPhase(ctx.base, 'steady'));
    entry.steady?.trials.head.rebind(inPhase(ctx.head, 'steady'));
  }
  entry.ctx = ctx;
  const trials = entry.trials;
  // Both sides' steps, in order: at once in a duet, one after the other otherwise.
  const both = async (sides: Side[], step: (side: Side) => Promise<unknown>) => {
    if (duet) await Promise.all(sides.map(step));
    else for (const side of sides) await step(side);
  };
  await both(leadFirst, fill);
  await both(leadFirst, (side) => trials[side].warmup());
  for (const first of order) {
    const block = entry.order.length;
    entry.order.push(first);
    await both(sidesInOrder(first), (side) => trials[side].trial(block, at.round));
  }
  // A scenario that sets its own rate is already open loop: its pairs are its steady phase.
  if (scenario.rate !== undefined) return;
  entry.steady ??= steadyPhaseOf(scenario, ctx, trials.base.result().trials);
  const steady = entry.steady;
  if (steady === undefined) return;
  for (let i = 0; i < at.steadyTrials; i++) {
    const index = steady.trials.head.result().trials.length;
    await both(leadFirst, (side) => steady.trials[side].trial(index, at.round));
  }
}

/** Of the base's throughput in the pairs, what the steady phase asks of each side. */
export const STEADY_SHARE = 0.5;

/**
 * The steady phase of a scenario: each side at half of what the base served in the first
 * round's pairs (its median trial), with ignoreCoordinatedOmission as for every rate (load/
 * driver.ts). Below saturation, so latency is work plus waiting with little queueing; the same
 * rate on both sides, so a slower head is not given less to do. None when the base served
 * nothing.
 */
function steadyPhaseOf(
  scenario: ResolvedScenario,
  ctx: Record<Side, KindContext>,
  baseTrials: readonly TrialResult[],
): ScenarioProgress['steady'] {
  const served = baseTrials.map((t) => t.metrics.throughput).sort((a, b) => a - b);
  const median = served[Math.floor(served.length / 2)] ?? 0;
  const rate = Math.round(median * STEADY_SHARE);
  if (!(rate >= 1)) return undefined;
  const atRate = { ...scenario, rate, warmupSeconds: 0 };
  return {
    rate,
    trials: {
      base: new LoadTrials(atRate, inPhase(ctx.base, 'steady')),
      head: new LoadTrials(atRate, inPhase(ctx.head, 'steady')),
    },
  };
}

/** Both sides, the one a block order puts first at the front. */
function sidesInOrder(first: AbBlockOrder | undefined): Side[] {
  return first === 'head-first' ? ['head', 'base'] : ['base', 'head'];
}

/** The side that leads a scenario (fills, warms up and runs alone first): the first block's. */
export function leadSide(order: readonly AbBlockOrder[]): Side {
  return sidesInOrder(order[0])[0] as Side;
}

async function runSolo(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<Omit<ScenarioResult, 'solo'>> {
  // Its own run id: records it creates must not collide with those of the pairs.
  const solo = new LoadTrials(
    { ...scenario, trials: DUET_SOLO_TRIALS },
    { ...inPhase(ctx, 'solo'), runId: `${ctx.runId}s` },
  );
  for (let i = 0; i < DUET_SOLO_TRIALS; i++) await solo.trial(i);
  return solo.result();
}

/**
 * Which side runs first in each of `blocks` blocks: each side first in exactly half of them (the
 * odd one by a coin), in a seeded random order. Balanced, not a coin per block: the side that
 * starts first has an edge (warmer caches one after the other; in a duet a lower p99 for starting
 * a moment earlier, docs/measurements.md), which a 10/4 split of coins would leave as a bias of a
 * few percent; balanced, it cancels. Reproducible from the recorded seed.
 */
export function drawBlockOrder(random: Random, blocks: number): AbBlockOrder[] {
  const half = Math.floor(blocks / 2);
  const order: AbBlockOrder[] = [
    ...Array<AbBlockOrder>(half).fill('base-first'),
    ...Array<AbBlockOrder>(half).fill('head-first'),
  ];
  if (blocks % 2 === 1) order.push(random() < 0.5 ? 'base-first' : 'head-first');
  // Fisher-Yates with the run's seeded source.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as AbBlockOrder, order[i] as AbBlockOrder];
  }
  return order;
}

/** A block-order seed for a run that was given none (recorded in the result). */
export function freshOrderSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
