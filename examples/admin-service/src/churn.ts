/**
 * Short-lived garbage for the `alloc-<op>` fault knob: many small objects, touched and then
 * dropped, so the young-generation GC does the work a wasteful handler would cause. One big
 * Buffer would not: it lives outside the V8 heap and costs one allocation.
 */

/** One piece: a small object linked to the previous one (no array backing store to skew it). */
interface Scrap {
  seq: number;
  value: number;
  prev: Scrap | null;
}

/** Heap bytes of one Scrap on 64-bit V8 (3 fields, no pointer compression in Node builds). */
export const SCRAP_BYTES = 48;

/**
 * Allocate about `kb` KB of small objects, walk them once, drop them. Returns a checksum of the
 * walk, so every object is really written and read (nothing for the compiler to elide).
 */
export function churn(kb: number): number {
  const pieces = Math.ceil((kb * 1024) / SCRAP_BYTES);
  let last: Scrap | null = null;
  for (let i = 0; i < pieces; i++) last = { seq: i, value: (i * 31) & 0xffff, prev: last };
  let sum = 0;
  for (let s = last; s !== null; s = s.prev) sum = (sum + s.value + s.seq) | 0;
  return sum;
}
