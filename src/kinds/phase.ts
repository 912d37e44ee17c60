import { performance } from 'node:perf_hooks';
import type { CompiledRequest, RenderContexts } from '../load/compile.js';
import { runPhase, type PhaseOutcome } from '../load/driver.js';
import { TrialRecorder, type TrialRecording } from '../load/recorder.js';
import { summarize } from '../monitor/index.js';
import type { PhaseMetrics, ResourceSample, ResourceSummary } from '../result/types.js';
import type { KindContext } from './context.js';

/** One monitored stretch of load with its own recorder (a stress step). */
export interface MeasuredPhase {
  recording: TrialRecording;
  outcome: PhaseOutcome;
  resources: { samples: ResourceSample[]; summary: ResourceSummary };
}

export async function measurePhase(
  ctx: KindContext,
  requests: readonly CompiledRequest[],
  contexts: RenderContexts,
  connections: number,
  seconds: number,
  timeoutSeconds: number,
): Promise<MeasuredPhase> {
  const names = [...new Set(requests.map((r) => r.name))];
  const recorder = new TrialRecorder(names, performance.now());
  ctx.monitor?.begin();
  const running = runPhase({
    baseUrl: ctx.baseUrl,
    requests,
    contexts,
    connections,
    seconds,
    timeoutSeconds,
    recorder,
    ...(ctx.abort === undefined ? {} : { abort: ctx.abort }),
  });
  // The window is closed even when the phase throws, so a later begin() starts clean.
  const outcome = await running.catch(async (error: unknown) => {
    await ctx.monitor?.end();
    throw error;
  });
  const resources = ctx.monitor
    ? await ctx.monitor.end()
    : { samples: [] as ResourceSample[], summary: summarize([]) };
  return { recording: recorder.finish(outcome.durationSeconds), outcome, resources };
}

export function phaseMetrics(
  m: TrialRecording['metrics'],
  connections: number,
  seconds: number,
  suspect?: TrialRecording['suspect'],
): PhaseMetrics {
  return {
    connections,
    seconds,
    requests: m.requests,
    throughput: m.throughput,
    p50: m.p50,
    p95: m.p95,
    p99: m.p99,
    max: m.max,
    errorRate: m.errorRate,
    timeouts: m.timeouts,
    ...(suspect === undefined ? {} : { suspect }),
  };
}
