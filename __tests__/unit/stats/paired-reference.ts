import { reference } from './reference.js';

export type DetectableShiftCase = (
  { design: 'paired'; pairs: number } | { design: 'two-sample'; current: number; baseline: number }
) & {
  familySize: number;
  alpha: number;
  power: number;
  criticalValue: number | null;
  shift: number | null;
};

/**
 * The sections of reference.json written by the paired / power part of
 * __tests__/fixtures/stats/generate.py (same file and parsing as reference.ts).
 */
export interface PairedReference {
  paired: {
    name: string;
    kind: 'logRatio' | 'difference';
    base: number[];
    head: number[];
    higherIsWorse: boolean;
    confidence: number;
    n: number;
    nonZero: number;
    statistic: number;
    method: 'exact' | 'normal';
    pWorse: number;
    pBetter: number;
    minPValue: number;
    estimate: number;
    lower: number;
    upper: number;
    achieved: number;
    spread: number;
  }[];
  hodgesLehmannOneSample: {
    name: string;
    d: number[];
    confidence: number;
    estimate: number;
    lower: number;
    upper: number;
    achieved: number;
  }[];
  robustSd: {
    single: { values: number[]; robustSd: number }[];
    pooled: { x: number[]; y: number[]; pooled: number }[];
  };
  bivariateNormal: { h: number; k: number; rho: number; cdf: number }[];
  pairsNeeded: { familySize: number; alpha: number; pairs: number }[];
  minimumDetectableShift: DetectableShiftCase[];
}

export const pairedReference = reference as unknown as PairedReference;
