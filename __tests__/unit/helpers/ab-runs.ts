/**
 * A/B results shaped like the demo's (`npm run demo`: the admin preset's seven load scenarios,
 * base and head side by side in rounds of two pairs, a pair at a steady rate per round), for the
 * judge's and the report's tests. Each scenario calls named endpoints in a weighted mix; a
 * head factor per endpoint slows its requests on the head. Per trial, both sides share the
 * round's luck (a pair of processes) and each has its own noise; every figure follows from the
 * endpoints' latencies, so a slow endpoint shows where it would: in the mix's tail, its median,
 * its throughput and its CPU per request.
 */
import type {
  AbSequential,
  RunResult,
  ScenarioResult,
  SlaThresholds,
  TrialResult,
} from '../../../src/result/types.js';
import {
  DEFAULT_JUDGE_OPTIONS,
  DEFAULT_PAIRED_ALPHA,
  DEFAULT_PAIRED_MIN_EFFECT,
  type JudgeOptions,
} from '../../../src/judge/types.js';
import { buildRun, rng } from './results.js';

/** The A/B mode's judge options (config/mode.ts): α 0.01, min effect 3 %. */
export const AB_OPTIONS: JudgeOptions = {
  ...DEFAULT_JUDGE_OPTIONS,
  alpha: DEFAULT_PAIRED_ALPHA,
  minEffect: DEFAULT_PAIRED_MIN_EFFECT,
};

export interface AbScenarioSpec {
  name: string;
  /** Endpoint → weight in the mix (one endpoint: a scenario of one request). */
  endpoints: Record<string, number>;
  /** The base's p95 of each endpoint, ms. */
  p95: number;
  /** Endpoint → how much slower its requests are on the head (1: the same). */
  slower?: Record<string, number>;
  /** Requests per second on the base. */
  throughput?: number;
  sla?: SlaThresholds;
  /** Both sides' error rate (default 0); `baseErrorRate` the base's alone. */
  errorRate?: number;
  baseErrorRate?: number;
  /** Status of the failed requests (default 500). */
  failedStatus?: string;
}

/** The demo's seven scenarios: the admin preset's load scenarios and their SLA. */
export function demoScenarios(
  slower: Record<string, Record<string, number>> = {},
): AbScenarioSpec[] {
  const base: AbScenarioSpec[] = [
    {
      name: 'list-admins',
      endpoints: { list: 1 },
      p95: 4,
      throughput: 4800,
      sla: { minThroughput: 200 },
    },
    {
      name: 'search-admins',
      endpoints: { search: 1 },
      p95: 9,
      throughput: 1400,
      sla: { minThroughput: 150 },
    },
    { name: 'get-admin', endpoints: { get: 1 }, p95: 2, throughput: 9000 },
    {
      name: 'grant-permission',
      endpoints: { grant: 1 },
      p95: 6,
      throughput: 2600,
      sla: { p95Ms: 200, minThroughput: 100 },
    },
    {
      name: 'bulk-deactivate',
      endpoints: { 'bulk-deactivate': 1 },
      p95: 40,
      throughput: 60,
      sla: { maxRequestMs: 5000 },
    },
    {
      name: 'concurrent-admins',
      endpoints: { list: 4, search: 2, get: 3, update: 1, grant: 2, create: 1 },
      p95: 15,
      throughput: 2700,
    },
    {
      name: 'create-admin',
      endpoints: { create: 1 },
      p95: 8,
      throughput: 1900,
      sla: { minThroughput: 50 },
    },
  ];
  const common: SlaThresholds = {
    p95Ms: 500,
    maxErrorRate: 0.01,
    maxRssMb: 512,
    maxCpuPercent: 80,
  };
  return base.map((s) => ({
    ...s,
    sla: { ...common, ...s.sla },
    ...(slower[s.name] ? { slower: slower[s.name] } : {}),
  }));
}

export const ROUNDS = 7;
const PAIRS_PER_ROUND = 2;

interface Side {
  /** Endpoint latency factor of this side (1 on the base). */
  factor: (endpoint: string) => number;
  errorRate: number;
}

function weightedFactor(spec: AbScenarioSpec, side: Side): number {
  const total = Object.values(spec.endpoints).reduce((a, w) => a + w, 0);
  return Object.entries(spec.endpoints).reduce((a, [e, w]) => a + (w / total) * side.factor(e), 0);
}

/** A trial of `spec` on one side; what it does not model (resources) from `template`. */
function trialOf(
  spec: AbScenarioSpec,
  side: Side,
  at: { index: number; round: number; level: number; template: TrialResult },
  noise: () => number,
): TrialResult {
  const { index, round, level, template } = at;
  const total = Object.values(spec.endpoints).reduce((a, w) => a + w, 0);
  const mean = weightedFactor(spec, side);
  const throughput = ((spec.throughput ?? 1000) * level) / mean;
  const requests = Math.round(throughput);
  const endpoints: TrialResult['endpoints'] = {};
  let tail = 0;
  for (const [e, w] of Object.entries(spec.endpoints)) {
    const p95 = spec.p95 * level * side.factor(e) * (1 + noise());
    const share = Math.max(1, Math.round((requests * w) / total));
    endpoints[e] = {
      requests: share,
      throughput: (throughput * w) / total,
      p50: p95 / 2.5,
      p95,
      p99: p95 * 1.6,
      max: p95 * 3,
      errors: Math.round(share * side.errorRate),
    };
    // The mix's tail is its slowest endpoint's, once that one is a real share of the requests.
    if (w / total >= 0.05) tail = Math.max(tail, p95);
  }
  const p95 = tail;
  const errors = Math.round(requests * side.errorRate);
  const failed = spec.failedStatus ?? '500';
  return {
    index,
    startedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, index * 2)).toISOString(),
    durationSeconds: 1,
    round,
    metrics: {
      requests,
      throughput,
      p50: (spec.p95 * level * mean) / 2.5,
      p90: p95 * 0.9,
      p95,
      p99: p95 * 1.6,
      p999: p95 * 2,
      max: p95 * 3,
      mean: (spec.p95 * level * mean) / 2,
      errorRate: side.errorRate,
      errors,
      timeouts: 0,
      unexpectedStatus: errors,
      statusCodes: { '200': requests - errors, ...(errors > 0 ? { [failed]: errors } : {}) },
      dbP95: 0.5 * level,
      cpuPerRequest: 150 * mean * (1 + noise()),
    },
    endpoints,
    series: [0, 1].map((t) => ({ t, requests: Math.round(throughput / 2), p95, errors: 0 })),
    resources: template.resources,
    generatorCpuPercent: template.generatorCpuPercent,
  };
}

/** Both sides of one scenario: `rounds` rounds of two pairs and a steady pair per round. */
function sidesOf(spec: AbScenarioSpec, rounds: number, seed: number, template: TrialResult) {
  const r = rng(seed);
  const noise = () => (r() * 2 - 1) * 0.02;
  const base: Side = { factor: () => 1, errorRate: spec.baseErrorRate ?? spec.errorRate ?? 0 };
  const head: Side = { factor: (e) => spec.slower?.[e] ?? 1, errorRate: spec.errorRate ?? 0 };
  const trials = { base: [] as TrialResult[], head: [] as TrialResult[] };
  const steady = { base: [] as TrialResult[], head: [] as TrialResult[] };
  for (let round = 0; round < rounds; round++) {
    const luck = 1 + (r() * 2 - 1) * 0.03;
    for (let k = 0; k < PAIRS_PER_ROUND; k++) {
      const i = round * PAIRS_PER_ROUND + k;
      const at = { index: i, round, level: luck, template };
      trials.base.push(trialOf(spec, base, at, noise));
      trials.head.push(trialOf(spec, head, at, noise));
    }
    // At a steady rate below saturation, latency is the work plus a little waiting.
    const at = { index: round, round, level: luck * 0.6, template };
    steady.base.push(trialOf(spec, base, at, noise));
    steady.head.push(trialOf(spec, head, at, noise));
  }
  return { trials, steady };
}

function withTrials(
  s: ScenarioResult,
  trials: TrialResult[],
  steady: TrialResult[],
): ScenarioResult {
  return {
    ...s,
    settings: { ...s.settings, trials: trials.length, trialSeconds: 1, warmupSeconds: 1 },
    trials,
    steady: { rate: (s.trials[0]?.metrics.throughput ?? 1000) / 2, trials: steady },
  };
}

/**
 * An A/B result of these scenarios in `rounds` rounds (7: the demo's 14 pairs), base `bbbbbbb`
 * and head `fffffff`; `sequential` makes it a run with a budget that ended as recorded there.
 */
export function abRun(
  specs: readonly AbScenarioSpec[],
  options: { rounds?: number; sequential?: (names: string[]) => AbSequential } = {},
): RunResult {
  const rounds = options.rounds ?? ROUNDS;
  const shells = (sha: string) =>
    buildRun(
      specs.map((s) => ({ name: s.name, p95: [s.p95], sla: s.sla ?? {} })),
      { sha },
    );
  const head = shells('f'.repeat(40));
  const base = shells('b'.repeat(40));
  const sides = specs.map((s, i) => {
    const template = head.scenarios[i]?.trials[0];
    if (!template) throw new Error(`no trial for ${s.name}`);
    return sidesOf(s, rounds, 1000 + i * 17, template);
  });
  const order = (n: number): ('base-first' | 'head-first')[] =>
    Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'base-first' : 'head-first'));
  return {
    ...head,
    scenarios: head.scenarios.map((s, i) =>
      withTrials(s, sides[i]?.trials.head ?? [], sides[i]?.steady.head ?? []),
    ),
    ab: {
      seed: 7,
      schedule: 'duet',
      serviceCpus: '1',
      rounds,
      ...(options.sequential ? { sequential: options.sequential(specs.map((s) => s.name)) } : {}),
      base: {
        git: base.git,
        baseUrl: 'http://127.0.0.1:40001',
        scenarios: base.scenarios.map((s, i) =>
          withTrials(s, sides[i]?.trials.base ?? [], sides[i]?.steady.base ?? []),
        ),
      },
      head: { git: head.git, baseUrl: 'http://127.0.0.1:40002' },
      order: Object.fromEntries(specs.map((s) => [s.name, order(rounds * PAIRS_PER_ROUND)])),
    },
  };
}
