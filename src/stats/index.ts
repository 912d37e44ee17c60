/**
 * Pure statistics for the gate (no I/O): rank tests with exact null distributions, Hodges-Lehmann
 * effects with confidence intervals, paired (interleaved A/B) tests, Holm correction, power and
 * detectable changes, robust spread, linear trend and percentiles.
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
export {
  hodgesLehmannOneSample,
  signedRankIntervalRank,
  walshAverages,
} from './hodges-lehmann-one-sample.js';
export type { PairedOptions, PairedTestResult } from './paired.js';
export { logRatios, pairedDifferenceTest, pairedLogRatioTest } from './paired.js';
export type {
  Design,
  DetectionInput,
  DetectionSettings,
  PairedDesign,
  TwoSampleDesign,
} from './power.js';
export {
  detectionPower,
  minimumDetectableChange,
  minimumDetectableShift,
  pairsNeeded,
} from './power.js';
export { MAD_TO_SD, pooledRobustSd, robustSd } from './robust-spread.js';
export type { RoundMeansResult } from './round-means.js';
export {
  bestPairsPerRound,
  meansByRound,
  roundMeansDetectableShift,
  roundMeansTest,
  spreadComponents,
} from './round-means.js';
export { bivariateNormalCdf } from './bivariate-normal.js';
export { linearTrend } from './trend.js';
export { percentile, upperMedian } from './percentile.js';
export { erfc, normalCdf, normalQuantile, normalSf } from './normal.js';
export {
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  studentTSf,
} from './student-t.js';
