import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/stats/random.js';
import { blocksOfRound, drawBlockOrder, leadSide } from '../../../src/run/ab-plan.js';

describe('the block order of an A/B run', () => {
  it('is reproducible from the seed and differs between seeds', () => {
    const a = drawBlockOrder(seededRandom(7), 14);
    expect(drawBlockOrder(seededRandom(7), 14)).toEqual(a);
    expect(drawBlockOrder(seededRandom(8), 14)).not.toEqual(a);
    expect(a).toHaveLength(14);
  });

  it('puts each side first in exactly half the blocks (the odd one either way), in varying order', () => {
    const random = seededRandom(20261129);
    const seen = new Set<string>();
    let oddBaseFirst = 0;
    for (let i = 0; i < 200; i++) {
      const even = drawBlockOrder(random, 14);
      expect(even.filter((o) => o === 'base-first')).toHaveLength(7);
      seen.add(even.join());
      const odd = drawBlockOrder(random, 15);
      const baseFirst = odd.filter((o) => o === 'base-first').length;
      expect([7, 8]).toContain(baseFirst);
      if (baseFirst === 8) oddBaseFirst++;
    }
    // Not one fixed pattern, and the odd block goes either way.
    expect(seen.size).toBeGreaterThan(150);
    expect(oddBaseFirst).toBeGreaterThan(60);
    expect(oddBaseFirst).toBeLessThan(140);
  });

  it('gives the lead of a scenario (fills, warms up and runs alone first) to either side by the seed', () => {
    const random = seededRandom(11);
    let baseLeads = 0;
    for (let i = 0; i < 400; i++) {
      const order = drawBlockOrder(random, 14);
      const lead = leadSide(order);
      expect(order[0]).toBe(`${lead}-first`);
      if (lead === 'base') baseLeads++;
    }
    // A fair coin over 400 scenarios: far from always one side (binomial SD 10).
    expect(baseLeads).toBeGreaterThan(160);
    expect(baseLeads).toBeLessThan(240);
  });
});

describe('the blocks of each round', () => {
  it('splits the pairs as evenly as can be, the first rounds one more', () => {
    const split = (total: number, rounds: number) =>
      Array.from({ length: rounds }, (_, r) => blocksOfRound(total, rounds, r));
    expect(split(14, 7)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(split(14, 4)).toEqual([4, 4, 3, 3]);
    expect(split(10, 3)).toEqual([4, 3, 3]);
    expect(split(5, 1)).toEqual([5]);
    for (const [total, rounds] of [
      [14, 5],
      [9, 9],
      [20, 6],
    ] as const) {
      expect(split(total, rounds).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
