/**
 * A prediction interval for one new run from the runs before it (pure, no I/O): the test the
 * stored-baseline gate uses when it has a history of the default branch (judge/history-compare.ts).
 *
 * Model, on whatever scale the caller passes (the judge passes log values): the statistic of run i
 * (the median of its trials) is m_i = μ + b_i + e_i, with b_i the run's own level (another
 * machine, another start of the service: run-level noise) and e_i the sampling error of the
 * median within the run. The k reference runs give the mean m̄ and the SD s of their m_i, and s
 * estimates the whole spread of one run's statistic around μ, both parts. A new run of the same
 * code then satisfies (m − m̄) / (s·√(1 + 1/k)) ~ Student t with k − 1 degrees of freedom: the
 * textbook prediction interval for one new observation of a normal sample.
 *
 * The new run's own within-run spread: its median's sampling variance w is already part of s as
 * far as the reference runs had the same one (same trials, same within-run noise); adding w again
 * would count it twice. What is added is the excess, max(0, w − w̃), w̃ the median of the
 * reference runs' own w_i: a new run noisier than main's runs usually are (fewer trials, a
 * disturbed run) gets a wider interval, a run like them gets exactly the interval above. The
 * excess is treated as known (its own estimation error is not in the degrees of freedom), which
 * is conservative in the common case (excess 0) and slightly optimistic otherwise.
 */
import { robustSd } from './robust-spread.js';
import { studentTCdf, studentTQuantile, studentTSf } from './student-t.js';
import { assertFiniteSample } from './validate.js';

/**
 * Sampling variance of the median of n values with robust SD `sd`: the large-sample factor π/2
 * of the normal (exact for n → ∞; smaller n have a slightly smaller factor, so this errs wide).
 */
export function medianVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const sd = robustSd(values);
  return ((Math.PI / 2) * sd * sd) / values.length;
}

export interface PredictionInput {
  /** The reference runs' statistics (one per run, e.g. the median log p95 of each run). */
  reference: readonly number[];
  /** The new run's statistic, on the same scale. */
  value: number;
  /** Variance added to the prediction's (the new run's excess within-run variance); default 0. */
  extraVariance?: number;
  /** Two-sided confidence of the interval of `difference` (default 0.95). */
  confidence?: number;
}

export interface PredictionTest {
  /** Reference runs and degrees of freedom (k − 1). */
  k: number;
  df: number;
  mean: number;
  /** SD of the reference statistics (ddof 1). */
  sd: number;
  /** √(sd²·(1 + 1/k) + extraVariance): the standard error of value − mean. */
  se: number;
  /** value − mean. */
  difference: number;
  /** difference / se. */
  t: number;
  /** One-sided P(T ≥ t): the new run is higher than the runs before it. */
  pGreater: number;
  /** One-sided P(T ≤ t): the new run is lower. */
  pLess: number;
  /** difference ± t_{(1+confidence)/2, df} · se. */
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * The prediction test of one new run against k ≥ 2 reference runs. Needs a positive spread
 * (sd > 0 or extraVariance > 0): with neither the reference says nothing about run-level noise
 * and the caller must decide without it (RangeError otherwise).
 */
export function predictionTest(input: PredictionInput): PredictionTest {
  const { reference, value } = input;
  assertFiniteSample('reference', reference, 2);
  if (!Number.isFinite(value)) throw new RangeError(`value must be finite, got ${value}`);
  const extra = input.extraVariance ?? 0;
  if (!(extra >= 0) || !Number.isFinite(extra)) {
    throw new RangeError(`extraVariance must be a finite number ≥ 0, got ${extra}`);
  }
  const confidence = input.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const k = reference.length;
  const mean = reference.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(reference.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  const se = Math.sqrt(sd * sd * (1 + 1 / k) + extra);
  if (!(se > 0)) {
    throw new RangeError('the reference runs have no spread and no extra variance was given');
  }
  const df = k - 1;
  const difference = value - mean;
  const t = difference / se;
  const q = studentTQuantile((1 + confidence) / 2, df);
  return {
    k,
    df,
    mean,
    sd,
    se,
    difference,
    t,
    pGreater: studentTSf(t, df),
    pLess: studentTCdf(t, df),
    lower: difference - q * se,
    upper: difference + q * se,
    confidence,
  };
}

/**
 * The shift a prediction test would flag with probability `power` at one-sided level `level`:
 * (t_{1−level, df} + t_{power, df}) · se. An approximation (the exact answer needs the noncentral
 * t), used to say what a run could have detected, never to decide.
 */
export function predictionDetectableShift(
  se: number,
  df: number,
  level: number,
  power = 0.8,
): number {
  return (studentTQuantile(1 - level, df) + studentTQuantile(power, df)) * se;
}
