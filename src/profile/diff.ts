/**
 * Base against head: each function's self and total time per request of the scenario, and the
 * functions whose own time per request grew most. Self time ranks, not total: a function that
 * burns CPU makes every caller's total grow as much, and the report names where the time went.
 */
import type { CodeOrigin, FunctionGrowth } from '../result/profile-schema.js';
import { functionKey, type CostTable, type FunctionTotals } from './costs.js';

/**
 * Less than this share of the head's CPU per request is within the sampling's noise: a
 * function that grew less is not named.
 */
export const MIN_GROWTH_SHARE = 0.01;
/** How many grown functions a scenario keeps. */
export const KEPT_GROWTH = 10;

const ORIGIN_ORDER: Record<CodeOrigin, number> = { user: 0, library: 1, runtime: 2 };

interface Requests {
  base: number;
  head: number;
}

/**
 * Pairs each head function with its base: the same name, file and line; else, where the code
 * moved, the one unpaired base function of the same name and file.
 */
function pairFunctions(
  base: CostTable,
  head: CostTable,
): { head?: FunctionTotals; base?: FunctionTotals }[] {
  const pairs: { head?: FunctionTotals; base?: FunctionTotals }[] = [];
  const unpairedBase = new Map(base.functions);
  const unpairedHead: FunctionTotals[] = [];
  for (const [key, h] of head.functions) {
    const b = unpairedBase.get(key);
    if (b) {
      unpairedBase.delete(key);
      pairs.push({ head: h, base: b });
    } else unpairedHead.push(h);
  }
  const byPlace = (f: FunctionTotals) => `${f.name}\u0000${f.file}`;
  const baseByPlace = new Map<string, FunctionTotals[]>();
  for (const b of unpairedBase.values()) {
    baseByPlace.set(byPlace(b), [...(baseByPlace.get(byPlace(b)) ?? []), b]);
  }
  const headCount = new Map<string, number>();
  for (const h of unpairedHead) headCount.set(byPlace(h), (headCount.get(byPlace(h)) ?? 0) + 1);
  for (const h of unpairedHead) {
    const candidates = baseByPlace.get(byPlace(h)) ?? [];
    const only = candidates.length === 1 && headCount.get(byPlace(h)) === 1;
    if (only && candidates[0]) {
      unpairedBase.delete(functionKey(candidates[0]));
      pairs.push({ head: h, base: candidates[0] });
    } else pairs.push({ head: h });
  }
  for (const b of unpairedBase.values()) pairs.push({ base: b });
  return pairs;
}

/**
 * The functions whose self time per request grew by at least MIN_GROWTH_SHARE of the head's CPU
 * per request: the `limit` that grew most, the repository's own code first, then packages', then
 * the runtime's, each most first. Empty when a side served no request.
 */
export function rankGrowth(
  base: CostTable,
  head: CostTable,
  requests: Requests,
  limit = KEPT_GROWTH,
): FunctionGrowth[] {
  if (!(requests.base > 0) || !(requests.head > 0)) return [];
  const baseCpu = base.cpuUs / requests.base;
  const headCpu = head.cpuUs / requests.head;
  const floor = MIN_GROWTH_SHARE * headCpu;
  const grown = pairFunctions(base, head).flatMap(({ base: b, head: h }): FunctionGrowth[] => {
    const where = (h ?? b) as FunctionTotals;
    const cost = (f: FunctionTotals | undefined, n: number) => ({
      selfUs: (f?.selfUs ?? 0) / n,
      totalUs: (f?.totalUs ?? 0) / n,
    });
    const baseCost = cost(b, requests.base);
    const headCost = cost(h, requests.head);
    const growthUs = headCost.selfUs - baseCost.selfUs;
    if (!(growthUs > 0) || growthUs < floor) return [];
    return [
      {
        name: where.name,
        file: where.file,
        line: where.line,
        origin: where.origin,
        base: baseCost,
        head: headCost,
        growthUs,
        share: {
          base: baseCpu > 0 ? baseCost.selfUs / baseCpu : 0,
          head: headCpu > 0 ? headCost.selfUs / headCpu : 0,
        },
      },
    ];
  });
  return grown
    .sort((a, b) => b.growthUs - a.growthUs)
    .slice(0, limit)
    .sort((a, b) => ORIGIN_ORDER[a.origin] - ORIGIN_ORDER[b.origin] || b.growthUs - a.growthUs);
}
