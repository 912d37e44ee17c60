/**
 * The looks of an A/B run with a budget (judge/sequential.ts, judge/look.ts): when a scenario is
 * decided, the p-values the verdict gives at its last look, and what deciding would still take.
 */
import { describe, expect, it } from 'vitest';
import { judgeLook } from '../../../src/judge/look.js';
import {
  designAlpha,
  lookOutcome,
  roundsToDecide,
  sequentialPValues,
  type LookSchedule,
} from '../../../src/judge/sequential.js';
import type { MetricComparison } from '../../../src/judge/types.js';
import {
  GATED_METRICS,
  type AbSequential,
  type ScenarioResult,
} from '../../../src/result/types.js';
import { SEQUENTIAL_T_ALPHA_SHARE } from '../../../src/stats/group-sequential.js';
import { studentTSf } from '../../../src/stats/student-t.js';
import { noisy, scenario } from '../helpers/results.js';

const schedule = (looks: number[], final = false): LookSchedule => ({
  maxRounds: 50,
  familySize: 10,
  looks: looks.map((rounds, i) => ({ rounds, spent: (i + 1) / (looks.length + 2) })),
  final,
});

/** A comparison over `rounds` round means with this mean log ratio and SD. */
function tested(mean: number, sd: number, rounds: number, minEffect = 0.03): MetricComparison {
  const t = mean / (sd / Math.sqrt(rounds));
  return {
    metric: 'p95',
    higherIsWorse: true,
    unit: 'ratio',
    baseline: { n: rounds, median: 1, values: [] },
    current: { n: rounds, median: 1, values: [] },
    effect: { estimate: Math.exp(mean), lower: null, upper: null, confidence: 0.95 },
    change: { estimate: Math.expm1(mean), lower: null, upper: null },
    test: {
      name: 'round-means-t',
      method: 'student-t',
      statistic: t,
      pWorse: 1,
      pBetter: 1,
      minAchievableP: 0,
    },
    spread: sd,
    rounds,
    inFamily: true,
    pWorseAdjusted: null,
    pBetterAdjusted: null,
    pAdjusted: null,
    effectiveMinEffect: minEffect,
    noiseFloor: null,
    outcome: 'unchanged',
    severity: null,
    reason: '',
  };
}

describe('a look at a scenario', () => {
  it('a large change is a regression once the looks allow; nothing with a tight spread is within', () => {
    // O'Brien-Fleming spends almost nothing at the first looks, and a t over 3 round means has 2
    // degrees of freedom: even +22 % with a 1 % spread waits for a later look.
    expect(lookOutcome([tested(0.2, 0.01, 3)], 0.01, schedule([3]))).toBe('undecided');
    expect(lookOutcome([tested(0.2, 0.01, 6)], 0.01, schedule([3, 4, 5, 6]))).toBe('regression');
    expect(lookOutcome([tested(0, 0.002, 6)], 0.01, schedule([3, 4, 5, 6]))).toBe('within');
  });

  it('a noisy test keeps the scenario open, and one open test is enough', () => {
    const noisyTest = tested(0.01, 0.08, 4);
    expect(lookOutcome([noisyTest], 0.01, schedule([3, 4]))).toBe('undecided');
    expect(lookOutcome([tested(0, 0.002, 4), noisyTest], 0.01, schedule([3, 4]))).toBe('undecided');
  });

  it('a noisy tail does not hold a scenario open, but can still call a regression', () => {
    const tail = (mean: number, sd: number) => ({ ...tested(mean, sd, 6), metric: 'p99' as const });
    const steady = schedule([3, 4, 5, 6]);
    expect(lookOutcome([tested(0, 0.002, 6), tail(0.01, 0.2)], 0.01, steady)).toBe('within');
    expect(lookOutcome([tested(0, 0.002, 6), tail(0.5, 0.01)], 0.01, steady)).toBe('regression');
  });

  it('a significant change inside the min effect is not a regression', () => {
    expect(lookOutcome([tested(0.02, 0.001, 6)], 0.01, schedule([3, 4, 5, 6]))).not.toBe(
      'regression',
    );
  });

  it('a test out of the family (a saturated generator) does not hold it back', () => {
    const out = { ...tested(0.01, 0.08, 4), inFamily: false };
    expect(lookOutcome([tested(0, 0.0005, 4), out], 0.01, schedule([3, 4]))).toBe('within');
    // Nothing judged at all: more rounds would not decide it, so it is not left open.
    expect(lookOutcome([out], 0.01, schedule([3, 4]))).toBe('unjudged');
  });
});

describe('the p-value at the last look', () => {
  it('is ≤ α / family size exactly when the boundary was crossed', () => {
    const sched = schedule([3, 5, 8]);
    const level = 0.01 / sched.familySize;
    const crossed = sequentialPValues(12, 8, 0.01, sched);
    expect(crossed.pGreater).toBeLessThanOrEqual(level);
    expect(crossed.pLess).toBeGreaterThan(0.5);
    const near = sequentialPValues(3, 8, 0.01, sched);
    expect(near.pGreater).toBeGreaterThan(level);
  });

  it('is never below the one-look t-test p over the share t statistics may use', () => {
    const sched = schedule([3, 4, 5, 6, 7]);
    const { pGreater } = sequentialPValues(4, 7, 0.01, sched);
    expect(pGreater).toBeGreaterThanOrEqual(studentTSf(4, 6) / 1.0001);
    expect(designAlpha(0.01, 10)).toBeCloseTo(0.001 * SEQUENTIAL_T_ALPHA_SHARE, 12);
  });
});

describe('what deciding would take', () => {
  it('grows with the spread squared, and says nothing without an open test', () => {
    const open = (sd: number) => ({ ...tested(0, sd, 4), undecided: true });
    const one = roundsToDecide([open(0.02)], 0.01, 10) as number;
    const two = roundsToDecide([open(0.04)], 0.01, 10) as number;
    expect(one).toBeGreaterThan(4);
    expect(two / one).toBeGreaterThan(3.5);
    expect(two / one).toBeLessThan(4.5);
    expect(roundsToDecide([tested(0, 0.02, 4)], 0.01, 10)).toBeNull();
  });
});

describe('judgeLook over partial results', () => {
  function side(name: string, level: number, seed: number): ScenarioResult {
    const s = scenario({
      name,
      p95: noisy(10 * level, 8, 0.01, seed),
      throughput: noisy(1000 / level, 8, 0.01, seed + 1),
    });
    return { ...s, trials: s.trials.map((t, i) => ({ ...t, round: Math.floor(i / 2) })) };
  }
  const record = (names: string[]): AbSequential => ({
    budgetSeconds: 60,
    maxRounds: 50,
    familySize: 0,
    looks: Object.fromEntries(names.map((n) => [n, [{ rounds: 4, spent: 0.5 }]])),
    finalLook: [],
    decided: {},
    spentSeconds: 30,
    scenarioSeconds: {},
  });

  it('counts the family at the first look and decides each scenario on its own', () => {
    const base = [side('same', 1, 1), side('slow', 1, 3)];
    const head = [side('same', 1, 11), side('slow', 1.5, 13)];
    const look = judgeLook(
      { scenarios: { base, head }, sequential: record(['same', 'slow']) },
      0.01,
      0.03,
    );
    // Every test the two scenarios could have: 2 × the gated metrics, whatever the data.
    expect(look.familySize).toBe(2 * GATED_METRICS.length);
    expect(look.outcomes.get('slow')).toBe('regression');
    expect(look.outcomes.get('same')).not.toBe('regression');
    if (look.outcomes.get('same') === 'undecided') {
      expect(look.pairsNext.get('same')).toBeGreaterThanOrEqual(2);
    }
  });
});
