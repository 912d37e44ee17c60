import { linearTrend } from '../stats/index.js';
import type { TrendSummary } from '../result/types.js';

/**
 * Pure logic of the soak kind: trends over the last two thirds of the run (the first third is
 * warm-up: caches, JIT and pools still filling make RSS climb on a healthy service) and the
 * leak / degradation verdict.
 */

export interface TimedValue {
  /** Seconds since the soak started. */
  t: number;
  value: number;
}

/** Fewer points than this and there is no trend to speak of. */
export const MIN_TREND_POINTS = 4;

/**
 * Least-squares slope per minute of the points in the last two thirds of [0, totalSeconds],
 * with its 95 % interval; null when fewer than MIN_TREND_POINTS distinct times remain.
 */
export function trendPerMinute(
  points: readonly TimedValue[],
  totalSeconds: number,
): TrendSummary | null {
  const from = totalSeconds / 3;
  const kept = points.filter((p) => p.t >= from && Number.isFinite(p.value));
  if (kept.length < MIN_TREND_POINTS || new Set(kept.map((p) => p.t)).size < 2) return null;
  const trend = linearTrend(kept.map((p) => ({ x: p.t / 60, y: p.value })));
  return {
    slope: trend.slope,
    slopeLower: trend.slopeLower,
    slopeUpper: trend.slopeUpper,
    r2: trend.r2,
    points: trend.n,
    fromMinute: from / 60,
    toMinute: totalSeconds / 60,
  };
}

/**
 * The slope a finding needs: the SLA's per-minute figure, raised for short runs so that the
 * fitted growth is at least `minGrowth` (a short soak cannot tell a slow leak from noise).
 */
export function effectiveThreshold(
  trend: TrendSummary | null,
  maxPerMinute: number | undefined,
  minGrowth: number,
): number | null {
  if (trend === null || maxPerMinute === undefined) return null;
  const minutes = trend.toMinute - trend.fromMinute;
  return minutes > 0 ? Math.max(maxPerMinute, minGrowth / minutes) : maxPerMinute;
}

/**
 * A trend is a finding when the slope is above the threshold and its 95 % lower bound is above
 * 0: steep enough to matter, and not explained by noise around a flat line.
 */
export function isSignificantRise(
  trend: TrendSummary | null,
  threshold: number | null | undefined,
) {
  if (trend === null || threshold === null || threshold === undefined) return false;
  return trend.slopeLower > 0 && trend.slope > threshold;
}

/** Windows of at least `windowSeconds`, at most `maxWindows` of them (bounds the result of long soaks). */
export function soakWindows(
  seconds: number,
  windowSeconds: number,
  maxWindows = 240,
): { count: number; seconds: number } {
  const length = Math.max(windowSeconds, seconds / maxWindows);
  const count = Math.max(1, Math.round(seconds / length));
  return { count, seconds: seconds / count };
}
