import type { AbSection, AbSide, ScenarioResult } from './types.js';

/** The base side of an A/B run as a run of its own, the baseline its head is judged against. */
export function abBaseRun<T extends { ab?: AbSection; scenarios: ScenarioResult[] }>(
  result: T & { git?: AbSide['git']; target: { baseUrl: string } },
): T | undefined {
  const ab = result.ab;
  if (ab === undefined) return undefined;
  const { ab: _dropped, ...rest } = result;
  return {
    ...rest,
    ...(ab.base.git === undefined ? { git: undefined } : { git: ab.base.git }),
    target: { baseUrl: ab.base.baseUrl },
    scenarios: ab.base.scenarios,
  } as unknown as T;
}

/**
 * What a stored baseline keeps of a result: the head's own run, never the paired section. Of a
 * duet, each scenario's head-alone trials where it has them: the pairs' figures were measured
 * with the base sharing the CPU and would not compare with a run alone.
 */
export function asStoredBaseline<T extends { ab?: AbSection; scenarios: ScenarioResult[] }>(
  result: T,
): Omit<T, 'ab'> {
  const { ab: _dropped, ...rest } = result;
  return { ...rest, scenarios: result.scenarios.map((s) => s.solo ?? s) } as unknown as Omit<
    T,
    'ab'
  >;
}
