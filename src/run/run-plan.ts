import type { Plan, ResolvedScenario } from '../config/plan.js';
import { RenderContexts } from '../load/compile.js';
import { runSetupStep, type SetupHints } from '../load/setup.js';
import type { Monitor } from '../monitor/index.js';
import type { ScenarioResult } from '../result/types.js';
import { failedScenario, runKind, type ProgressEvent } from '../kinds/index.js';

/**
 * Sequences the scenarios of a plan: fills each scenario's setup pools (once per identical
 * step), then runs it by its kind. A setup or template failure fails that scenario only; a
 * service crash (the `abort` promise) ends the whole run.
 */

export interface RunPlanOptions {
  plan: Plan;
  baseUrl: string;
  token: string;
  /** Unique per run, so created records (emails) never collide with an earlier run's. */
  runId: string;
  monitor?: Monitor;
  abort?: Promise<never>;
  onProgress?: (event: ProgressEvent) => void;
  /** After each scenario (finished or failed), with all results so far: to keep a partial result. */
  onScenarioDone?: (results: readonly ScenarioResult[]) => void | Promise<void>;
}

export async function runPlan(options: RunPlanOptions): Promise<ScenarioResult[]> {
  const state = newPoolState();
  const results: ScenarioResult[] = [];
  for (const [i, scenario] of options.plan.scenarios.entries()) {
    options.onProgress?.({
      type: 'scenario',
      scenario: scenario.name,
      index: i + 1,
      total: options.plan.scenarios.length,
    });
    try {
      await fillPools(scenario, planTarget(options), state);
      results.push(
        await runKind(scenario, {
          baseUrl: options.baseUrl,
          token: options.token,
          runId: options.runId,
          seed: scenarioSeed(options.plan.seed, scenario.name),
          pools: state.pools,
          earlier: results,
          ...(options.plan.preset === undefined ? {} : { preset: options.plan.preset }),
          ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
          ...(options.abort === undefined ? {} : { abort: options.abort }),
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        }),
      );
    } catch (error) {
      if (isAbort(error, options.abort)) throw error;
      const message = (error as Error).message;
      options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
      results.push(failedScenario(scenario, message));
    }
    await options.onScenarioDone?.(results);
  }
  return results;
}

/** A service crash ends the whole run; anything else fails only its scenario. */
export function isAbort(error: unknown, abort: Promise<never> | undefined): boolean {
  return abort !== undefined && (error as { kind?: string })?.kind === 'crashed';
}

/** The pools of one service: filled once per identical setup step. */
export interface PoolState {
  pools: Map<string, string[]>;
  filledBy: Map<string, string>;
}

export function newPoolState(): PoolState {
  return { pools: new Map(), filledBy: new Map() };
}

/** The service whose pools are filled, and what the setup steps take from the plan. */
export type PoolTarget = Pick<
  RunPlanOptions,
  'baseUrl' | 'token' | 'runId' | 'abort' | 'onProgress'
> & {
  planSeed: number;
  /** The plan's preset: a failed step shaped like its own says the service is not its API. */
  preset?: SetupHints;
};

/** Fill the setup pools `scenario` needs on one service (skipping those already filled alike). */
export async function fillPools(
  scenario: ResolvedScenario,
  target: PoolTarget,
  state: PoolState,
): Promise<void> {
  const headers = scenario.requests[0]?.headers ?? {};
  for (const step of scenario.setup) {
    const signature = JSON.stringify(step);
    if (state.filledBy.get(step.pool) === signature) continue;
    const contexts = new RenderContexts(
      `${target.runId}-${step.pool}`,
      target.token,
      state.pools,
      target.planSeed,
    );
    const values = await raceAbort(
      runSetupStep(
        step,
        target.baseUrl,
        headers,
        contexts,
        (pool, done, total) =>
          target.onProgress?.({ type: 'setup', scenario: scenario.name, pool, done, total }),
        target.preset,
      ),
      target.abort,
    );
    state.pools.set(step.pool, values);
    state.filledBy.set(step.pool, signature);
  }
}

/** A plan's run as fillPools sees it. */
export function planTarget(options: RunPlanOptions): PoolTarget {
  const { plan } = options;
  return { ...options, planSeed: plan.seed, ...(plan.preset ? { preset: plan.preset } : {}) };
}

function raceAbort<T>(work: Promise<T>, abort: Promise<never> | undefined): Promise<T> {
  return abort ? Promise.race([work, abort]) : work;
}

/** Per-scenario seed, so adding a scenario does not change another's request sequence. */
export function scenarioSeed(seed: number, name: string): number {
  let hash = seed >>> 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  return hash;
}
