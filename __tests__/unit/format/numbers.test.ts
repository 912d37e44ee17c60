import { describe, expect, it } from 'vitest';
import {
  formatMs,
  formatP,
  formatPercentChange,
  formatPp,
  formatRate,
  formatShare,
} from '../../../src/format/numbers.js';

describe('format', () => {
  it('milliseconds with 3 significant digits, seconds from 1 s', () => {
    expect(formatMs(0.842)).toBe('0.842 ms');
    expect(formatMs(12.34)).toBe('12.3 ms');
    expect(formatMs(123.4)).toBe('123 ms');
    expect(formatMs(999.4)).toBe('999 ms');
    expect(formatMs(999.7)).toBe('1.00 s');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(12_500)).toBe('12.5 s');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(null)).toBe('–');
  });

  it('req/s with thousands separators', () => {
    expect(formatRate(12_345.6)).toBe('12,346 req/s');
    expect(formatRate(45.67, false)).toBe('45.7');
  });

  it('signed percentages, percentage points, shares, p-values', () => {
    expect(formatPercentChange(0.123)).toBe('+12.3 %');
    expect(formatPercentChange(-0.04)).toBe('-4.0 %');
    expect(formatPercentChange(-0.00001)).toBe('+0.0 %');
    expect(formatPercentChange(0.081, false)).toBe('+8.1');
    expect(formatPp(0.6)).toBe('+0.60 pp');
    expect(formatShare(0.0123)).toBe('1.23 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatP(0.00001)).toBe('<0.0001');
    expect(formatP(0.0012)).toBe('0.0012');
    expect(formatP(0.43)).toBe('0.430');
  });
});
