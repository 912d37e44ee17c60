/**
 * Builders of realistic RunResult documents for unit tests: n trials per scenario from given
 * per-trial values (histograms are empty strings; series and resources are synthesized).
 */
import type {
  GatedMetric,
  RunResult,
  ScenarioResult,
  SlaThresholds,
  TestKind,
  TrialResult,
} from '../../../src/result/types.js';
import { seededRandom } from '../../../src/stats/random.js';

/** Deterministic pseudo-random numbers in [0, 1): the load generator's own seeded source. */
export const rng = seededRandom;

/** n values uniformly within ±spread (relative) around center, deterministic by seed. */
export function noisy(center: number, n: number, spread: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => center * (1 + (r() * 2 - 1) * spread));
}

export interface ScenarioSpec {
  name: string;
  kind?: TestKind;
  /** Per-trial p95 in ms; its length is the number of trials. */
  p95: number[];
  /** Per-trial p50 in ms (default: half the p95). */
  p50?: number[];
  p99?: number[];
  throughput?: number[];
  errorRate?: number[];
  dbP95?: number[];
  maxMs?: number[];
  sla?: SlaThresholds;
  failure?: string;
  generatorSaturated?: boolean;
  connections?: number;
  /** Seconds of series per trial (default 5). */
  seconds?: number;
  resources?: Partial<ScenarioResult['resources']>;
}

export interface RunSpec {
  envHash?: string;
  cpuModel?: string;
  cores?: number;
  configHash?: string;
  sha?: string;
  ref?: string;
  startedAt?: string;
  noiseFloor?: RunResult['noiseFloor'];
}

function trial(spec: ScenarioSpec, i: number): TrialResult {
  const p95 = spec.p95[i] ?? 0;
  const p99 = spec.p99?.[i] ?? p95 * 1.5;
  const throughput = spec.throughput?.[i] ?? 1000;
  const errorRate = spec.errorRate?.[i] ?? 0;
  const seconds = spec.seconds ?? 5;
  const requests = Math.round(throughput * seconds);
  const errors = Math.round(requests * errorRate);
  const dbP95 = spec.dbP95?.[i];
  return {
    index: i,
    startedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, i * 10)).toISOString(),
    durationSeconds: seconds,
    metrics: {
      requests,
      throughput,
      p50: spec.p50?.[i] ?? p95 * 0.5,
      p90: p95 * 0.9,
      p95,
      p99,
      p999: p99 * 1.2,
      max: spec.maxMs?.[i] ?? p99 * 2,
      mean: p95 * 0.55,
      errorRate,
      errors,
      timeouts: 0,
      unexpectedStatus: errors,
      statusCodes: { '200': requests - errors, ...(errors > 0 ? { '500': errors } : {}) },
      ...(dbP95 === undefined ? {} : { dbP95 }),
    },
    endpoints: {
      main: { requests, throughput, p50: p95 * 0.5, p95, p99, max: p99 * 2, errors },
    },
    series: Array.from({ length: seconds }, (_, t) => ({
      t,
      requests: Math.round(throughput * (1 + 0.02 * Math.sin(t + i))),
      p95: p95 * (1 + 0.03 * Math.cos(t + i)),
      errors: Math.round(errors / seconds),
    })),
    resources: {
      samples: [{ t: 0, cpuPercent: 50, rssBytes: 100 * 1024 * 1024 }],
      summary: {
        samples: 1,
        cpuPercentPeak: 50,
        cpuPercentMean: 50,
        rssBytesPeak: 100 * 1024 * 1024,
        rssBytesMean: 100 * 1024 * 1024,
      },
    },
    generatorCpuPercent: 40,
  };
}

export function scenario(spec: ScenarioSpec): ScenarioResult {
  const n = spec.p95.length;
  return {
    name: spec.name,
    kind: spec.kind ?? 'load',
    settings: {
      connections: spec.connections ?? 10,
      warmupSeconds: 2,
      trialSeconds: spec.seconds ?? 5,
      trials: n,
    },
    sla: spec.sla ?? {},
    trials: spec.failure ? [] : Array.from({ length: n }, (_, i) => trial(spec, i)),
    histogram: '',
    endpointHistograms: {},
    resources: {
      samples: n,
      cpuPercentPeak: 90,
      cpuPercentMean: 50,
      rssBytesPeak: 120 * 1024 * 1024,
      rssBytesMean: 100 * 1024 * 1024,
      ...spec.resources,
    },
    generatorSaturated: spec.generatorSaturated ?? false,
    ...(spec.failure ? { failure: spec.failure } : {}),
  };
}

export function buildRun(scenarios: ScenarioSpec[], spec: RunSpec = {}): RunResult {
  const cores = spec.cores ?? 2;
  return {
    schemaVersion: 1,
    tool: { name: 'loadgate', version: '0.1.0' },
    startedAt: spec.startedAt ?? '2025-01-01T12:00:00.000Z',
    finishedAt: '2025-01-01T12:10:00.000Z',
    git: {
      sha: spec.sha ?? '0123456789abcdef0123456789abcdef01234567',
      ref: spec.ref ?? 'refs/heads/main',
    },
    environment: {
      cpuModel: spec.cpuModel ?? 'AMD EPYC 7763 64-Core Processor',
      cores,
      memoryBytes: 8 * 1024 ** 3,
      os: 'linux x64',
      nodeVersion: 'v24.1.0',
      hash: spec.envHash ?? 'env-aaaa',
    },
    config: { hash: spec.configHash ?? 'cfg-1111', profile: 'pr', source: 'loadgate.yml' },
    target: { baseUrl: 'http://127.0.0.1:8000' },
    scenarios: scenarios.map(scenario),
    ...(spec.noiseFloor ? { noiseFloor: spec.noiseFloor } : {}),
  };
}

/** Scale every gated metric of a spec (e.g. to make a 20 % slowdown). */
export function scaled(spec: ScenarioSpec, metric: GatedMetric, factor: number): ScenarioSpec {
  const key = metric as 'p95' | 'p99' | 'throughput' | 'errorRate' | 'dbP95';
  const values = spec[key] ?? (metric === 'p99' ? spec.p95.map((v) => v * 1.5) : undefined);
  if (!values) return spec;
  return { ...spec, [key]: values.map((v) => v * factor) };
}
