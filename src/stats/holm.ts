/**
 * Holm-Bonferroni step-down adjusted p-values, in input order: with p sorted ascending,
 * adj_(i) = max_{j<=i} min(1, (m - j + 1)·p_(j)) (statsmodels multipletests(method='holm')).
 * Monotone in p, each >= its input, capped at 1. Empty input gives []. Each p must be a number
 * in [0, 1] (RangeError naming the index otherwise).
 */
export function holm(pValues: readonly number[]): number[] {
  if (!Array.isArray(pValues)) throw new RangeError('pValues must be an array of numbers');
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(`pValues[${i}] must be a number in [0, 1] (got ${String(p)})`);
    }
  });
  const m = pValues.length;
  const order = pValues
    .map((_, i) => i)
    .sort((a, b) => (pValues[a] as number) - (pValues[b] as number) || a - b);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}
