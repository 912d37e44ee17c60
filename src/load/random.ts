/**
 * The load's seeded choices (pool picks, request mix), drawn from the seeded generator
 * (stats/random.ts), so two runs with the same config send the same sequence of requests.
 */
import type { Random } from '../stats/random.js';

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
