/**
 * Sequences the scenarios of an A/B run: base and head are two services on one machine. Per
 * scenario with trials, both sides warm up, then K blocks of one trial of each side:
 * - `duet` (default): both trials at once, the services pinned to the same CPU (ab-run.ts), so
 *   whatever state that CPU is in (a neighbour on the host, its caches) hits both sides of a pair
 *   in the same instant and cancels in the paired test. Then each side alone: the head's trials
 *   for the SLA checks, the base's to keep both sides' data the same size.
 * - `interleaved`: one trial after the other, in an order drawn from the run's seed (recorded).
 *   Cancels drift slower than a trial; on a shared cloud CPU whose speed changes every few
 *   seconds it leaves pairs 5–10× noisier than duet (README, "Why both sides at once").
 * Other kinds (stress, spike, volume…) run whole on base, then on head.
 */
import type { Plan, ResolvedScenario } from '../config/plan.js';
import type { Side } from '../config/side-template.js';
import { failedScenario, runKind, type KindContext, type ProgressEvent } from '../kinds/index.js';
import { LoadTrials } from '../kinds/load.js';
import { seededRandom, type Random } from '../load/random.js';
import type { Monitor } from '../monitor/index.js';
import type { AbBlockOrder, AbSchedule } from '../result/types.js';
import type { ScenarioResult } from '../result/types.js';
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
  onProgress?: (event: AbProgressEvent) => void;
  /** After each scenario (both sides), with everything so far: to keep a partial result. */
  onScenarioDone?: (done: AbPlanResult) => void | Promise<void>;
}

export interface AbPlanResult {
  scenarios: Record<Side, ScenarioResult[]>;
  order: Record<string, AbBlockOrder[]>;
}

/** Kinds measured in trials, which interleave; `runLoad` is their path in a single run. */
function interleaves(scenario: ResolvedScenario): boolean {
  return scenario.kind === 'load';
}

export async function runAbPlan(options: AbPlanOptions): Promise<AbPlanResult> {
  const state: Record<Side, PoolState> = { base: newPoolState(), head: newPoolState() };
  const scenarios: Record<Side, ScenarioResult[]> = { base: [], head: [] };
  const order: Record<string, AbBlockOrder[]> = {};
  const random = seededRandom(options.orderSeed);
  for (const scenario of options.plan.scenarios) {
    const ctx = {
      base: sideContext('base', scenario, options, state.base, scenarios.base),
      head: sideContext('head', scenario, options, state.head, scenarios.head),
    };
    const fill = (side: Side) =>
      fillPools(scenario, { ...ctx[side], planSeed: options.plan.seed }, state[side]);
    try {
      if (interleaves(scenario)) {
        const done = await runBlocks(scenario, ctx, fill, random, options.schedule === 'duet');
        order[scenario.name] = done.order;
        scenarios.base.push(done.base);
        scenarios.head.push(done.head);
      } else {
        for (const side of ['base', 'head'] as const) await fill(side);
        scenarios.base.push(await runKind(scenario, ctx.base));
        scenarios.head.push(await runKind(scenario, ctx.head));
      }
    } catch (error) {
      if (isAbort(error, options.abort)) throw error;
      const message = (error as Error).message;
      options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
      // A scenario that failed on one side cannot be compared: both sides record the failure.
      for (const side of ['base', 'head'] as const) {
        const list = scenarios[side];
        if (list.at(-1)?.name === scenario.name) list.pop();
        list.push(failedScenario(scenario, message));
      }
    }
    await options.onScenarioDone?.({ scenarios, order });
  }
  return { scenarios, order };
}

function sideContext(
  side: Side,
  scenario: ResolvedScenario,
  options: AbPlanOptions,
  state: PoolState,
  earlier: ScenarioResult[],
): KindContext {
  const target = options.sides[side];
  return {
    baseUrl: target.baseUrl,
    token: options.token,
    // Each side creates its own records: they never collide even on a shared database.
    runId: `${options.runId}${side === 'base' ? 'b' : 'h'}`,
    // The same request sequence on both sides: pairs differ by the code, not by the requests.
    seed: scenarioSeed(options.plan.seed, scenario.name),
    pools: state.pools,
    earlier,
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
 * Fill both sides' pools, warm both up, then K blocks of one trial each; the side that goes first
 * (in a duet, whose load starts a tick earlier) follows the seeded order. A duet runs both
 * trials of a block at once, then each side alone (runSolo).
 *
 * No side has a fixed place in the run: the side that leads the first block (a fair coin per
 * scenario, from the seeded order) also fills its pools first, starts its warm-up first and runs
 * alone first, so the other side is the last one to run before the next scenario. With the base
 * always in those places, same-code runs measured the head 2.0 % slower in create-admin and 3.6 %
 * in concurrent-admins over 280 pairs, and with every place swapped the sign flipped (README,
 * "Detection quality of the A/B mode").
 */
async function runBlocks(
  scenario: ResolvedScenario,
  ctx: Record<Side, KindContext>,
  fill: (side: Side) => Promise<void>,
  random: Random,
  duet: boolean,
): Promise<{ base: ScenarioResult; head: ScenarioResult; order: AbBlockOrder[] }> {
  const order = drawBlockOrder(random, scenario.trials);
  const leadFirst = sidesInOrder(order[0]);
  const trials = {
    base: new LoadTrials(scenario, ctx.base),
    head: new LoadTrials(scenario, ctx.head),
  };
  // Both sides' steps, in order: at once in a duet, one after the other otherwise.
  const both = async (sides: Side[], step: (side: Side) => Promise<unknown>) => {
    if (duet) await Promise.all(sides.map(step));
    else for (const side of sides) await step(side);
  };
  await both(leadFirst, fill);
  await both(leadFirst, (side) => trials[side].warmup());
  for (const [block, first] of order.entries()) {
    await both(sidesInOrder(first), (side) => trials[side].trial(block));
  }
  const head = trials.head.result();
  if (!duet) return { base: trials.base.result(), head, order };
  // Each side alone, one after the other: the head's trials are its SLA figures; the base's are
  // not judged, but a scenario that writes must leave both sides' data the same size, or every
  // later scenario compares a head on bigger tables (A/A runs without them: create-admin's
  // database p95 +3.6 % on the head).
  const solo = {} as Record<Side, Omit<ScenarioResult, 'solo'>>;
  for (const side of leadFirst) solo[side] = await runSolo(scenario, ctx[side]);
  return {
    base: { ...trials.base.result(), solo: solo.base },
    head: { ...head, solo: solo.head },
    order,
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
    { ...ctx, runId: `${ctx.runId}s` },
  );
  for (let i = 0; i < DUET_SOLO_TRIALS; i++) await solo.trial(i);
  return solo.result();
}

/**
 * Which side runs first in each of `blocks` blocks: each side first in exactly half of them (the
 * odd one by a coin), in a seeded random order. Balanced, not a coin per block: the side that
 * starts first has an edge (warmer caches one after the other; in a duet, measured here, a p99
 * about 7 % lower for starting a moment earlier), which a 10/4 split of coins would leave as a
 * bias of a few percent; balanced, it cancels. Reproducible from the recorded seed.
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
