/**
 * Shard results made the way `run --shard` makes them, without load: synthetic requests are fed
 * through the real recorders (ShardTrialRecorder per shard, TrialRecorder for the whole), so a
 * merge can be compared with one recorder that saw every request.
 */
import { encodeHistogram, newHistogram } from '../../../src/load/histogram.js';
import { seededRandom } from '../../../src/stats/random.js';
import type { TrialRecorder, TrialRecording } from '../../../src/load/recorder.js';
import { ShardTrialRecorder } from '../../../src/load/shard-recorder.js';
import { summarize } from '../../../src/monitor/index.js';
import type { RunResult, ScenarioResult, TrialResult } from '../../../src/result/types.js';

export interface SyntheticRequest {
  endpoint: string;
  /** ms since the trial started. */
  atMs: number;
  latencyMs: number;
  status: number;
  dbMs?: number;
  /** A timeout: latencyMs is how long it waited. */
  timedOut?: boolean;
}

export const ENDPOINTS = ['list', 'search'];
export const TRIAL_SECONDS = 3;

/** Requests over a trial: mostly fast, a slow tail, some 500s, a few timeouts, db time on list. */
export function syntheticRequests(seed: number, n: number): SyntheticRequest[] {
  const r = seededRandom(seed);
  const out: SyntheticRequest[] = [];
  for (let i = 0; i < n; i++) {
    const endpoint = ENDPOINTS[r() < 0.7 ? 0 : 1] as string;
    const tail = r() < 0.05;
    const latencyMs = tail ? 50 + r() * 400 : 0.2 + r() * r() * 20;
    out.push({
      endpoint,
      atMs: r() * TRIAL_SECONDS * 1000,
      latencyMs,
      status: r() < 0.02 ? 500 : 200,
      ...(endpoint === 'list' ? { dbMs: latencyMs * 0.4 } : {}),
      ...(r() < 0.003 ? { timedOut: true, latencyMs: 1000 + r() * 50 } : {}),
    });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Feed `requests` (in time order) through `recorder` and finish the trial. */
export function record(
  recorder: TrialRecorder,
  requests: readonly SyntheticRequest[],
  durationSeconds = TRIAL_SECONDS,
): TrialRecording {
  for (const q of requests) {
    if (q.timedOut) recorder.requestFailed(q.endpoint, 'timeout', q.latencyMs, q.atMs);
    else recorder.response(q.endpoint, q.status, 200, q.latencyMs, q.dbMs, q.atMs);
  }
  return recorder.finish(durationSeconds);
}

export function trialOf(
  recording: TrialRecording,
  index: number,
  startedAt: string,
  extra: Partial<TrialResult> = {},
): TrialResult {
  return {
    index,
    startedAt,
    durationSeconds: TRIAL_SECONDS,
    metrics: recording.metrics,
    endpoints: recording.endpoints,
    series: recording.series,
    resources: { samples: [], summary: summarize([]) },
    generatorCpuPercent: 20,
    ...extra,
  };
}

export interface ShardOptions {
  index: number;
  count: number;
  /** Per trial, this shard's requests. */
  trials: SyntheticRequest[][];
  startAt?: string;
  /** Per trial, ms this shard started after the first (default 0). */
  offsetsMs?: number[];
  configHash?: string;
  connections?: number;
}

const T0 = Date.parse('2025-03-01T10:00:00.000Z');

/** One shard's RunResult of a scenario "mix" (endpoints list and search). */
export function shardResult(o: ShardOptions): RunResult {
  const scenarioHistogram = newHistogram();
  const endpointHistograms = { list: newHistogram(), search: newHistogram() };
  const db = newHistogram();
  const trials = o.trials.map((requests, k) => {
    const recorder = new ShardTrialRecorder(ENDPOINTS, 0);
    const recording = record(recorder, requests);
    scenarioHistogram.add(recording.histogram);
    endpointHistograms.list.add(recording.endpointHistograms.list!);
    endpointHistograms.search.add(recording.endpointHistograms.search!);
    db.add(recording.dbHistogram);
    const planned = T0 + k * (TRIAL_SECONDS + 1) * 1000;
    const started = planned + (o.offsetsMs?.[k] ?? 0);
    return trialOf(recording, k, new Date(started).toISOString(), {
      shard: {
        plannedAt: new Date(planned).toISOString(),
        lateMs: o.offsetsMs?.[k] ?? 0,
        ...recorder.detail(),
      },
    });
  });
  const connections = o.connections ?? 12;
  const scenario: ScenarioResult = {
    name: 'mix',
    kind: 'load',
    settings: { connections, warmupSeconds: 0, trialSeconds: TRIAL_SECONDS, trials: trials.length },
    sla: { p95Ms: 500 },
    trials,
    histogram: encodeHistogram(scenarioHistogram),
    endpointHistograms: {
      list: encodeHistogram(endpointHistograms.list),
      search: encodeHistogram(endpointHistograms.search),
    },
    ...(db.totalCount > 0 ? { dbHistogram: encodeHistogram(db) } : {}),
    resources: summarize([]),
    generatorSaturated: false,
    shard: { connections: connections / o.count, warmupSeconds: 0 },
  };
  return {
    schemaVersion: 1,
    tool: { name: 'loadgate', version: '0.1.0' },
    startedAt: new Date(T0 - 5000 + o.index).toISOString(),
    finishedAt: new Date(T0 + 60_000 + o.index).toISOString(),
    git: { sha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00' },
    environment: {
      cpuModel: 'AMD EPYC 7763 64-Core Processor',
      cores: 4,
      memoryBytes: 16e9,
      os: 'linux',
      nodeVersion: 'v24.3.0',
      hash: 'e3b0c442',
    },
    config: { hash: o.configHash ?? '5f2a9c1d', profile: 'pr', source: 'loadgate.yml' },
    target: { baseUrl: 'https://staging.example.com' },
    scenarios: [scenario],
    shard: {
      index: o.index,
      count: o.count,
      ...(o.startAt === undefined ? {} : { startAt: o.startAt }),
      scheduleStart: o.startAt ?? new Date(T0).toISOString(),
    },
  };
}

/** Deal requests to `count` shards round-robin by a seeded draw, keeping time order. */
export function deal<T>(items: readonly T[], count: number, seed: number): T[][] {
  const r = seededRandom(seed);
  const out: T[][] = Array.from({ length: count }, () => []);
  for (const item of items) (out[Math.floor(r() * count)] as T[]).push(item);
  return out;
}
