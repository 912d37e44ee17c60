import type { SecondPoint } from '../result/types.js';

/**
 * Pure logic of the spike kind: the base level and the time to recover after the burst.
 */

/** Median of the base phase's per-second p95 (seconds with responses only); 0 when none. */
export function baseP95(series: readonly SecondPoint[], from: number, to: number): number {
  const values = series
    .filter((p) => p.t >= from && p.t < to && p.requests > 0)
    .map((p) => p.p95)
    .sort((a, b) => a - b);
  if (values.length === 0) return 0;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 === 1
    ? (values[mid] as number)
    : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * Seconds from `spikeEnd` until the first of `hold` consecutive seconds whose p95 is at or
 * below `thresholdMs` with responses and no errors; 0 when the first second after the burst is
 * already back. null when that never happens within the series.
 *
 * Second t covers [t, t+1) on the run's clock, so the first second after a burst ending at
 * 10 s is t = 10.
 */
export function recoverySeconds(
  series: readonly SecondPoint[],
  spikeEnd: number,
  thresholdMs: number,
  hold: number,
): number | null {
  const after = series.filter((p) => p.t >= spikeEnd).sort((a, b) => a.t - b.t);
  const ok = (p: SecondPoint) => p.requests > 0 && p.errors === 0 && p.p95 <= thresholdMs;
  for (let i = 0; i + hold <= after.length; i++) {
    const window = after.slice(i, i + hold);
    // Consecutive seconds only: a gap in the series is not a recovered second.
    const contiguous = window.every((p, j) => p.t === (after[i]?.t ?? 0) + j);
    if (contiguous && window.every(ok)) return (after[i]?.t ?? spikeEnd) - spikeEnd;
  }
  return null;
}
