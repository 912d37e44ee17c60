import { performance } from 'node:perf_hooks';
import type { ResolvedScenario } from '../config/plan.js';
import { runPhase, type PhaseOptions } from '../load/driver.js';
import { encodeHistogram, newHistogram, type Histogram } from '../load/histogram.js';
import { TrialRecorder } from '../load/recorder.js';
import { summarize } from '../monitor/index.js';
import type { ResourceSample, ScenarioResult, TrialResult } from '../result/types.js';
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
  const { requests, contexts } = compileWithContexts(scenario, ctx);
  const phase: Omit<PhaseOptions, 'seconds'> = {
    baseUrl: ctx.baseUrl,
    requests,
    contexts,
    connections: scenario.connections,
    timeoutSeconds: scenario.timeoutSeconds,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
  };
  if (scenario.warmupSeconds > 0) {
    ctx.onProgress?.({ type: 'warmup', scenario: scenario.name, seconds: scenario.warmupSeconds });
    await runPhase({ ...phase, seconds: scenario.warmupSeconds });
  }
  const names = [...new Set(requests.map((r) => r.name))];
  const merged = new MergedHistograms(names);
  const trials: TrialResult[] = [];
  const allSamples: ResourceSample[] = [];
  for (let index = 0; index < scenario.trials; index++) {
    const startedAt = new Date().toISOString();
    const recorder = recorderFactory
      ? recorderFactory(names, performance.now())
      : new TrialRecorder(names, performance.now());
    ctx.monitor?.begin();
    const outcome = await runPhase({ ...phase, seconds: scenario.trialSeconds, recorder });
    const resources = ctx.monitor
      ? await ctx.monitor.end()
      : { samples: [], summary: summarize([]) };
    const recording = recorder.finish(outcome.durationSeconds, scenario.rate);
    merged.add(recording);
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
    ctx.onProgress?.({
      type: 'trial',
      scenario: scenario.name,
      trial: index + 1,
      trials: scenario.trials,
      throughput: recording.metrics.throughput,
      p95: recording.metrics.p95,
      errorRate: recording.metrics.errorRate,
    });
  }
  return {
    name: scenario.name,
    kind: scenario.kind,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials,
    ...merged.encode(),
    resources: summarize(allSamples),
    generatorSaturated: medianGeneratorCpu(trials) >= GENERATOR_SATURATION_PERCENT,
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
