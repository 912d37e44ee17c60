import { describe, expect, it } from 'vitest';
import { pickDistinct, weightedCycle } from '../../../src/load/random.js';
import { seededRandom } from '../../../src/stats/random.js';

describe('pickDistinct', () => {
  it('returns count distinct items of the pool', () => {
    const pool = Array.from({ length: 1000 }, (_, i) => `id${i}`);
    const picked = pickDistinct(seededRandom(1), pool, 100);
    expect(picked).toHaveLength(100);
    expect(new Set(picked).size).toBe(100);
    for (const id of picked) expect(pool).toContain(id);
  });

  it('returns the whole pool when asked for more than it has', () => {
    expect(pickDistinct(seededRandom(1), ['a', 'b'], 5).sort()).toEqual(['a', 'b']);
  });
});

describe('weightedCycle', () => {
  it('gives each request its share of the cycle', () => {
    const cycle = weightedCycle(seededRandom(3), [4, 2, 3, 1], 100);
    const counts = [0, 1, 2, 3].map((i) => cycle.filter((x) => x === i).length);
    expect(counts).toEqual([40, 20, 30, 10]);
  });

  it('keeps every prefix of the cycle close to the weights, in an order that depends on the seed', () => {
    const weights = [4, 2, 3, 1, 2, 1];
    const total = weights.reduce((a, b) => a + b, 0);
    const cycle = weightedCycle(seededRandom(7), weights, 100);
    for (let n = 1; n <= cycle.length; n++) {
      const prefix = cycle.slice(0, n);
      weights.forEach((w, i) => {
        const count = prefix.filter((x) => x === i).length;
        expect(Math.abs(count - (n * w) / total), `request ${i} in the first ${n}`).toBeLessThan(2);
      });
    }
    expect(weightedCycle(seededRandom(8), weights, 100)).not.toEqual(cycle);
    expect(weightedCycle(seededRandom(7), weights, 100)).toEqual(cycle);
  });

  it('keeps at least one slot for a tiny weight', () => {
    const cycle = weightedCycle(seededRandom(3), [1000, 1], 100);
    expect(cycle.filter((x) => x === 1).length).toBeGreaterThanOrEqual(1);
  });
});
