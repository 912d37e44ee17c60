/**
 * The seeded uniform generator on [0, 1) loadgate's seeded choices draw from: the load's (pool
 * picks, request mix), the A/B block order and E-Divisive's permutation tests, so that each
 * repeats exactly from its seed. mulberry32: tiny, fast, good enough for sampling. Recorded seeds
 * and tests rely on its sequence: it must not change.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
