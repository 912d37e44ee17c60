import { gammaln } from 'simple-statistics';
import { normalQuantile } from './normal.js';

/**
 * Student t distribution: survival function and quantile.
 *
 * simple-statistics has `tTest`/`tTestTwoSample` (statistics only) and no t CDF or inverse CDF, so
 * both are written here on top of its `gammaln` (Lanczos, ~1e-15): the tail is the regularized
 * incomplete beta function, P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2 (continued fraction, modified
 * Lentz), and the quantile is a safeguarded Newton iteration on that tail. Matches scipy.stats.t to
 * ~1e-12 relative for df >= 1.
 */

const TINY = 1e-300;
const EPS = 1e-16;

/** Continued fraction for the incomplete beta function (Numerical Recipes `betacf`). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b), with y = 1 - x passed separately so that x close to 1
 * keeps its precision.
 */
export function regularizedIncompleteBeta(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(y);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) {
    return (front * betaContinuedFraction(a, b, x)) / a;
  }
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

function assertDf(df: number): void {
  if (typeof df !== 'number' || !(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`df must be a finite number > 0 (got ${String(df)})`);
  }
}

/** P(T > t) for T ~ Student t with `df` degrees of freedom. */
export function studentTSf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const tail = 0.5 * regularizedIncompleteBeta(df / 2, 0.5, x, y); // P(T > |t|)
  return t >= 0 ? tail : 1 - tail;
}

/** P(T <= t) for T ~ Student t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

function studentTLogPdf(t: number, df: number): number {
  return (
    gammaln((df + 1) / 2) -
    gammaln(df / 2) -
    0.5 * Math.log(df * Math.PI) -
    ((df + 1) / 2) * Math.log1p((t * t) / df)
  );
}

/**
 * Quantile of the Student t distribution: t with P(T <= t) = p (scipy.stats.t.ppf(p, df)).
 * 0 < p < 1 and df > 0, otherwise RangeError. Closed forms for df = 1 and df = 2; otherwise Newton on
 * the upper tail with a bisection safeguard, starting from the normal quantile.
 */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df);
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new RangeError(`p must be strictly between 0 and 1 (got ${String(p)})`);
  }
  if (p === 0.5) return 0;
  // Work with the upper-tail probability q = P(T > t) of the positive quantile.
  const sign = p > 0.5 ? 1 : -1;
  const q = p > 0.5 ? 1 - p : p;
  if (df === 1) return sign * Math.tan(Math.PI * (0.5 - q));
  if (df === 2) {
    // P(T > t) = (1 - t/√(t²+2))/2  ⇒  t = (1 - 2q)/√(2q(1 - q))
    return (sign * (1 - 2 * q)) / Math.sqrt(2 * q * (1 - q));
  }
  // Bracket [lo, hi] with sf(lo) >= q > sf(hi).
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(q));
  while (studentTSf(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return sign * Infinity;
  }
  let t = Math.min(Math.max(-normalQuantile(q), lo), hi);
  for (let i = 0; i < 200; i++) {
    const f = studentTSf(t, df) - q;
    if (f === 0) break;
    if (f > 0) lo = t;
    else hi = t;
    const pdf = Math.exp(studentTLogPdf(t, df));
    let next = t + f / pdf; // sf' = -pdf
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const converged = Math.abs(next - t) <= 1e-15 * Math.abs(next);
    t = next;
    if (converged || hi - lo <= 1e-15 * hi) break;
  }
  return sign * t;
}
