import { linearRegression, linearRegressionLine, rSquared } from 'simple-statistics';
import { studentTQuantile } from './student-t.js';
import type { Trend } from './types.js';
import { assertConfidence } from './validate.js';

/**
 * Least-squares line y = slope·x + intercept (simple-statistics linearRegression, which centres
 * the data, so large x such as epoch milliseconds are fine), R² (simple-statistics rSquared), and a
 * two-sided `confidence` interval (default 0.95) for the slope: slope ± t_{(1+c)/2, n-2}·se with
 * se = sqrt(SSE / (n-2) / Sxx). Matches scipy.stats.linregress + scipy.stats.t.ppf.
 *
 * Needs n >= 3 points with finite x and y and at least two distinct x (RangeError otherwise).
 * All y equal: slope 0, interval [0, 0], r2 = 0 (as scipy, which reports r = 0 when y has no
 * variance). A perfect fit has a zero-width interval.
 */
export function linearTrend(points: readonly { x: number; y: number }[], confidence = 0.95): Trend {
  if (!Array.isArray(points)) throw new RangeError('points must be an array of {x, y}');
  if (points.length < 3) {
    throw new RangeError(`points must contain at least 3 points (got ${points.length})`);
  }
  points.forEach((p, i) => {
    if (!Number.isFinite(p?.x)) {
      throw new RangeError(`points[${i}].x must be a finite number (got ${String(p?.x)})`);
    }
    if (!Number.isFinite(p?.y)) {
      throw new RangeError(`points[${i}].y must be a finite number (got ${String(p?.y)})`);
    }
  });
  assertConfidence(confidence);

  const n = points.length;
  const data = points.map((p) => [p.x, p.y]);
  let meanX = 0;
  let meanY = 0;
  for (const p of points) {
    meanX += p.x;
    meanY += p.y;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    syy += (p.y - meanY) ** 2;
  }
  if (!(sxx > 0)) throw new RangeError('points must have at least two distinct x values');

  const { m: slope, b: intercept } = linearRegression(data);
  const line = linearRegressionLine({ m: slope, b: intercept });
  const r2 = syy > 0 ? Math.min(1, Math.max(0, rSquared(data, line))) : 0;
  let sse = 0;
  for (const p of points) sse += (p.y - line(p.x)) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const t = studentTQuantile((1 + confidence) / 2, n - 2);
  return { slope, intercept, r2, slopeLower: slope - t * se, slopeUpper: slope + t * se, n };
}
