import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedScenario } from '../config/plan.js';
import type { SpikeSettings } from '../config/schema.js';
import { runPhase, type PhaseOptions } from '../load/driver.js';
import { encodeHistogram } from '../load/histogram.js';
import { summarize } from '../monitor/index.js';
import type { ResourceSummary, ScenarioResult } from '../result/types.js';
import {
  compileWithContexts,
  GENERATOR_SATURATION_PERCENT,
  say,
  type KindContext,
} from './context.js';
import { settingsOf } from './scenario-result.js';
import { PhasedRecorder } from './phased-recorder.js';
import { baseP95, recoverySeconds } from './recovery-time.js';

/**
 * Spike: the base load runs without a break for base + burst + after seconds; a second load
 * instance adds (multiplier − 1) × connections for the burst, starting when the base phase is
 * over. Both feed one recorder, so the per-second series is one clock. The burst's start is a
 * scheduled event, not a wait for the service to settle.
 */
export async function runSpike(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<ScenarioResult> {
  const settings = scenario.spike;
  if (!settings) throw new Error(`scenario ${scenario.name} has no spike settings`);
  const { requests, contexts } = compileWithContexts(scenario, ctx);
  const common: Omit<PhaseOptions, 'connections' | 'seconds'> = {
    baseUrl: ctx.baseUrl,
    requests,
    contexts,
    timeoutSeconds: scenario.timeoutSeconds,
    ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
  };
  if (scenario.warmupSeconds > 0) {
    ctx.onProgress?.({ type: 'warmup', scenario: scenario.name, seconds: scenario.warmupSeconds });
    await runPhase({
      ...common,
      connections: scenario.connections,
      seconds: scenario.warmupSeconds,
    });
  }
  const names = [...new Set(requests.map((r) => r.name))];
  const run = await driveSpike(scenario, settings, ctx, common, names);
  return spikeResult(scenario, settings, ctx, run);
}

interface SpikeRun {
  recorder: PhasedRecorder;
  recording: ReturnType<PhasedRecorder['finish']>;
  resources: { summary: ResourceSummary };
  burst: number;
  t0: number;
  spikeStartMs: number;
  spikeEndMs: number;
  endMs: number;
  generatorCpuPercent: number;
}

/** The base load for the whole run and the burst on top of it, into one recorder. */
async function driveSpike(
  scenario: ResolvedScenario,
  settings: SpikeSettings,
  ctx: KindContext,
  common: Omit<PhaseOptions, 'connections' | 'seconds'>,
  names: readonly string[],
): Promise<SpikeRun> {
  const base = scenario.connections;
  const burst = Math.max(1, Math.round(base * (settings.multiplier - 1)));
  const t0 = performance.now();
  const recorder = new PhasedRecorder(names, t0);
  const total = settings.baseSeconds + settings.spikeSeconds + settings.afterSeconds;
  ctx.monitor?.begin();
  let spikeStartMs = t0;
  let spikeEndMs = t0;
  const burstLoad = (async () => {
    await delay(settings.baseSeconds * 1000);
    spikeStartMs = performance.now();
    recorder.mark(spikeStartMs);
    say(ctx, scenario.name, `burst: ${base + burst} connections for ${settings.spikeSeconds} s`);
    const outcome = await runPhase({
      ...common,
      connections: burst,
      seconds: settings.spikeSeconds,
      recorder,
    });
    spikeEndMs = performance.now();
    recorder.mark(spikeEndMs);
    return outcome;
  })();
  const baseLoad = runPhase({ ...common, connections: base, seconds: total, recorder });
  let outcomes;
  try {
    outcomes = await Promise.all([baseLoad, burstLoad]);
  } catch (error) {
    await ctx.monitor?.end();
    throw error;
  }
  const endMs = performance.now();
  const resources = ctx.monitor ? await ctx.monitor.end() : { summary: summarize([]) };
  return {
    recorder,
    recording: recorder.finish((endMs - t0) / 1000),
    resources,
    burst,
    t0,
    spikeStartMs,
    spikeEndMs,
    endMs,
    generatorCpuPercent: Math.max(...outcomes.map((o) => o.generatorCpuPercent)),
  };
}

/** The phases' figures and the time to recover, as the scenario's result. */
function spikeResult(
  scenario: ResolvedScenario,
  settings: SpikeSettings,
  ctx: KindContext,
  run: SpikeRun,
): ScenarioResult {
  const { recorder, recording, t0, endMs } = run;
  const base = scenario.connections;
  const spikeStartSecond = (run.spikeStartMs - t0) / 1000;
  const spikeEndSecond = (run.spikeEndMs - t0) / 1000;
  // Second 0 has the connections' ramp-up in it: leave it out of the base level when there is more.
  const baseFrom = Math.floor(spikeStartSecond) > 1 ? 1 : 0;
  const level = baseP95(recording.series, baseFrom, Math.floor(spikeStartSecond));
  const threshold = level * settings.recoveryTolerance;
  const recovered = recoverySeconds(
    recording.series,
    Math.ceil(spikeEndSecond),
    threshold,
    settings.recoveryHoldSeconds,
  );
  const basePhase = recorder.phaseMetrics(0, base, endMs);
  const spikePhase = {
    ...recorder.phaseMetrics(1, base + run.burst, endMs),
    // The Little's-law check covers the whole run (its connections change): shown on the burst.
    ...(recording.suspect === undefined ? {} : { suspect: recording.suspect }),
  };
  const afterPhase = recorder.phaseMetrics(2, base, endMs);
  say(
    ctx,
    scenario.name,
    `p95 base ${basePhase.p95.toFixed(1)} ms, burst ${spikePhase.p95.toFixed(1)} ms, after ${afterPhase.p95.toFixed(1)} ms; recovered ${recovered === null ? 'not within the run' : `in ${recovered} s`}`,
  );
  return {
    name: scenario.name,
    kind: 'spike',
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials: [],
    histogram: encodeHistogram(recording.histogram),
    endpointHistograms: Object.fromEntries(
      Object.entries(recording.endpointHistograms).map(([n, h]) => [n, encodeHistogram(h)]),
    ),
    ...(recording.dbHistogram.totalCount > 0
      ? { dbHistogram: encodeHistogram(recording.dbHistogram) }
      : {}),
    resources: run.resources.summary,
    generatorSaturated: run.generatorCpuPercent >= GENERATOR_SATURATION_PERCENT,
    kindResult: {
      kind: 'spike',
      base: basePhase,
      spike: spikePhase,
      after: afterPhase,
      series: recording.series,
      spikeStartSecond,
      spikeEndSecond,
      recoveryThresholdMs: threshold,
      recoverySeconds: recovered,
    },
  };
}
