import type { PlanSummary, ResolvedScenario } from '../config/plan.js';
import type { Preset } from '../config/preset.js';
import { compileScenario, RenderContexts, type Pools } from '../load/compile.js';
import type { TrialRecorder } from '../load/recorder.js';
import type { Monitor } from '../monitor/index.js';
import type { ScenarioResult } from '../result/types.js';

/**
 * What every kind runner (load included) gets from run/: the run's I/O, nothing global. The
 * types here are shared by kinds/ and run/; run/ imports them, never the other way round.
 */

export type ProgressEvent =
  | { type: 'setup'; scenario: string; pool: string; done: number; total: number }
  | { type: 'warmup'; scenario: string; seconds: number }
  | {
      type: 'trial';
      scenario: string;
      trial: number;
      trials: number;
      throughput: number;
      p95: number;
      errorRate: number;
      /** A/B runs: the phase at a steady rate, or a side alone after a duet's pairs. */
      phase?: 'steady' | 'solo';
    }
  /**
   * A scenario begins: the `index`-th (1-based) of the `total` that run (in an A/B round, of the
   * round's), so a front end can say "scenario 3 of 7".
   */
  | { type: 'scenario'; scenario: string; index: number; total: number }
  | { type: 'scenario-failed'; scenario: string; message: string }
  /** What the run will measure, once before the first scenario (report/plan-line.ts words it). */
  | { type: 'plan'; plan: PlanSummary }
  /**
   * An A/B round begins (1-based): of a fixed number (`rounds`), or within a budget (seconds spent
   * so far of `budgetSeconds`); `scenarios` are those it measures.
   */
  | {
      type: 'round';
      round: number;
      rounds?: number;
      scenarios: number;
      budgetSeconds?: number;
      spentSeconds?: number;
    }
  /** An A/B scenario with a budget is decided (or left undecided when the budget ended). */
  | {
      type: 'decided';
      scenario: string;
      outcome: 'regression' | 'within' | 'unjudged' | 'undecided';
      rounds: number;
    }
  /** A non-load kind's own progress (a stress step, seeding), one line of text. */
  | { type: 'kind'; scenario: string; message: string };

/** Makes the recorder of one trial; a kind may count more than the TrialRecorder does. */
export type RecorderFactory = (endpoints: readonly string[], startedAtMs: number) => TrialRecorder;

export interface KindContext {
  baseUrl: string;
  token: string;
  /** Unique per run: names of created records (emails) never collide with an earlier run's. */
  runId: string;
  /** This scenario's seed (pool picks, request mix). */
  seed: number;
  pools: Pools;
  /** Results of the scenarios run before this one (the soak reads a stress knee). */
  earlier: readonly ScenarioResult[];
  /** The plan's preset (Plan.preset): a volume scenario seeds through its API. */
  preset?: Preset;
  monitor?: Monitor;
  abort?: Promise<never>;
  onProgress?: (event: ProgressEvent) => void;
}

/** Above this share of one core, loadgate's own process is likely what limits the load. */
export const GENERATOR_SATURATION_PERCENT = 90;

/** The context with its trial events marked as of `phase` (an A/B run's steady or solo trials). */
export function inPhase(ctx: KindContext, phase: 'steady' | 'solo'): KindContext {
  const report = ctx.onProgress;
  if (report === undefined) return ctx;
  return {
    ...ctx,
    onProgress: (event) => report(event.type === 'trial' ? { ...event, phase } : event),
  };
}

export function say(ctx: KindContext, scenario: string, message: string): void {
  ctx.onProgress?.({ type: 'kind', scenario, message });
}

/** The scenario's compiled requests and its seeded render contexts, as the load kind makes them. */
export function compileWithContexts(scenario: ResolvedScenario, ctx: KindContext) {
  return {
    requests: compileScenario(scenario),
    contexts: new RenderContexts(`${ctx.runId}-${scenario.name}`, ctx.token, ctx.pools, ctx.seed),
  };
}
