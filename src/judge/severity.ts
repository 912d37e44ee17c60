import type { Severity } from './types.js';

export const SEVERITY_ORDER: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export function severityRank(s: Severity | null): number {
  return s === null ? -1 : SEVERITY_ORDER.indexOf(s);
}

export function worstSeverity(list: readonly (Severity | null)[]): Severity | null {
  let worst: Severity | null = null;
  for (const s of list) if (severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}

/**
 * Severity of a regression from its estimated relative change (absolute value, so a 40 %
 * throughput drop is HIGH like a 40 % latency rise): LOW < 15 %, MEDIUM < 30 %, HIGH < 60 %,
 * CRITICAL ≥ 60 %. An error-rate regression is always CRITICAL: errors are failures, not slowness.
 */
export function regressionSeverity(relativeChange: number, isErrorRate: boolean): Severity {
  if (isErrorRate) return 'CRITICAL';
  const c = Math.abs(relativeChange);
  if (c < 0.15) return 'LOW';
  if (c < 0.3) return 'MEDIUM';
  if (c < 0.6) return 'HIGH';
  return 'CRITICAL';
}

/**
 * Severity of an SLA breach: HIGH; CRITICAL when the measured value is beyond twice the
 * threshold (below half of it for a minimum such as throughput), or when it is an error rate
 * above 5 %.
 */
export function slaSeverity(
  bound: 'max' | 'min',
  threshold: number,
  measured: number,
  isErrorRate: boolean,
): Severity {
  if (isErrorRate && measured > 0.05) return 'CRITICAL';
  if (bound === 'max' && measured > 2 * threshold) return 'CRITICAL';
  if (bound === 'min' && measured < threshold / 2) return 'CRITICAL';
  return 'HIGH';
}
