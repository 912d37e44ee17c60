import { describe, expect, it } from 'vitest';
import type { PlanSummary } from '../../../src/config/plan.js';
import { ProgressTracker } from '../../../src/report/progress.js';
import type { AbProgressEvent } from '../../../src/run/ab-plan.js';

/** A clock the test moves: seconds since the start. */
function clock() {
  let seconds = 0;
  return {
    now: () => seconds * 1000,
    at: (s: number) => {
      seconds = s;
    },
  };
}

const SINGLE: PlanSummary = {
  mode: 'single',
  scenarios: 4,
  trials: 8,
  trialSeconds: 2,
  warmupSeconds: 2,
  rounds: 1,
};

const trial = (
  scenario: string,
  n: number,
  extra: Partial<Extract<AbProgressEvent, { type: 'trial' }>> = {},
): AbProgressEvent => ({
  type: 'trial',
  scenario,
  trial: n,
  trials: 8,
  throughput: 1234.4,
  p95: 1.5,
  errorRate: 0,
  ...extra,
});

describe('ProgressTracker', () => {
  it('a single run: scenario k/N, each trial, elapsed and an estimate of the time left', () => {
    const time = clock();
    const tracker = new ProgressTracker({ alpha: 0.05, minEffect: 0.1 }, time.now);
    expect(tracker.update({ type: 'plan', plan: SINGLE }).lines).toEqual([
      'plan: 4 scenarios, 8 trials of 2 s per scenario, 2 s warm-up, α 0.05, min effect 10 %',
    ]);
    time.at(2);
    const first = tracker.update({ type: 'scenario', scenario: 'list', index: 1, total: 4 });
    expect(first.group).toBe('[1/4] list (2 s elapsed)');
    expect(first.lines).toEqual([first.group]);
    // Half the first scenario's trials in 10 s: an eighth of the run, so 70 s are left.
    time.at(10);
    const t = tracker.update(trial('list', 4));
    expect(t.lines).toEqual([]);
    expect(t.transient).toEqual(['list: trial 4/8  1,234 req/s  p95 1.50 ms  errors 0 %']);
    expect(tracker.status()).toBe(
      '[1/4] list · 10 s elapsed, ~1 min 10 s left · trial 4/8  1,234 req/s  p95 1.50 ms  errors 0 %',
    );
    // The third scenario begins after 40 s: half the run is done.
    time.at(40);
    expect(tracker.update({ type: 'scenario', scenario: 'get', index: 3, total: 4 }).group).toBe(
      '[3/4] get (40 s elapsed, ~40 s left)',
    );
  });

  it('an A/B run with a budget: round r, the side, pairs without a total, the budget left', () => {
    const time = clock();
    const tracker = new ProgressTracker({ alpha: 0.01, minEffect: 0.03 }, time.now);
    tracker.update({
      type: 'plan',
      plan: {
        ...SINGLE,
        mode: 'ab',
        rounds: 0,
        trials: 14,
        trialSeconds: 1,
        budget: { seconds: 300, pairsPerRound: 2 },
      },
    });
    time.at(30);
    const round = tracker.update({
      type: 'round',
      round: 3,
      scenarios: 2,
      budgetSeconds: 300,
      spentSeconds: 28,
    });
    expect(round.runLevel).toBe(true);
    expect(round.lines).toEqual([
      'round 3: 2 scenarios, 28 s of 5 min spent (30 s elapsed, at most 4 min 32 s of the budget left)',
    ]);
    tracker.update({ type: 'scenario', scenario: 'search', index: 2, total: 2 });
    time.at(40);
    expect(tracker.update(trial('search', 5, { side: 'head' })).transient).toEqual([
      'search: head pair 5  1,234 req/s  p95 1.50 ms  errors 0 %',
    ]);
    expect(tracker.status()).toBe(
      '[2/2] search, round 3 · 40 s elapsed, at most 4 min 22 s of the budget left · head pair 5  1,234 req/s  p95 1.50 ms  errors 0 %',
    );
    expect(tracker.update(trial('search', 1, { side: 'base', phase: 'steady' })).transient).toEqual(
      ['search: base at a steady rate, trial 1  1,234 req/s  p95 1.50 ms  errors 0 %'],
    );
    expect(
      tracker.update(trial('search', 2, { side: 'head', phase: 'solo', trials: 3 })).transient,
    ).toEqual(['search: head alone, trial 2/3  1,234 req/s  p95 1.50 ms  errors 0 %']);
    const decided = tracker.update({
      type: 'decided',
      scenario: 'search',
      outcome: 'regression',
      rounds: 3,
    });
    expect(decided).toEqual({
      lines: ['search: decided: a regression after 3 rounds'],
      transient: [],
      runLevel: true,
    });
  });

  it('an A/B run of fixed rounds: round r/R, and the time left from the rounds done', () => {
    const time = clock();
    const tracker = new ProgressTracker(undefined, time.now);
    tracker.update({ type: 'plan', plan: { ...SINGLE, mode: 'ab', rounds: 4 } });
    time.at(60);
    tracker.update({ type: 'round', round: 3, rounds: 4, scenarios: 2 });
    // Round 3 of 4, its first scenario of 2 beginning: 2 of 4 rounds done in 60 s.
    expect(tracker.update({ type: 'scenario', scenario: 'a', index: 1, total: 2 }).group).toBe(
      '[1/2] a, round 3/4 (1 min elapsed, ~1 min left)',
    );
  });

  it('keeps failures, setup and kind messages; shows partial setup only as the moment', () => {
    const tracker = new ProgressTracker();
    tracker.update({ type: 'plan', plan: SINGLE });
    expect(
      tracker.update({ type: 'setup', scenario: 'get', pool: 'ids', done: 100, total: 200 }),
    ).toEqual({ lines: [], transient: ['setup: pool ids 100/200'] });
    expect(
      tracker.update({ type: 'setup', scenario: 'get', pool: 'ids', done: 200, total: 200 }).lines,
    ).toEqual(['  setup  pool ids: 200 created']);
    expect(
      tracker.update({ type: 'scenario-failed', scenario: 'get', message: 'boom', side: 'base' })
        .lines,
    ).toEqual(['get base: FAILED: boom']);
    expect(tracker.update({ type: 'kind', scenario: 'stress', message: 'step 4' }).lines).toEqual([
      'stress: step 4',
    ]);
  });
});
