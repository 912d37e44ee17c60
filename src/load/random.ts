/**
 * Seeded randomness for the load's choices (pool picks, request mix), so two runs with the same
 * config send the same sequence of requests. mulberry32: tiny, fast, good enough for sampling.
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

/** Index in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** `count` distinct items (Floyd's algorithm: O(count), no copy of the pool). */
export function pickDistinct<T>(random: Random, items: readonly T[], count: number): T[] {
  const n = items.length;
  if (count >= n) return [...items];
  const chosen = new Set<number>();
  for (let j = n - count; j < n; j++) {
    const t = randomIndex(random, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].map((i) => items[i] as T);
}

/**
 * Expand weights into a cycle of `length` slots, each weight's share rounded fairly, in a seeded
 * random order that keeps every stretch of the cycle close to the weights: each request's slots
 * are spread evenly over the cycle, each at a random place within its own stretch. (A plain
 * shuffle is not enough: every connection walks the same cycle from its start, so a short trial
 * sends a prefix of it, and a shuffled prefix can be far from the weights.)
 */
export function weightedCycle(
  random: Random,
  weights: readonly number[],
  length: number,
): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const keyed: Array<[number, number]> = [];
  let carried = 0;
  weights.forEach((weight, index) => {
    const exact = (weight / total) * length + carried;
    const whole = Math.max(1, Math.round(exact));
    carried = exact - whole;
    for (let k = 0; k < whole; k++) keyed.push([(k + random()) / whole, index]);
  });
  keyed.sort((a, b) => a[0] - b[0]);
  return keyed.map(([, index]) => index);
}
