/**
 * A scenario whose tails got better while a metric that decides may have got worse is not an
 * improvement. A request that waits longer (one more round trip, a lock) can lower a threaded
 * service's tails, since fewer requests then fight for the CPU or the interpreter lock, while
 * every request takes longer: the median says so first. So an improvement counts only when every
 * deciding metric (result/metrics.ts: p50, p95, throughput, error rate, CPU per request) rules out
 * a change of the min effect on the bad side; otherwise it is held back (set in place) and the
 * scenario says why.
 */
import { formatPercentChange, formatPp } from '../format/numbers.js';
import { METRICS } from '../result/metrics.js';
import { worseSign } from './change-text.js';
import type { MetricComparison } from './types.js';

/** The end of the reason of an improvement held back by a metric that may be worse. */
export const HELD_BACK = 'not counted: a metric that decides may be worse';

/**
 * How far the bad side of a comparison's interval reaches (in its unit: relative or pp), when it
 * reaches past the min effect or the run left the test undecided; null when it is bounded.
 */
function openBadSide(c: MetricComparison): number | null {
  if (!METRICS[c.metric].decides || !c.inFamily || c.test === undefined) return null;
  if (c.outcome === 'improvement' || c.outcome === 'regression') return null;
  const sign = worseSign(c);
  const worseBound = sign > 0 ? c.change.upper : c.change.lower;
  const reach = worseBound === null ? null : sign * worseBound;
  if (reach !== null && reach > c.effectiveMinEffect) return reach;
  return c.undecided === true ? (reach ?? c.effectiveMinEffect) : null;
}

/**
 * Holds back the scenario's improvements when a deciding metric's interval reaches past the min
 * effect on the bad side (in place). Returns the scenario's note, or undefined when nothing was
 * held back.
 */
export function holdBackMixedImprovements(comparisons: MetricComparison[]): string | undefined {
  const better = comparisons.filter((c) => c.outcome === 'improvement');
  if (better.length === 0) return undefined;
  const worse = comparisons
    .map((c) => ({ c, reach: openBadSide(c) }))
    .filter((o): o is { c: MetricComparison; reach: number } => o.reach !== null);
  if (worse.length === 0) return undefined;
  const worseText = worse
    .map(({ c, reach }) =>
      reach > c.effectiveMinEffect
        ? `${METRICS[c.metric].label} could be ${worseChangeText(c, reach)}, beyond the min effect`
        : `${METRICS[c.metric].label} is undecided (the budget ended before it ruled out the min effect)`,
    )
    .join('; ');
  for (const c of better) {
    c.outcome = 'inconclusive';
    c.reason = `${c.reason}; ${HELD_BACK} (${worseText})`;
  }
  const betterText = better.map((c) => METRICS[c.metric].label).join(' and ');
  return (
    `${betterText} improved, but ${worseText}: not counted as an improvement. ` +
    'The tails can get better while each request takes longer (a request that waits leaves the CPU to the others).'
  );
}

/** The bad end of the interval as a change: "+6.2 %" (a latency), "-4.1 %" (throughput), "+0.40 pp". */
function worseChangeText(c: MetricComparison, reach: number): string {
  return c.unit === 'pp' ? formatPp(reach) : formatPercentChange(worseSign(c) * reach);
}
