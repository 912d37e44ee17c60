/**
 * A scenario the base cannot serve: a pull request that adds the endpoint it calls. Every request
 * to the base fails (a 404, say) while the head's succeed. Comparing the two would call the head
 * "slower" or "faster" than a quick 404; such a scenario is new in this change, judged on its SLA
 * alone. Pure.
 */
import type { ScenarioResult } from '../result/types.js';

/** A base trial whose error rate is at least this failed every request (rounding aside). */
const BASE_FAILS = 0.999;
/** The head serves when at most this share of its requests fail (median over its trials). */
const HEAD_SERVES = 0.5;

/**
 * Why the base cannot serve this scenario ("every request to the base failed (404)"), or
 * undefined when it can, or when the head cannot either (both failing is compared as usual).
 */
export function baseCannotServe(
  base: ScenarioResult,
  head: ScenarioResult,
  side: 'base' | 'baseline' = 'base',
): string | undefined {
  if (base.trials.length === 0 || head.trials.length === 0) return undefined;
  const baseFailsAll = base.trials.every(
    (t) => t.metrics.requests > 0 && t.metrics.errorRate >= BASE_FAILS,
  );
  if (!baseFailsAll) return undefined;
  const headRates = head.trials.map((t) => t.metrics.errorRate).sort((a, b) => a - b);
  const headMedian = headRates[Math.floor((headRates.length - 1) / 2)] ?? 1;
  if (headMedian > HEAD_SERVES) return undefined;
  const status = commonestFailure(base);
  return `every request to the ${side} failed${status ? ` (${status})` : ''}`;
}

/** The status the base's failed requests got most often (not a 2xx), if any. */
function commonestFailure(s: ScenarioResult): string | undefined {
  const counts = new Map<string, number>();
  for (const t of s.trials) {
    for (const [code, n] of Object.entries(t.metrics.statusCodes)) {
      if (/^2\d\d$/.test(code)) continue;
      counts.set(code, (counts.get(code) ?? 0) + n);
    }
  }
  let best: string | undefined;
  for (const [code, n] of counts)
    if (best === undefined || n > (counts.get(best) ?? 0)) best = code;
  return best !== undefined && /^\d{3}$/.test(best) ? best : undefined;
}
