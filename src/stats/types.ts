/** Direction of the alternative hypothesis. 'greater' = the first sample (or the differences) tends to be larger. */
export type Alternative = 'greater' | 'less' | 'two-sided';

export const ALTERNATIVES: readonly Alternative[] = ['greater', 'less', 'two-sided'];

/** Result of a rank test. `method` says whether the p-value came from the exact null distribution. */
export interface TestResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'normal';
}

/**
 * A point estimate with a two-sided confidence interval. `confidence` is the confidence the interval
 * actually achieves (>= the requested one when the exact distribution is used; see hodgesLehmann.ts).
 */
export interface ShiftEstimate {
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
}

/** Least-squares line with R² and a two-sided t interval for the slope. */
export interface Trend {
  slope: number;
  intercept: number;
  r2: number;
  slopeLower: number;
  slopeUpper: number;
  n: number;
}
