/**
 * Σ (t³ - t) over the groups of equal values in an ascending-sorted array, where t is the size of
 * each group: the tie term of the normal approximations of the rank tests. 0 means no ties.
 */
export function tieTerm(sorted: readonly number[]): number {
  let term = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      if (run > 1) term += run * run * run - run;
      run = 1;
    }
  }
  return term;
}

/** Ascending numeric sort of a copy. */
export function sortedCopy(values: readonly number[]): number[] {
  return Array.from(values).sort((a, b) => a - b);
}
