/**
 * An A/B run with a time budget looks at each scenario after every round from the third and
 * stops measuring it once it is decided (run/ab-plan.ts). Looking again and again must not raise
 * the false-alarm rate, so each test (scenario × metric) is a group-sequential test
 * (stats/group-sequential.ts): O'Brien-Fleming-type α spending over the looks, at
 * α / family size (Bonferroni while looking, so a scenario stopped as a regression is one Holm
 * confirms at the end), on Student's t over the rounds' means mapped to the z scale.
 *
 * A scenario is decided when one of its tests crossed its boundary with a change beyond the min
 * effect (a regression), or when the repeated confidence bound on the bad side of every test of
 * a metric that decides (result/metrics.ts: p50, p95, throughput, error rate, CPU per request)
 * lies within the min effect (nothing that large can be there), or when none of its tests is judged
 * (more rounds would not change that). Otherwise it is undecided, and gets the next round if the
 * budget allows.
 *
 * The family α is divided by is every test the scenarios measured could have: scenarios ×
 * gated metrics, counted at the first look. The verdict's Holm family (tests that exist and are
 * judged) is never larger, so a boundary crossed while looking is a regression Holm confirms.
 *
 * The verdict (paired.ts) recomputes each test's stagewise p-value at its last look from the
 * looks recorded in the result (`ab.sequential`), and Holm runs over those.
 */
import { worseSign } from './change-text.js';
import { RATIO_FLOOR } from './two-sample.js';
import { normalQuantile } from '../stats/normal.js';
import { bestPairsPerRound } from '../stats/round-means.js';
import {
  SEQUENTIAL_T_ALPHA_SHARE,
  SequentialDesign,
  tFromZ,
  zFromT,
} from '../stats/group-sequential.js';
import { METRICS } from '../result/metrics.js';
import type { MetricComparison } from './types.js';

/** The first look comes after this many rounds: a t over fewer means has 1 degree of freedom. */
export const FIRST_LOOK_ROUNDS = 3;

/** How one scenario's looks fell: what its tests' boundaries follow from. */
export interface LookSchedule {
  /** The scale of the information: a look at g rounds is at fraction g / maxRounds. */
  maxRounds: number;
  /** Tests of the family α is divided by. */
  familySize: number;
  /** Each look: the rounds by then, and the share of the budget spent (α's clock), increasing. */
  looks: readonly { rounds: number; spent: number }[];
  /** The last look was the final analysis (the budget ended): it spends all α left. */
  final: boolean;
}

/** The design level of one test: α / family size, times the share t statistics may use. */
export function designAlpha(alpha: number, familySize: number): number {
  return (alpha / Math.max(1, familySize)) * SEQUENTIAL_T_ALPHA_SHARE;
}

const designs = new Map<string, SequentialDesign>();

/** The design of one test after the looks of `schedule` (cached: every metric of a scenario shares it). */
export function designAfter(alpha: number, schedule: LookSchedule): SequentialDesign {
  const looks = schedule.looks;
  const level = designAlpha(alpha, schedule.familySize);
  const key = `${level}|${schedule.maxRounds}|${looks.map((l) => `${l.rounds}:${l.spent}`).join(',')}|${schedule.final}`;
  let design = designs.get(key);
  if (design === undefined) {
    design = new SequentialDesign(level);
    looks.forEach((l, k) =>
      design?.look(
        Math.min(1, l.rounds / schedule.maxRounds),
        schedule.final && k === looks.length - 1,
        Math.min(1, l.spent),
      ),
    );
    if (designs.size > 500) designs.clear();
    designs.set(key, design);
  }
  return design;
}

/**
 * One-sided p-values of a t over the rounds' means at the last look of `schedule`, on the scale
 * Holm compares with α: the stagewise p-value over the design's level, times the family size's
 * share (so that p ≤ α / family size exactly when the boundary was crossed).
 */
export function sequentialPValues(
  statistic: number,
  rounds: number,
  alpha: number,
  schedule: LookSchedule,
): { pGreater: number; pLess: number } {
  const design = designAfter(alpha, schedule);
  const z = zFromT(statistic, rounds - 1);
  const scale = 1 / SEQUENTIAL_T_ALPHA_SHARE;
  return {
    pGreater: Math.min(1, design.pValue(z) * scale),
    pLess: Math.min(1, design.pValue(-z) * scale),
  };
}

/**
 * `unjudged`: none of the scenario's tests is judged (its load generator was saturated, so the
 * generator set the pace; or every value was identical): more rounds cannot decide it.
 */
export type LookOutcome = 'regression' | 'within' | 'unjudged' | 'undecided';

/**
 * What one look says of a scenario from its comparisons (paired, over the rounds so far):
 * `regression` when a test crossed its boundary on the bad side beyond the min effect, `within`
 * when every tested metric's repeated confidence bound on the bad side is inside the min effect,
 * else `undecided`. Comparisons without a test over rounds (identical values, a saturated
 * generator) do not hold a scenario back.
 */
export function lookOutcome(
  comparisons: readonly MetricComparison[],
  alpha: number,
  schedule: LookSchedule,
): LookOutcome {
  return lookAt(comparisons, alpha, schedule).outcome;
}

/** The look's outcome and the tests still open (neither crossed nor bounded). */
export function lookAt(
  comparisons: readonly MetricComparison[],
  alpha: number,
  schedule: LookSchedule,
): { outcome: LookOutcome; open: MetricComparison[] } {
  const design = designAfter(alpha, schedule);
  const boundary = design.boundaries.at(-1) ?? Infinity;
  const open: MetricComparison[] = [];
  let judged = 0;
  for (const c of comparisons) {
    const g = c.rounds;
    if (c.test?.name !== 'round-means-t' || g === undefined || c.spread == null) continue;
    // Out of the family: not judged (a saturated load generator set the pace).
    if (!c.inFamily) continue;
    judged++;
    // The worse direction as a mean on the test's scale (log ratio, or pp) and its t.
    const mean = worseSign(c) * testScale(c);
    const se = c.spread / Math.sqrt(g);
    const t = se > 0 ? mean / se : mean > 0 ? Infinity : mean < 0 ? -Infinity : 0;
    const limit = c.unit === 'pp' ? c.effectiveMinEffect : Math.log1p(c.effectiveMinEffect);
    if (zFromT(t, g - 1) >= boundary && mean > limit) return { outcome: 'regression', open: [] };
    const upper = mean + tFromZ(boundary, g - 1) * se;
    if (!(upper < limit) && METRICS[c.metric].decides) open.push(c);
  }
  if (judged === 0) return { outcome: 'unjudged', open };
  return { outcome: open.length > 0 ? 'undecided' : 'within', open };
}

/**
 * Pairs for an undecided scenario's next round: the allocation that buys its widest open test the
 * most precision for the time (stats/round-means.ts bestPairsPerRound), from that test's split of
 * the spread. A round costs its warm-up, its steady-rate pair and its share of a restart beside
 * its pairs.
 */
export function pairsForNextRound(
  open: readonly MetricComparison[],
  cost: { roundSeconds: number; pairSeconds: number },
): number {
  const widest = [...open]
    .filter(
      (c) => c.spreadSplit !== undefined && c.metric !== 'steadyP50' && c.metric !== 'steadyP95',
    )
    .sort((a, b) => (b.spread ?? 0) - (a.spread ?? 0))[0];
  const split = widest?.spreadSplit;
  return bestPairsPerRound(
    split?.withinRound ?? null,
    split?.betweenRounds ?? null,
    cost.roundSeconds,
    cost.pairSeconds,
  );
}

/** The comparison's estimate on its test's scale: ln(ratio), or percentage points. */
function testScale(c: MetricComparison): number {
  return c.unit === 'pp' ? c.effect.estimate : Math.log(Math.max(c.effect.estimate, RATIO_FLOOR));
}

/** Power the "would need" estimate asks for: the usual 80 %. */
const POWER_Z = 0.8416212335729143;

/**
 * About how many rounds in all an undecided scenario would need to be decided at the spread its
 * round means showed: for each test still open, the rounds at which the design's one-sided bound
 * at α / family size, with 80 % power, is as narrow as the min effect (Student's t over round
 * means has its SD shrink as √rounds); the most of them. Null when no test says.
 */
export function roundsToDecide(
  comparisons: readonly MetricComparison[],
  alpha: number,
  familySize: number,
): number | null {
  const z = normalQuantile(1 - designAlpha(alpha, familySize)) + POWER_Z;
  let most: number | null = null;
  for (const c of comparisons) {
    if (!c.undecided || c.spread == null || !(c.spread > 0)) continue;
    const limit = c.unit === 'pp' ? c.effectiveMinEffect : Math.log1p(c.effectiveMinEffect);
    if (!(limit > 0)) continue;
    const rounds = Math.ceil(((z * c.spread) / limit) ** 2);
    most = Math.max(most ?? 0, rounds);
  }
  return most;
}
