import type { SlaThresholds, StressResult, StressStep } from '../result/types.js';

/**
 * Pure logic of the stress kind: the step schedule, whether a step is within the SLA, the knee
 * and the breaking point.
 */

/** start, start·factor, … (rounded up, strictly increasing), capped by max, which is always the last step. */
export function stressSchedule(start: number, max: number, factor: number): number[] {
  if (!(start >= 1) || !(max >= start) || !(factor > 1)) {
    throw new RangeError(`bad stress schedule: start ${start}, max ${max}, factor ${factor}`);
  }
  const steps: number[] = [];
  let c = Math.round(start);
  while (c < max) {
    steps.push(c);
    // ceil, and at least +1, so a small factor on 1 connection still moves.
    c = Math.max(c + 1, Math.ceil(c * factor));
  }
  steps.push(max);
  return steps;
}

export interface StepVerdict {
  withinSla: boolean;
  /** Why not, e.g. "p95 612 ms > 500 ms"; empty when within. */
  reason: string;
}

/** A step is within the SLA when its p95 and error rate are (the knee's two criteria). */
export function judgeStep(
  step: Pick<StressStep, 'p95' | 'errorRate' | 'requests'>,
  sla: Pick<SlaThresholds, 'p95Ms' | 'maxErrorRate'>,
): StepVerdict {
  const reasons: string[] = [];
  if (step.requests === 0) reasons.push('no responses');
  if (sla.p95Ms !== undefined && step.p95 > sla.p95Ms) {
    reasons.push(`p95 ${round(step.p95)} ms > ${sla.p95Ms} ms`);
  }
  if (sla.maxErrorRate !== undefined && step.errorRate > sla.maxErrorRate) {
    reasons.push(
      `error rate ${round(step.errorRate * 100)} % > ${round(sla.maxErrorRate * 100)} %`,
    );
  }
  return { withinSla: reasons.length === 0, reason: reasons.join(', ') };
}

function round(v: number): number {
  return Number(v.toPrecision(3));
}

/**
 * The knee: the step with the highest throughput among those within the SLA (ties: fewer
 * connections). The breaking point: the first step outside it (the run stops there).
 */
export function findKnee(
  steps: readonly Pick<StressStep, 'connections' | 'throughput' | 'p95' | 'withinSla'>[],
  reasons: readonly string[] = [],
): Pick<StressResult, 'knee' | 'breakingPoint'> {
  let knee: StressResult['knee'] = null;
  for (const s of steps) {
    if (!s.withinSla) continue;
    if (knee === null || s.throughput > knee.throughput) {
      knee = { connections: s.connections, throughput: s.throughput, p95: s.p95 };
    }
  }
  const breaking = steps.findIndex((s) => !s.withinSla);
  const step = steps[breaking];
  return {
    knee,
    breakingPoint:
      step === undefined
        ? null
        : { connections: step.connections, reason: reasons[breaking] || 'outside the SLA' },
  };
}
