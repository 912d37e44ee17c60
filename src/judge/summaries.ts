/**
 * What the verdict says about each side without testing anything: where a run came from
 * (provenance) and the medians of its trials (or a kind's single figures).
 */
import { median } from 'simple-statistics';
import type { EnvironmentFingerprint, RunResult, ScenarioResult } from '../result/types.js';
import type { MetricMedians, Provenance } from './types.js';

export function describeMachine(env: EnvironmentFingerprint): string {
  const gb = env.memoryBytes / 1024 ** 3;
  return `${env.cpuModel} ×${env.cores}, ${gb >= 10 ? Math.round(gb) : gb.toFixed(1)} GB, ${env.os}`;
}

export function provenance(r: RunResult): Provenance {
  return {
    toolVersion: r.tool.version,
    gitSha: r.git?.sha ?? null,
    gitRef: r.git?.ref ?? null,
    startedAt: r.startedAt,
    machine: describeMachine(r.environment),
    environmentHash: r.environment.hash,
    configHash: r.config.hash,
    profile: r.config.profile,
  };
}

/** Kinds without trials: the knee step of a stress run, the burst of a spike. */
function kindMedians(s: ScenarioResult): MetricMedians | null {
  const k = s.kindResult;
  const phase =
    k?.kind === 'spike'
      ? k.spike
      : k?.kind === 'stress'
        ? (k.steps.find((step) => step.connections === k.knee?.connections) ?? k.steps[0])
        : undefined;
  if (!phase) return null;
  return {
    p50: phase.p50,
    p95: phase.p95,
    p99: phase.p99,
    throughput: phase.throughput,
    errorRate: phase.errorRate,
    dbP95: null,
  };
}

/** Medians across trials; null for a scenario with neither trials nor a kind's figures. */
export function medians(s: ScenarioResult): MetricMedians | null {
  if (s.trials.length === 0) return kindMedians(s);
  const m = (pick: (t: ScenarioResult['trials'][number]) => number) => median(s.trials.map(pick));
  const db = s.trials.map((t) => t.metrics.dbP95);
  return {
    p50: m((t) => t.metrics.p50),
    p95: m((t) => t.metrics.p95),
    p99: m((t) => t.metrics.p99),
    throughput: m((t) => t.metrics.throughput),
    errorRate: m((t) => t.metrics.errorRate),
    dbP95: db.every((v) => typeof v === 'number') ? median(db as number[]) : null,
  };
}
