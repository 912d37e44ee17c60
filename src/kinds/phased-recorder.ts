import { TrialRecorder, type FailedRequestRecord, type ResponseRecord } from '../load/recorder.js';
import { newHistogram, percentileMs, toMicros, type Histogram } from '../load/histogram.js';
import type { PhaseMetrics } from '../result/types.js';

/**
 * A TrialRecorder that also keeps one histogram per phase of a spike (before, during and after
 * the burst), switched by marks on the same monotonic clock. Bounded: three histograms more.
 */

type Phase = 0 | 1 | 2;

interface PhaseState {
  histogram: Histogram;
  responses: number;
  failed: number;
  attempts: number;
  timeouts: number;
  slowest: number;
  fromMs: number;
  toMs: number;
}

export class PhasedRecorder extends TrialRecorder {
  private phase: Phase = 0;
  private readonly phases: PhaseState[];

  constructor(endpointNames: readonly string[], startedAtMs: number) {
    super(endpointNames, startedAtMs);
    this.phases = [0, 1, 2].map(() => ({
      histogram: newHistogram(),
      responses: 0,
      failed: 0,
      attempts: 0,
      timeouts: 0,
      slowest: 0,
      fromMs: startedAtMs,
      toMs: startedAtMs,
    }));
  }

  /** The next phase starts now (performance.now()). */
  mark(nowMs: number): void {
    const current = this.phases[this.phase] as PhaseState;
    current.toMs = nowMs;
    if (this.phase < 2) this.phase = (this.phase + 1) as Phase;
    (this.phases[this.phase] as PhaseState).fromMs = nowMs;
  }

  override response(...record: ResponseRecord): void {
    super.response(...record);
    const [, status, expected, latencyMs] = record;
    const p = this.phases[this.phase] as PhaseState;
    p.histogram.recordValue(toMicros(latencyMs));
    p.responses++;
    p.attempts++;
    if (status !== expected) p.failed++;
    if (latencyMs > p.slowest) p.slowest = latencyMs;
  }

  /** A timed-out request counts in its phase's latencies at the time it waited, as in a trial. */
  override requestFailed(...record: FailedRequestRecord): void {
    super.requestFailed(...record);
    const [, cause, elapsedMs] = record;
    if (cause !== 'timeout') return;
    const p = this.phases[this.phase] as PhaseState;
    p.histogram.recordValue(toMicros(elapsedMs));
    if (elapsedMs > p.slowest) p.slowest = elapsedMs;
  }

  override failure(isTimeout: boolean, nowMs: number): void {
    super.failure(isTimeout, nowMs);
    const p = this.phases[this.phase] as PhaseState;
    p.attempts++;
    p.failed++;
    if (isTimeout) p.timeouts++;
  }

  /** Figures of phase `index` (0 base, 1 burst, 2 after); `endMs` closes the last phase. */
  phaseMetrics(index: Phase, connections: number, endMs: number): PhaseMetrics {
    const p = this.phases[index] as PhaseState;
    const to = index === this.phase ? endMs : p.toMs;
    const seconds = Math.max(0, (to - p.fromMs) / 1000);
    return {
      connections,
      seconds,
      requests: p.responses,
      throughput: seconds > 0 ? p.responses / seconds : 0,
      p50: percentileMs(p.histogram, 50),
      p95: percentileMs(p.histogram, 95),
      p99: percentileMs(p.histogram, 99),
      max: p.slowest,
      errorRate: p.attempts === 0 ? 0 : p.failed / p.attempts,
      timeouts: p.timeouts,
    };
  }
}
