import { ALTERNATIVES } from './types.js';
import type { Alternative } from './types.js';

/**
 * Throws a RangeError naming `name` unless `values` has at least `minLength` entries, all finite
 * numbers (NaN and ±Infinity are rejected).
 */
export function assertFiniteSample(
  name: string,
  values: readonly number[],
  minLength: number,
): void {
  if (!Array.isArray(values)) {
    throw new RangeError(`${name} must be an array of numbers`);
  }
  if (values.length < minLength) {
    throw new RangeError(
      `${name} must contain at least ${minLength} value${minLength === 1 ? '' : 's'} (got ${values.length})`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${name}[${i}] must be a finite number (got ${String(v)})`);
    }
  }
}

/** Throws a RangeError unless `alternative` is one of 'greater', 'less', 'two-sided'. */
export function assertAlternative(alternative: Alternative): void {
  if (!ALTERNATIVES.includes(alternative)) {
    throw new RangeError(
      `alternative must be one of ${ALTERNATIVES.join(', ')} (got ${String(alternative)})`,
    );
  }
}

/** Throws a RangeError unless 0 < confidence < 1. */
export function assertConfidence(confidence: number): void {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1 (got ${String(confidence)})`);
  }
}

/** Throws a RangeError unless 0 < p < 1. */
export function assertOpenProbability(name: string, p: number): void {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new RangeError(`${name} must be strictly between 0 and 1 (got ${String(p)})`);
  }
}
