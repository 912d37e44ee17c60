import { performance } from 'node:perf_hooks';
import type { Plan, ResolvedScenario } from '../config/plan.js';
import { compileScenario, RenderContexts } from '../load/compile.js';
import { runPhase } from '../load/driver.js';
import { encodeHistogram, newHistogram, type Histogram } from '../load/histogram.js';
import { TrialRecorder } from '../load/recorder.js';
import { runSetupStep } from '../load/setup.js';
import type { Monitor } from '../monitor/index.js';
import { summarize } from '../monitor/index.js';
import type { ResourceSample, ScenarioResult, TrialResult } from '../result/types.js';
import { runKind } from '../kinds/index.js';

/**
 * Runs every scenario of a plan: setup pools, warm-up, then K recorded trials, with the resource
 * monitor recording a window per trial. A setup or template failure fails that scenario only;
 * a service crash (the `abort` promise) ends the whole run.
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
    }
  | { type: 'scenario-failed'; scenario: string; message: string }
  /** A non-load kind's own progress (a stress step, seeding), one line of text. */
  | { type: 'kind'; scenario: string; message: string };

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

/** Above this share of one core, loadgate's own process is likely what limits the load. */
export const GENERATOR_SATURATION_PERCENT = 90;

/** Makes the recorder of one trial; a kind may count more than the TrialRecorder does. */
export type RecorderFactory = (endpoints: readonly string[], startedAtMs: number) => TrialRecorder;

export async function runPlan(options: RunPlanOptions): Promise<ScenarioResult[]> {
  const pools = new Map<string, string[]>();
  const filledBy = new Map<string, string>();
  const results: ScenarioResult[] = [];
  for (const scenario of options.plan.scenarios) {
    try {
      await fillPools(scenario, options, pools, filledBy);
      results.push(
        scenario.kind === 'load'
          ? await runScenario(scenario, options, pools)
          : await runKind(scenario, {
              baseUrl: options.baseUrl,
              token: options.token,
              runId: options.runId,
              seed: scenarioSeed(options.plan.seed, scenario.name),
              pools,
              earlier: results,
              ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
              ...(options.abort === undefined ? {} : { abort: options.abort }),
              ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
              runTrials: (s, factory) => runScenario(s, options, pools, factory),
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

async function runScenario(
  scenario: ResolvedScenario,
  options: RunPlanOptions,
  pools: Map<string, string[]>,
  recorderFactory?: RecorderFactory,
): Promise<ScenarioResult> {
  const requests = compileScenario(scenario);
  const contexts = new RenderContexts(
    `${options.runId}-${scenario.name}`,
    options.token,
    pools,
    scenarioSeed(options.plan.seed, scenario.name),
  );
  const phase = {
    baseUrl: options.baseUrl,
    requests,
    contexts,
    connections: scenario.connections,
    timeoutSeconds: scenario.timeoutSeconds,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    ...(options.abort === undefined ? {} : { abort: options.abort }),
  };
  if (scenario.warmupSeconds > 0) {
    options.onProgress?.({
      type: 'warmup',
      scenario: scenario.name,
      seconds: scenario.warmupSeconds,
    });
    await runPhase({ ...phase, seconds: scenario.warmupSeconds });
  }
  const names = [...new Set(requests.map((r) => r.name))];
  const merged = newHistogram();
  const mergedDb = newHistogram();
  const mergedEndpoints = new Map<string, Histogram>(names.map((name) => [name, newHistogram()]));
  const trials: TrialResult[] = [];
  const allSamples: ResourceSample[] = [];
  for (let index = 0; index < scenario.trials; index++) {
    const startedAt = new Date().toISOString();
    const recorder = recorderFactory
      ? recorderFactory(names, performance.now())
      : new TrialRecorder(names, performance.now());
    options.monitor?.begin();
    const outcome = await runPhase({ ...phase, seconds: scenario.trialSeconds, recorder });
    const resources = options.monitor
      ? await options.monitor.end()
      : { samples: [], summary: summarize([]) };
    const recording = recorder.finish(outcome.durationSeconds, scenario.rate);
    merged.add(recording.histogram);
    mergedDb.add(recording.dbHistogram);
    for (const [name, histogram] of Object.entries(recording.endpointHistograms)) {
      mergedEndpoints.get(name)?.add(histogram);
    }
    allSamples.push(...resources.samples);
    trials.push({
      index,
      startedAt,
      durationSeconds: outcome.durationSeconds,
      metrics: recording.metrics,
      endpoints: recording.endpoints,
      series: recording.series,
      resources,
      generatorCpuPercent: outcome.generatorCpuPercent,
    });
    options.onProgress?.({
      type: 'trial',
      scenario: scenario.name,
      trial: index + 1,
      trials: scenario.trials,
      throughput: recording.metrics.throughput,
      p95: recording.metrics.p95,
      errorRate: recording.metrics.errorRate,
    });
  }
  const generatorCpu = trials.map((t) => t.generatorCpuPercent).sort((a, b) => a - b);
  const medianGeneratorCpu = generatorCpu[Math.floor(generatorCpu.length / 2)] ?? 0;
  return {
    name: scenario.name,
    kind: scenario.kind,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials,
    histogram: encodeHistogram(merged),
    endpointHistograms: Object.fromEntries(
      [...mergedEndpoints].map(([name, h]) => [name, encodeHistogram(h)]),
    ),
    ...(mergedDb.totalCount > 0 ? { dbHistogram: encodeHistogram(mergedDb) } : {}),
    resources: summarize(allSamples),
    generatorSaturated: medianGeneratorCpu >= GENERATOR_SATURATION_PERCENT,
  };
}

export function settingsOf(scenario: ResolvedScenario): ScenarioResult['settings'] {
  return {
    connections: scenario.connections,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    warmupSeconds: scenario.warmupSeconds,
    trialSeconds: scenario.trialSeconds,
    trials: scenario.trials,
  };
}

export function failedScenario(scenario: ResolvedScenario, message: string): ScenarioResult {
  return {
    name: scenario.name,
    kind: scenario.kind,
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials: [],
    histogram: encodeHistogram(newHistogram()),
    endpointHistograms: {},
    resources: summarize([]),
    generatorSaturated: false,
    failure: message,
  };
}
