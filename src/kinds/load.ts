import { performance } from 'node:perf_hooks';
import type { ResolvedScenario } from '../config/plan.js';
import { runPhase, type PhaseOptions } from '../load/driver.js';
import { encodeHistogram, newHistogram, type Histogram } from '../load/histogram.js';
import { TrialRecorder } from '../load/recorder.js';
import { summarize } from '../monitor/index.js';
import type { ResourceSample, ScenarioResult, TrialMetrics, TrialResult } from '../result/types.js';
import {
  compileWithContexts,
  GENERATOR_SATURATION_PERCENT,
  type KindContext,
  type RecorderFactory,
} from './context.js';
import { settingsOf } from './scenario-result.js';

/**
 * The load kind, and the path of every kind with ordinary trials (soak, volume, recovery):
 * a warm-up, then K recorded trials, with the resource monitor recording a window per trial.
 */
export async function runLoad(
  scenario: ResolvedScenario,
  ctx: KindContext,
  recorderFactory?: RecorderFactory,
): Promise<ScenarioResult> {
  const trials = new LoadTrials(scenario, ctx, recorderFactory);
  await trials.warmup();
  for (let index = 0; index < scenario.trials; index++) await trials.trial(index);
  return trials.result();
}

/**
 * One side's trials of a load scenario, one step at a time, so an interleaved A/B run can
 * alternate two of them (run/ab-plan.ts) while a single run goes straight through (runLoad).
 */
export class LoadTrials {
  private phase: Omit<PhaseOptions, 'seconds'>;
  private ctx: KindContext;
  private readonly names: string[];
  private readonly merged: MergedHistograms;
  private readonly trials: TrialResult[] = [];
  private readonly samples: ResourceSample[] = [];

  constructor(
    readonly scenario: ResolvedScenario,
    ctx: KindContext,
    private readonly recorderFactory?: RecorderFactory,
  ) {
    this.ctx = ctx;
    this.phase = phaseOf(scenario, ctx);
    this.names = [...new Set(this.phase.requests.map((r) => r.name))];
    this.merged = new MergedHistograms(this.names);
  }

  /**
   * Go on against a restarted service (an A/B run's next round, run/ab-plan.ts): its new pools,
   * monitor and crash signal; the trials so far stay in the scenario's result.
   */
  rebind(ctx: KindContext): void {
    this.ctx = ctx;
    this.phase = phaseOf(this.scenario, ctx);
  }

  /** Load that is not recorded, so connections, caches and JIT settle first. */
  async warmup(): Promise<void> {
    const seconds = this.scenario.warmupSeconds;
    if (seconds <= 0) return;
    this.ctx.onProgress?.({ type: 'warmup', scenario: this.scenario.name, seconds });
    await runPhase({ ...this.phase, seconds });
  }

  /**
   * One recorded trial (its index is the trial's position, or the block in an A/B run; `round`,
   * the A/B round it belongs to when the run has several).
   */
  async trial(index: number, round?: number): Promise<TrialResult> {
    const { scenario, ctx } = this;
    const startedAt = new Date().toISOString();
    const recorder = this.recorderFactory
      ? this.recorderFactory(this.names, performance.now())
      : new TrialRecorder(this.names, performance.now());
    ctx.monitor?.begin();
    const outcome = await runPhase({ ...this.phase, seconds: scenario.trialSeconds, recorder });
    const { cpuSeconds, ...resources } = ctx.monitor
      ? await ctx.monitor.end()
      : { samples: [], summary: summarize([]), cpuSeconds: undefined };
    const recording = recorder.finish(outcome.durationSeconds, scenario.rate);
    const metrics = withCpuPerRequest(recording.metrics, cpuSeconds);
    this.merged.add(recording);
    this.samples.push(...resources.samples);
    const trial: TrialResult = {
      index,
      startedAt,
      durationSeconds: outcome.durationSeconds,
      metrics,
      endpoints: recording.endpoints,
      series: recording.series,
      resources,
      generatorCpuPercent: outcome.generatorCpuPercent,
      ...(recording.suspect === undefined ? {} : { suspect: recording.suspect }),
      ...(round === undefined ? {} : { round }),
    };
    this.trials.push(trial);
    ctx.onProgress?.({
      type: 'trial',
      scenario: scenario.name,
      trial: this.trials.length,
      trials: scenario.trials,
      throughput: recording.metrics.throughput,
      p95: recording.metrics.p95,
      errorRate: recording.metrics.errorRate,
    });
    return trial;
  }

  /** The scenario's result from the trials run so far. */
  result(): ScenarioResult {
    const { scenario } = this;
    return {
      name: scenario.name,
      kind: scenario.kind,
      ...(scenario.description === undefined ? {} : { description: scenario.description }),
      settings: settingsOf(scenario),
      sla: scenario.sla,
      trials: this.trials,
      ...this.merged.encode(),
      resources: summarize(this.samples),
      generatorSaturated: medianGeneratorCpu(this.trials) >= GENERATOR_SATURATION_PERCENT,
    };
  }
}

/** The cost of a request: the service's CPU in the trial over the requests it completed (µs). */
export function withCpuPerRequest(
  metrics: TrialMetrics,
  cpuSeconds: number | undefined,
): TrialMetrics {
  if (cpuSeconds === undefined || metrics.requests === 0) return metrics;
  return { ...metrics, cpuPerRequest: (cpuSeconds * 1e6) / metrics.requests };
}

function phaseOf(scenario: ResolvedScenario, ctx: KindContext): Omit<PhaseOptions, 'seconds'> {
  const { requests, contexts } = compileWithContexts(scenario, ctx);
  return {
    baseUrl: ctx.baseUrl,
    requests,
    contexts,
    connections: scenario.connections,
    timeoutSeconds: scenario.timeoutSeconds,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
  };
}

function medianGeneratorCpu(trials: readonly TrialResult[]): number {
  const sorted = trials.map((t) => t.generatorCpuPercent).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The scenario's histograms over all trials: overall, per endpoint and database time. */
class MergedHistograms {
  private readonly all = newHistogram();
  private readonly db = newHistogram();
  private readonly endpoints: Map<string, Histogram>;

  constructor(names: readonly string[]) {
    this.endpoints = new Map(names.map((name) => [name, newHistogram()]));
  }

  add(recording: {
    histogram: Histogram;
    dbHistogram: Histogram;
    endpointHistograms: Record<string, Histogram>;
  }): void {
    this.all.add(recording.histogram);
    this.db.add(recording.dbHistogram);
    for (const [name, histogram] of Object.entries(recording.endpointHistograms)) {
      this.endpoints.get(name)?.add(histogram);
    }
  }

  encode(): Pick<ScenarioResult, 'histogram' | 'endpointHistograms' | 'dbHistogram'> {
    return {
      histogram: encodeHistogram(this.all),
      endpointHistograms: Object.fromEntries(
        [...this.endpoints].map(([name, h]) => [name, encodeHistogram(h)]),
      ),
      ...(this.db.totalCount > 0 ? { dbHistogram: encodeHistogram(this.db) } : {}),
    };
  }
}
