import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedScenario } from '../config/plan.js';
import { runPhase } from '../load/driver.js';
import { encodeHistogram } from '../load/histogram.js';
import { summarize } from '../monitor/index.js';
import type { ScenarioResult } from '../result/types.js';
import { GENERATOR_SATURATION_PERCENT, settingsOf } from '../run/run-plan.js';
import { compileWithContexts, say, type KindContext } from './context.js';
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
  const common = {
    baseUrl: ctx.baseUrl,
    requests,
    contexts,
    timeoutSeconds: scenario.timeoutSeconds,
    ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
  };
  const base = scenario.connections;
  const burst = Math.max(1, Math.round(base * (settings.multiplier - 1)));
  if (scenario.warmupSeconds > 0) {
    ctx.onProgress?.({ type: 'warmup', scenario: scenario.name, seconds: scenario.warmupSeconds });
    await runPhase({ ...common, connections: base, seconds: scenario.warmupSeconds });
  }
  const names = [...new Set(requests.map((r) => r.name))];
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
  const baseLoad = runPhase({
    ...common,
    connections: base,
    seconds: total,
    recorder,
  });
  let outcomes;
  try {
    outcomes = await Promise.all([baseLoad, burstLoad]);
  } catch (error) {
    await ctx.monitor?.end();
    throw error;
  }
  const endMs = performance.now();
  const resources = ctx.monitor ? await ctx.monitor.end() : { samples: [], summary: summarize([]) };
  const recording = recorder.finish((endMs - t0) / 1000);
  const spikeStartSecond = (spikeStartMs - t0) / 1000;
  const spikeEndSecond = (spikeEndMs - t0) / 1000;
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
  const spikePhase = recorder.phaseMetrics(1, base + burst, endMs);
  const afterPhase = recorder.phaseMetrics(2, base, endMs);
  say(
    ctx,
    scenario.name,
    `p95 base ${basePhase.p95.toFixed(1)} ms, burst ${spikePhase.p95.toFixed(1)} ms, after ${afterPhase.p95.toFixed(1)} ms; recovered ${recovered === null ? 'not within the run' : `in ${recovered} s`}`,
  );
  const generatorCpu = Math.max(...outcomes.map((o) => o.generatorCpuPercent));
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
    resources: resources.summary,
    generatorSaturated: generatorCpu >= GENERATOR_SATURATION_PERCENT,
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
