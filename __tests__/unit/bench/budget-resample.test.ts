/**
 * The detection benchmark's compact results and its resampled false-alarm rate
 * (bench/budget/): a run judged again from its compact form gives the engine's own comparisons,
 * and simulated runs of the engine's procedure flag a real change and rarely flag none.
 */
import { describe, expect, it } from 'vitest';
import { compactRun, type CompactRun } from '../../../bench/budget/compact.js';
import { flaggedScenarios, rejudge, resampledFalseAlarms } from '../../../bench/budget/resample.js';
import { compareScenarios } from '../../../src/judge/compare.js';
import type { Verdict } from '../../../src/judge/types.js';
import type { AbSequential, RunResult, ScenarioResult } from '../../../src/result/types.js';
import { seededRandom } from '../../../src/stats/random.js';

const JUDGED = { alpha: 0.01, minEffect: 0.03 };
const random = seededRandom(7);
/** A normal draw (Box-Muller) from the seeded generator. */
const normal = (sd: number) =>
  sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/**
 * One side of a scenario measured in `rounds` rounds of `pairs` pairs: latency, throughput, CPU
 * per request and a steady-rate trial per round; `slower` multiplies the head's p50 and CPU.
 */
function sides(name: string, rounds: number, pairs: number, slower: number) {
  const trials = { base: [] as unknown[], head: [] as unknown[] };
  const steady = { base: [] as unknown[], head: [] as unknown[] };
  for (let r = 0; r < rounds; r++) {
    const luck = normal(0.01); // the round's own offset: a restart's luck
    for (let p = 0; p < pairs; p++) {
      for (const side of ['base', 'head'] as const) {
        const f = Math.exp(luck * (side === 'head' ? 1 : 0) + normal(0.01));
        const worse = side === 'head' ? slower : 1;
        trials[side].push({
          index: trials[side].length,
          round: r,
          metrics: {
            p50: 2 * f * worse,
            p95: 5 * f,
            p99: 8 * Math.exp(normal(0.1)),
            throughput: 1000 / f,
            errorRate: 0,
            cpuPerRequest: 300 * f * worse,
          },
        });
      }
    }
    for (const side of ['base', 'head'] as const) {
      steady[side].push({
        index: r,
        round: r,
        metrics: { p50: 1.5 * Math.exp(normal(0.05)), p95: 3 * Math.exp(normal(0.08)) },
      });
    }
  }
  const scenario = (side: 'base' | 'head') =>
    ({
      name,
      settings: { warmupSeconds: 1, trialSeconds: 1 },
      trials: trials[side],
      steady: { rate: 100, trials: steady[side] },
      generatorSaturated: false,
    }) as unknown as ScenarioResult;
  return { base: scenario('base'), head: scenario('head') };
}

describe('a run judged again from its compact form', () => {
  it('gives the comparisons the engine gives the full result', () => {
    const quiet = sides('quiet', 6, 2, 1);
    const slowed = sides('slowed', 5, 4, 1.15);
    const sequential: AbSequential = {
      budgetSeconds: 300,
      maxRounds: 50,
      familySize: 14,
      looks: {
        quiet: [3, 4, 5, 6].map((rounds) => ({ rounds, spent: rounds / 8 })),
        slowed: [3, 4, 5].map((rounds) => ({ rounds, spent: rounds / 8 })),
      },
      finalLook: [],
      decided: { quiet: 'within', slowed: 'regression' },
      spentSeconds: 200,
      scenarioSeconds: { quiet: 60, slowed: 80 },
    };
    const result = {
      startedAt: '2026-01-01T00:00:00Z',
      scenarios: [quiet.head, slowed.head],
      ab: { rounds: 6, sequential, base: { scenarios: [quiet.base, slowed.base] } },
    } as unknown as RunResult;
    const engine = compareScenarios(
      [
        { name: 'quiet', baseline: quiet.base, current: quiet.head, noiseFloor: undefined },
        { name: 'slowed', baseline: slowed.base, current: slowed.head, noiseFloor: undefined },
      ],
      JUDGED.alpha,
      JUDGED.minEffect,
      'paired',
      sequential,
    ).byScenario;
    const verdict = { status: 'fail', scenarios: [] } as unknown as Verdict;
    const compact = compactRun(
      {
        label: 'x',
        service: 'node',
        fault: 'busy',
        size: 0.1,
        knob: '',
        target: 'slowed',
        wallSeconds: 1,
      },
      result,
      verdict,
    );
    const again = rejudge(compact, JUDGED);
    expect(flaggedScenarios(engine)).toEqual(['slowed']);
    expect(flaggedScenarios(again)).toEqual(['slowed']);
    for (const [name, list] of engine) {
      const other = again.get(name) ?? [];
      expect(other.map((c) => c.metric)).toEqual(list.map((c) => c.metric));
      list.forEach((c, i) => {
        const o = other[i];
        expect(o?.outcome, `${name} ${c.metric}`).toBe(c.outcome);
        expect(o?.test?.pWorse ?? 1).toBeCloseTo(c.test?.pWorse ?? 1, 9);
        expect(o?.change.estimate ?? 0).toBeCloseTo(c.change.estimate, 9);
      });
    }
  });
});

/**
 * Compact same-code runs with `rounds` rounds of three quiet scenarios (decided within the min
 * effect at the first looks); `offset` on the first one's p50 and CPU per request.
 */
function compactRuns(runs: number, rounds: number, offset = 0): CompactRun[] {
  return Array.from({ length: runs }, (_, k) => {
    const scenario = (shift: number) => ({
      settings: { warmupSeconds: 1, trialSeconds: 1 },
      saturated: false,
      baseErrorRate: 0,
      seconds: rounds * 4,
      rounds: Array.from({ length: rounds }, (_, r) => ({
        round: r,
        pairs: 2,
        means: {
          p50: shift + normal(0.004),
          p95: normal(0.006),
          cpuPerRequest: shift + normal(0.003),
          errorRate: null,
          steadyP50: normal(0.005),
        },
      })),
    });
    return {
      label: `aa-${k + 1}`,
      rounds,
      loadSeconds: rounds * 14,
      sequential: { budgetSeconds: 300 },
      scenarios: { a: scenario(offset), b: scenario(0), c: scenario(0) },
    } as unknown as CompactRun;
  });
}

// Thousands of resampled runs: seconds of CPU, more when the machine is busy.
describe('the resampled false-alarm rate', { timeout: 30_000 }, () => {
  it('rarely flags same code, however many looks', () => {
    const rate = resampledFalseAlarms(compactRuns(6, 8), 100, JUDGED);
    expect(rate.simulations).toBe(100);
    expect(rate.alarms).toBeLessThanOrEqual(2);
    // Every scenario decided within the min effect before the budget (about 21 rounds of these)
    // ran out: the simulated runs stopped early, as the engine's would.
    expect(rate.medianRounds).toBeLessThan(15);
    expect(rate.realRounds).toBe(8);
  });

  it('flags a scenario whose rounds all carry a change beyond the min effect', () => {
    const rate = resampledFalseAlarms(compactRuns(3, 8, Math.log(1.1)), 20, JUDGED);
    expect(rate.byScenario.get('a')).toBe(20);
    expect(rate.byScenario.get('b') ?? 0).toBe(0);
    expect(rate.byScenario.get('c') ?? 0).toBe(0);
  });
});
