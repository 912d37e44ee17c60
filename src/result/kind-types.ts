/**
 * What the non-load test kinds measure (src/kinds): a scenario's `kindResult`. Part of
 * result/types.ts, which re-exports it.
 */
import type { SecondPoint, TrialSuspicion } from './measurement-types.js';

/** Latency and error figures of one stretch of load (a stress step, a spike phase). */
export interface PhaseMetrics {
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errorRate: number;
  timeouts: number;
  /** Set when this stretch's measurement cannot be trusted (see TrialSuspicion). */
  suspect?: TrialSuspicion;
}

export interface StressStep extends PhaseMetrics {
  /** Peak service RSS and mean CPU (percent of one core) during the step, when monitored. */
  rssPeakBytes: number;
  cpuPercentMean: number;
  pgConnectionsPeak?: number;
  generatorCpuPercent: number;
  /** p95 and error rate within the scenario's SLA. */
  withinSla: boolean;
}

export interface StressResult {
  kind: 'stress';
  steps: StressStep[];
  /** The step with the highest throughput within the SLA (null: not even the first step). */
  knee: { connections: number; throughput: number; p95: number } | null;
  /** The first step that broke the SLA (null: none up to maxConnections); the run stops there. */
  breakingPoint: { connections: number; reason: string } | null;
  peakRssBytes: number;
  pgConnectionsPeak?: number;
}

export interface SpikeResult {
  kind: 'spike';
  base: PhaseMetrics;
  spike: PhaseMetrics;
  after: PhaseMetrics;
  /** Per-second points of the whole run (base, spike, after on one clock). */
  series: SecondPoint[];
  spikeStartSecond: number;
  spikeEndSecond: number;
  /** A second with p95 at or below this counts as recovered (base p95 × tolerance). */
  recoveryThresholdMs: number;
  /** Seconds from the end of the burst until p95 is back for `recoveryHoldSeconds`; null: not within the run. */
  recoverySeconds: number | null;
}

export interface VolumeResult {
  kind: 'volume';
  seeded: {
    method: 'api' | 'command';
    admins: number;
    grants: number;
    /** Wall time of the whole seeding, and of its two parts when seeded through the API. */
    seconds: number;
    adminSeconds?: number;
    grantSeconds?: number;
    failedRequests: number;
  };
  /** The bulk action on `users` admins; null when bulkUsers is 0. */
  bulk: { users: number; action: string; durationMs: number; status: number; ok: boolean } | null;
}

export interface TrendSummary {
  /** Units per minute. */
  slope: number;
  slopeLower: number;
  slopeUpper: number;
  r2: number;
  points: number;
  /** Minutes since the start of the run where the fitted stretch begins and ends. */
  fromMinute: number;
  toMinute: number;
}

export interface SoakWindow {
  /** Seconds since the soak started (window start). */
  t: number;
  seconds: number;
  throughput: number;
  p95: number;
  errorRate: number;
  rssMb: number | null;
}

export interface SoakResult {
  kind: 'soak';
  seconds: number;
  connections: number;
  rate?: number;
  /** Where the rate came from. */
  rateSource: 'config' | 'knee' | 'none';
  windowSeconds: number;
  windows: SoakWindow[];
  /** RSS (MB) over minutes, last two thirds of the run; null when too few samples. */
  rss: TrendSummary | null;
  /** Per-window p95 (ms) over minutes, last two thirds; null when too few windows. */
  p95: TrendSummary | null;
  /**
   * The slopes a finding needs: max(SLA per minute, minimum growth ÷ fitted minutes); null when
   * there is no trend or no SLA.
   */
  leakThresholdMbPerMin: number | null;
  p95ThresholdMsPerMin: number | null;
  leak: boolean;
  degradation: boolean;
}

export interface RecoveryResult {
  kind: 'recovery';
  /** Requests expecting a 4xx (the invalid ones) and what they got. */
  invalid: { requests: number; fourxx: number; fivexx: number; other: number };
  valid: { requests: number; succeeded: number; fivexx: number };
  /** Share of valid requests answered with their expected status (0..1; 1 when none were sent). */
  validSuccessRate: number;
  /** Health probe after the trials. */
  healthAfter: { ok: boolean; status: number | null; ms: number | null };
}

export type KindResult = StressResult | SpikeResult | VolumeResult | SoakResult | RecoveryResult;
