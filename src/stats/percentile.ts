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

/**
 * The upper median: the middle value, the upper of the two middle ones for an even count;
 * undefined for no values. Not simple-statistics' median (the mean of the two middle ones): the
 * figures loadgate gives as "the median trial's" (a scenario's generator CPU, a shard summary's
 * req/s, p95 and errors) are a value one trial measured, and saved results carry them.
 */
export function upperMedian(values: readonly number[]): number | undefined {
  return sortedCopy(values)[Math.floor(values.length / 2)];
}
