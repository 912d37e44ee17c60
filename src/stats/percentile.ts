import { quantileSorted } from 'simple-statistics';
import { sortedCopy } from './ties.js';
import { assertFiniteSample } from './validate.js';

/**
 * Percentile p (0..100) of a sample by linear interpolation between order statistics, numpy's
 * default (method='linear', R type 7): position (n-1)·p/100. Thin wrapper over simple-statistics'
 * quantileSorted, which implements exactly that. A single value is its own percentile.
 * Empty input, NaN/±Infinity values, or p outside [0, 100] throw a RangeError.
 */
export function percentile(values: readonly number[], p: number): number {
  assertFiniteSample('values', values, 1);
  if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
    throw new RangeError(`p must be a number in [0, 100] (got ${String(p)})`);
  }
  return quantileSorted(sortedCopy(values), p / 100);
}
