import type { Plan, ResolvedScenario } from '../config/plan.js';
import { RenderContexts } from '../load/compile.js';
import { runSetupStep } from '../load/setup.js';
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
}

export async function runPlan(options: RunPlanOptions): Promise<ScenarioResult[]> {
  const pools = new Map<string, string[]>();
  const filledBy = new Map<string, string>();
  const results: ScenarioResult[] = [];
  for (const scenario of options.plan.scenarios) {
    try {
      await fillPools(scenario, options, pools, filledBy);
      results.push(
        await runKind(scenario, {
          baseUrl: options.baseUrl,
          token: options.token,
          runId: options.runId,
          seed: scenarioSeed(options.plan.seed, scenario.name),
          pools,
          earlier: results,
          ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
          ...(options.abort === undefined ? {} : { abort: options.abort }),
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        }),
      );
    } catch (error) {
      if (isAbort(error, options)) throw error;
      const message = (error as Error).message;
      options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
      results.push(failedScenario(scenario, message));
    }
  }
  return results;
}

function isAbort(error: unknown, options: RunPlanOptions): boolean {
  return options.abort !== undefined && (error as { kind?: string })?.kind === 'crashed';
}

async function fillPools(
  scenario: ResolvedScenario,
  options: RunPlanOptions,
  pools: Map<string, string[]>,
  filledBy: Map<string, string>,
): Promise<void> {
  const headers = scenario.requests[0]?.headers ?? {};
  for (const step of scenario.setup) {
    const signature = JSON.stringify(step);
    if (filledBy.get(step.pool) === signature) continue;
    const contexts = new RenderContexts(
      `${options.runId}-${step.pool}`,
      options.token,
      pools,
      options.plan.seed,
    );
    const values = await raceAbort(
      runSetupStep(step, options.baseUrl, headers, contexts, (pool, done, total) =>
        options.onProgress?.({ type: 'setup', scenario: scenario.name, pool, done, total }),
      ),
      options.abort,
    );
    pools.set(step.pool, values);
    filledBy.set(step.pool, signature);
  }
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
