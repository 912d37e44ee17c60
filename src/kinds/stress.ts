import type { ResolvedScenario } from '../config/plan.js';
import { runPhase } from '../load/driver.js';
import { encodeHistogram, newHistogram } from '../load/histogram.js';
import { summarize } from '../monitor/index.js';
import type { ResourceSample, ScenarioResult, StressStep } from '../result/types.js';
import {
  compileWithContexts,
  GENERATOR_SATURATION_PERCENT,
  say,
  type KindContext,
} from './context.js';
import { settingsOf } from './scenario-result.js';
import { measurePhase, phaseMetrics, type MeasuredPhase } from './phase.js';
import { findKnee, judgeStep, stressSchedule } from './stress-plan.js';

/**
 * Stress: step the connections (1, 2, 4 … max), one monitored phase per step, and stop at the
 * first step outside the SLA (p95, error rate). No trials: the steps are the measurement. The
 * merged histogram holds every step's latencies, so peak-load percentiles stay available.
 */
export async function runStress(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<ScenarioResult> {
  const settings = scenario.stress;
  if (!settings) throw new Error(`scenario ${scenario.name} has no stress settings`);
  const { requests, contexts } = compileWithContexts(scenario, ctx);
  const schedule = stressSchedule(
    settings.startConnections,
    settings.maxConnections,
    settings.factor,
  );
  if (scenario.warmupSeconds > 0) {
    ctx.onProgress?.({ type: 'warmup', scenario: scenario.name, seconds: scenario.warmupSeconds });
    await runPhase({
      baseUrl: ctx.baseUrl,
      requests,
      contexts,
      connections: schedule[0] ?? 1,
      seconds: scenario.warmupSeconds,
      timeoutSeconds: scenario.timeoutSeconds,
      ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
    });
  }
  const merged = newHistogram();
  const steps: StressStep[] = [];
  const reasons: string[] = [];
  const samples: ResourceSample[] = [];
  for (const connections of schedule) {
    const phase = await measurePhase(
      ctx,
      requests,
      contexts,
      connections,
      settings.stepSeconds,
      scenario.timeoutSeconds,
    );
    merged.add(phase.recording.histogram);
    samples.push(...phase.resources.samples);
    const { step, verdict } = stressStep(phase, connections, scenario);
    steps.push(step);
    reasons.push(verdict.reason);
    say(
      ctx,
      scenario.name,
      `${connections} connections: ${Math.round(step.throughput)} req/s, p95 ${step.p95.toFixed(1)} ms, errors ${(step.errorRate * 100).toFixed(2)} %${verdict.withinSla ? '' : ` (breaks: ${verdict.reason})`}`,
    );
    if (!verdict.withinSla) break;
  }
  const resources = summarize(samples);
  const { knee, breakingPoint } = findKnee(steps, reasons);
  // Saturated when the generator, not the service, was the limit at the knee (or the last step).
  const kneeStep = steps.find((s) => s.connections === knee?.connections) ?? steps.at(-1);
  return {
    name: scenario.name,
    kind: 'stress',
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials: [],
    histogram: encodeHistogram(merged),
    endpointHistograms: {},
    resources,
    generatorSaturated: (kneeStep?.generatorCpuPercent ?? 0) >= GENERATOR_SATURATION_PERCENT,
    kindResult: {
      kind: 'stress',
      steps,
      knee,
      breakingPoint,
      peakRssBytes: resources.rssBytesPeak,
      ...(resources.pgConnectionsPeak === undefined
        ? {}
        : { pgConnectionsPeak: resources.pgConnectionsPeak }),
    },
  };
}

/** One step's figures and whether they stay within the scenario's SLA. */
function stressStep(phase: MeasuredPhase, connections: number, scenario: ResolvedScenario) {
  const metrics = phaseMetrics(
    phase.recording.metrics,
    connections,
    phase.outcome.durationSeconds,
    phase.recording.suspect,
  );
  const verdict = judgeStep(metrics, scenario.sla);
  const summary = phase.resources.summary;
  const step: StressStep = {
    ...metrics,
    rssPeakBytes: summary.rssBytesPeak,
    cpuPercentMean: summary.cpuPercentMean,
    ...(summary.pgConnectionsPeak === undefined
      ? {}
      : { pgConnectionsPeak: summary.pgConnectionsPeak }),
    generatorCpuPercent: phase.outcome.generatorCpuPercent,
    withinSla: verdict.withinSla,
  };
  return { step, verdict };
}
