import type { ResolvedScenario } from '../config/plan.js';
import { compileScenario, RenderContexts, type Pools } from '../load/compile.js';
import type { Monitor } from '../monitor/index.js';
import type { ScenarioResult } from '../result/types.js';
import type { ProgressEvent, RecorderFactory } from '../run/run-plan.js';

/** What a kind runner gets from runPlan: the run's I/O, nothing global. */
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
  monitor?: Monitor;
  abort?: Promise<never>;
  onProgress?: (event: ProgressEvent) => void;
  /** The load kind's path (warm-up, then K monitored trials), for kinds with ordinary trials. */
  runTrials(scenario: ResolvedScenario, recorder?: RecorderFactory): Promise<ScenarioResult>;
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
