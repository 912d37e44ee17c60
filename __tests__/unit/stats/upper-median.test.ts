import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { upperMedian } from '../../../src/stats/percentile.js';

describe('upperMedian (the median trial)', () => {
  it('is a value one trial measured: the upper middle one for an even count', () => {
    expect(upperMedian([3, 1, 2])).toBe(2);
    expect(upperMedian([4, 1, 3, 2])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(upperMedian([])).toBeUndefined();
  });
});
