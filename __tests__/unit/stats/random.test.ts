import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/stats/random.js';

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('the sequence saved seeds rely on', () => {
  it('stays the same for the load and for E-Divisive alike (one generator)', () => {
    expect(Array.from({ length: 3 }, seededRandom(1))).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
    expect(Array.from({ length: 3 }, seededRandom(20261129))).toEqual([
      0.5282446686178446, 0.892268625786528, 0.763774539809674,
    ]);
  });
});
