/**
 * The compact saved result of one benchmark run (bench/results/<service>-<fault>/<label>.json):
 * what the table and the resampled false-alarm rate need, without the full RunResult's
 * histograms. Per scenario and gated metric, the per-round means of the per-pair values on the
 * test's scale (log ratios head/base, or percentage points for the error rate): the judge's test
 * over rounds uses nothing else (judge/paired.ts), so a resampling of whole rounds can be judged
 * like a real run (resample.ts).
 */
import { median } from 'simple-statistics';
import type { Verdict } from '../../src/judge/types.js';
import { meansByRound } from '../../src/stats/round-means.js';
import {
  GATED_METRICS,
  METRICS,
  metricValue,
  trialsOf,
  type AbSequential,
  type GatedMetric,
  type RunResult,
  type ScenarioResult,
} from '../../src/result/types.js';
import { RATIO_FLOOR } from '../../src/judge/two-sample.js';

export const COMPACT_VERSION = 1;

/** One round of one scenario: its pairs, its share of the seconds, the round means per metric. */
export interface CompactRound {
  round: number;
  pairs: number;
  /** Per metric the round's mean of the per-pair values; null when every pair was equal. */
  means: Partial<Record<GatedMetric, number | null>>;
}

export interface CompactScenario {
  /** What the judge's looks read of the settings (judge/look.ts). */
  settings: { warmupSeconds: number; trialSeconds: number };
  /** Either side's load generator was saturated in the pairs (judge/paired.ts). */
  saturated: boolean;
  /** The base's median error rate (a share): the error rate's min effect depends on it. */
  baseErrorRate: number;
  /** Seconds its rounds took (ab.sequential.scenarioSeconds). */
  seconds: number;
  rounds: CompactRound[];
}

export interface CompactVerdictScenario {
  name: string;
  status: string;
  /** The metrics found a regression. */
  regressed: GatedMetric[];
  rounds: number;
  decided: string;
  /** Per compared metric, the estimated change (relative, or pp for the error rate). */
  change: Partial<Record<GatedMetric, number>>;
}

/** What the benchmark knows of a run beside its result. */
export interface RunFacts {
  label: string;
  service: string;
  /** The fault shape of the head, `none` for same code on both sides. */
  fault: string;
  /** Its size as a share of the operation's cost (0 for same code), and the knob given. */
  size: number;
  knob: string;
  /** The scenario the fault is in (null for same code). */
  target: string | null;
  wallSeconds: number;
}

export interface CompactRun extends RunFacts {
  version: typeof COMPACT_VERSION;
  startedAt: string;
  /** Seconds of measuring, restarts included (the budget's clock). */
  loadSeconds: number;
  /** The run's rounds (the most any scenario had). */
  rounds: number;
  sequential: AbSequential;
  verdict: { status: string; scenarios: CompactVerdictScenario[] };
  scenarios: Record<string, CompactScenario>;
}

/** The per-pair values of a metric on the test's scale, with each pair's round; undefined when absent. */
function pairValues(
  head: ScenarioResult,
  base: ScenarioResult,
  metric: GatedMetric,
): { values: number[]; rounds: number[]; equal: boolean[] } | undefined {
  const h = trialsOf(head, metric);
  const b = trialsOf(base, metric);
  const n = Math.min(h.length, b.length);
  const out = { values: [] as number[], rounds: [] as number[], equal: [] as boolean[] };
  for (let i = 0; i < n; i++) {
    const hv = metricValue(h[i] as ScenarioResult['trials'][number], metric);
    const bv = metricValue(b[i] as ScenarioResult['trials'][number], metric);
    if (hv === undefined || bv === undefined) return undefined;
    out.values.push(
      METRICS[metric].scale === 'pp'
        ? (hv - bv) * 100
        : Math.log(Math.max(hv, RATIO_FLOOR) / Math.max(bv, RATIO_FLOOR)),
    );
    out.rounds.push(h[i]?.round ?? 0);
    out.equal.push(hv === bv);
  }
  return n > 0 ? out : undefined;
}

function compactScenario(
  head: ScenarioResult,
  base: ScenarioResult,
  seconds: number,
): CompactScenario {
  const rounds = new Map<number, CompactRound>();
  for (const t of head.trials) {
    const r = t.round ?? 0;
    const entry = rounds.get(r) ?? { round: r, pairs: 0, means: {} };
    entry.pairs++;
    rounds.set(r, entry);
  }
  for (const metric of GATED_METRICS) {
    const pairs = pairValues(head, base, metric);
    if (!pairs) continue;
    const order = [...new Set(pairs.rounds)];
    const means = meansByRound(pairs.values, pairs.rounds);
    order.forEach((r, k) => {
      const entry = rounds.get(r) ?? { round: r, pairs: 0, means: {} };
      const allEqual = pairs.equal.every((e, i) => e || pairs.rounds[i] !== r);
      entry.means[metric] = allEqual ? null : (means[k] as number);
      rounds.set(r, entry);
    });
  }
  const errorRates = base.trials.map((t) => t.metrics.errorRate);
  return {
    settings: {
      warmupSeconds: head.settings.warmupSeconds,
      trialSeconds: head.settings.trialSeconds,
    },
    saturated: head.generatorSaturated || base.generatorSaturated,
    baseErrorRate: errorRates.length > 0 ? median(errorRates) : 0,
    seconds,
    rounds: [...rounds.values()].sort((a, b) => a.round - b.round),
  };
}

/** The compact form of an A/B run with a budget and its verdict. */
export function compactRun(facts: RunFacts, result: RunResult, verdict: Verdict): CompactRun {
  const sequential = result.ab?.sequential;
  if (!result.ab || !sequential) {
    throw new Error(`${facts.label}: not an A/B run with a budget (no ab.sequential)`);
  }
  const bases = new Map(result.ab.base.scenarios.map((s) => [s.name, s]));
  const scenarios: Record<string, CompactScenario> = {};
  for (const head of result.scenarios) {
    const base = bases.get(head.name);
    if (!base || head.failure !== undefined || head.trials.length === 0) continue;
    scenarios[head.name] = compactScenario(head, base, sequential.scenarioSeconds[head.name] ?? 0);
  }
  return {
    version: COMPACT_VERSION,
    ...facts,
    startedAt: result.startedAt,
    loadSeconds: sequential.spentSeconds,
    rounds: result.ab.rounds ?? 1,
    sequential,
    verdict: {
      status: verdict.status,
      scenarios: verdict.scenarios.map((s) => ({
        name: s.name,
        status: s.status,
        regressed: s.comparisons.filter((c) => c.outcome === 'regression').map((c) => c.metric),
        rounds: s.budget?.rounds ?? 0,
        decided: s.budget?.decided ?? 'none',
        change: Object.fromEntries(s.comparisons.map((c) => [c.metric, c.change.estimate])),
      })),
    },
    scenarios,
  };
}
