/**
 * The one place that decides a mode's defaults: how long the trials are, how many, and the
 * significance level and min effect the judge applies. Both front ends (action inputs, CLI flags)
 * only name their fields; run/ and judge/ read what is not given from here, so the action's
 * `baseline: base-commit` and `loadgate ab` run the same plan and judge it the same way.
 *
 * - `single`: one service measured alone, judged against a stored baseline (or SLA checks only).
 *   Samples are trials, and the exact one-sided Mann-Whitney test with n trials a side can reach
 *   p = 1 / C(2n, n) at best: 8 a side gives 7.8e-5, low enough to stay significant after Holm
 *   over ~30 tests (5 a side, 0.004, would not).
 * - `ab`: base and head side by side on one machine. Samples are pairs of trials; a pair's log
 *   ratio cancels the machine's drift, so short trials suffice and the pairs are what buys
 *   power, in rounds of two pairs with both services restarted between rounds
 *   (config/ab-rounds.ts).
 *
 * The profile selects scenarios; their kinds bring their own phase lengths (config/plan.ts), so
 * today the trial defaults depend on the mode alone.
 */

export type MeasureMode = 'single' | 'ab';

export interface TrialTiming {
  connections: number;
  warmupSeconds: number;
  trialSeconds: number;
  trials: number;
  timeoutSeconds: number;
}

export interface ModeDefaults {
  timing: Readonly<TrialTiming>;
  /**
   * A/B: rounds go on until each scenario is decided, within this many seconds of measuring
   * (restarts included), unless a fixed number of rounds is given; each round holds
   * `pairsPerRound` pairs of every scenario still undecided.
   */
  budgetSeconds?: number;
  pairsPerRound?: number;
  /** Family-wise significance level after Holm. */
  alpha: number;
  /** Smallest relative change that counts. */
  minEffect: number;
}

/** Against a stored baseline: the spread between two runs on two machines is wide. */
export const DEFAULT_STORED_ALPHA = 0.05;
export const DEFAULT_STORED_MIN_EFFECT = 0.1;

/**
 * The family-wise level when base and head run side by side (A/B): 0.01, so a run with no change
 * raises a false alarm in at most 1 % of runs (Holm keeps the family-wise error at or below α;
 * the goal of the mode is ≤ 1 %).
 */
export const DEFAULT_PAIRED_ALPHA = 0.01;

/**
 * The min effect when base and head run side by side (A/B): a change must be at least 3 % to
 * count. Chosen before any A/B measurement: well below the 5 % slowdown the mode is built to
 * catch, above what a systematic difference between two identical services (their ports,
 * start order, database files) could plausibly be.
 */
export const DEFAULT_PAIRED_MIN_EFFECT = 0.03;

const MODE_DEFAULTS: Readonly<Record<MeasureMode, ModeDefaults>> = {
  single: {
    timing: { connections: 10, warmupSeconds: 2, trialSeconds: 2, trials: 8, timeoutSeconds: 10 },
    alpha: DEFAULT_STORED_ALPHA,
    minEffect: DEFAULT_STORED_MIN_EFFECT,
  },
  ab: {
    timing: { connections: 10, warmupSeconds: 1, trialSeconds: 1, trials: 14, timeoutSeconds: 10 },
    // About five minutes of load for the preset's seven scenarios: some ten rounds, each scenario
    // a warm-up, two pairs and a steady-rate pair of 1 s trials, both services restarted between.
    budgetSeconds: 300,
    pairsPerRound: 2,
    alpha: DEFAULT_PAIRED_ALPHA,
    minEffect: DEFAULT_PAIRED_MIN_EFFECT,
  },
};

/** The defaults of a mode (see above); the profile is accepted for the day one brings its own. */
export function modeDefaults(mode: MeasureMode, _profile?: string): ModeDefaults {
  return MODE_DEFAULTS[mode];
}
