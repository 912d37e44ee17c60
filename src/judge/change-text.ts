/**
 * How a comparison's change reads ("+12.3 % [+8.1, +16.0]", "+0.60 pp") and its min effect:
 * used in the judge's reasons and by the reports.
 */
import { formatPercentChange, formatPp } from '../format/numbers.js';
import type { MetricComparison } from './types.js';

/**
 * The direction in which a comparison's change is worse: +1 when a rise is (latency, CPU, the
 * error rate in pp), −1 when a fall is (throughput).
 */
export function worseSign(c: Pick<MetricComparison, 'unit' | 'higherIsWorse'>): 1 | -1 {
  return c.unit === 'pp' || c.higherIsWorse ? 1 : -1;
}

export function describeChange(c: MetricComparison): string {
  if (c.unit === 'pp') {
    const iv =
      c.change.lower === null || c.change.upper === null
        ? ''
        : ` [${formatPp(c.change.lower, false)}, ${formatPp(c.change.upper, false)}]`;
    return `${formatPp(c.change.estimate)}${iv}`;
  }
  const iv =
    c.change.lower === null || c.change.upper === null
      ? ''
      : ` [${formatPercentChange(c.change.lower, false)}, ${formatPercentChange(c.change.upper, false)}]`;
  return `${formatPercentChange(c.change.estimate)}${iv}`;
}

export function minEffectText(c: MetricComparison): string {
  return c.unit === 'pp'
    ? `${c.effectiveMinEffect.toFixed(2)} pp`
    : `${(c.effectiveMinEffect * 100).toFixed(1)} %`;
}

/** The change as the reports show it. */
export function changeText(c: MetricComparison): string {
  return describeChange(c);
}
