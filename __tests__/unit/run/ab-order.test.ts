import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/load/random.js';
import { drawBlockOrder } from '../../../src/run/ab-plan.js';

describe('the block order of an A/B run', () => {
  it('is reproducible from the seed and differs between seeds', () => {
    const a = drawBlockOrder(seededRandom(7), 14);
    expect(drawBlockOrder(seededRandom(7), 14)).toEqual(a);
    expect(drawBlockOrder(seededRandom(8), 14)).not.toEqual(a);
    expect(a).toHaveLength(14);
  });

  it('puts each side first about half the time, never always the same one', () => {
    const random = seededRandom(20261129);
    let baseFirst = 0;
    const runs = 1000;
    for (let i = 0; i < runs; i++) {
      const order = drawBlockOrder(random, 14);
      baseFirst += order.filter((o) => o === 'base-first').length;
    }
    // 14 000 fair coins: the share is 0.5 ± 0.013 (3 standard errors).
    expect(baseFirst / (runs * 14)).toBeGreaterThan(0.487);
    expect(baseFirst / (runs * 14)).toBeLessThan(0.513);
  });
});
