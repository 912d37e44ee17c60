/**
 * Pure statistics for the gate (no I/O): rank tests with exact null distributions, Hodges-Lehmann
 * effects with confidence intervals, Holm correction, linear trend and percentiles.
 */
export type { Alternative, ShiftEstimate, TestResult, Trend } from './types.js';
export {
  MWU_EXACT_MAX_PRODUCT,
  exactUCdf,
  exactUSf,
  mannWhitneyU,
  mannWhitneyUDistribution,
  mannWhitneyUMinPValue,
} from './mann-whitney.js';
export {
  SIGNED_RANK_EXACT_MAX_N,
  exactSignedRankCdf,
  exactSignedRankSf,
  signedRankDistribution,
  signedRankMinPValue,
  wilcoxonSignedRank,
} from './signed-rank.js';
export { hodgesLehmannRatio, hodgesLehmannShift, shiftIntervalRank } from './hodges-lehmann.js';
export { holm } from './holm.js';
export { linearTrend } from './trend.js';
export { percentile } from './percentile.js';
export { erfc, normalCdf, normalQuantile, normalSf } from './normal.js';
export {
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from './student-t.js';
