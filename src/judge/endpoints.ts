/**
 * Which endpoint of a mix changed. A scenario that mixes requests (list, search, get, create,
 * grant) records each endpoint's figures per trial on both sides; each endpoint's trials are
 * tested as the scenario's own are (paired.ts: over the pairs, or the rounds' means; two-sample.ts
 * against a stored baseline), for its latency, in a Holm family of the endpoint tests alone, so
 * the scenarios' own family, and what fails the check, are unchanged. It says where a change is,
 * not whether there is one: a scenario's verdict never rests on it.
 *
 * An A/B run with a budget decided each scenario by its own tests' looks; the endpoints are
 * tested once, over the rounds the scenario got.
 */
import type { GatedMetric, ScenarioResult, TrialResult } from '../result/types.js';
import { decideFamily, type PendingComparison, type TestDesign } from './family.js';
import { pairedComparison } from './paired.js';
import { twoSampleComparison, type ScenarioPair } from './two-sample.js';
import type { EndpointComparison, ScenarioEndpoints } from './types.js';

/** The latency figures each endpoint is tested on. */
export const ENDPOINT_METRICS: readonly GatedMetric[] = ['p50', 'p95'];

/** The endpoints every trial recorded with at least one request, in the first trial's order. */
export function endpointNames(s: ScenarioResult): string[] {
  const [first, ...rest] = s.trials;
  if (first === undefined) return [];
  return Object.keys(first.endpoints).filter((name) =>
    [first, ...rest].every((t) => (t.endpoints[name]?.requests ?? 0) > 0),
  );
}

/** The scenario as one endpoint saw it: each trial's latency figures are the endpoint's. */
function endpointView(s: ScenarioResult, endpoint: string): ScenarioResult {
  const trials = s.trials.map((t): TrialResult => {
    const e = t.endpoints[endpoint];
    return e === undefined ? t : { ...t, metrics: { ...t.metrics, p50: e.p50, p95: e.p95 } };
  });
  return { ...s, trials };
}

/**
 * Per compared scenario, its endpoints and, for a mix of two or more, their tests (decided in
 * their own Holm family at `alpha`).
 */
export function compareEndpoints(
  pairs: readonly ScenarioPair[],
  design: TestDesign,
  alpha: number,
  minEffect: number,
): Map<string, ScenarioEndpoints> {
  const out = new Map<string, ScenarioEndpoints>();
  const pending: PendingComparison[] = [];
  for (const pair of pairs) {
    const onBase = new Set(endpointNames(pair.baseline));
    const names = endpointNames(pair.current).filter((n) => onBase.has(n));
    const comparisons: EndpointComparison[] = [];
    out.set(pair.name, { names, comparisons });
    if (names.length < 2) continue;
    for (const endpoint of names) {
      const view: ScenarioPair = {
        name: pair.name,
        baseline: endpointView(pair.baseline, endpoint),
        current: endpointView(pair.current, endpoint),
        noiseFloor: undefined,
      };
      for (const metric of ENDPOINT_METRICS) {
        const c =
          design === 'paired'
            ? pairedComparison(view, metric, alpha, minEffect)
            : twoSampleComparison(view, metric, alpha, minEffect);
        if (c === undefined) continue;
        const tested: EndpointComparison = Object.assign(c, { endpoint });
        comparisons.push(tested);
        pending.push({ scenario: pair.name, comparison: tested });
      }
    }
  }
  // Its notes (too few trials) repeat the scenarios' own: not added again.
  decideFamily(pending, alpha, design);
  return out;
}
