/** Where the spread of pairs in rounds comes from, and the pairs per round that buy the most. */
import { describe, expect, it } from 'vitest';
import { bestPairsPerRound, spreadComponents } from '../../../src/stats/round-means.js';
import { seededRandom } from '../../../src/stats/random.js';

function simulate(between: number, within: number, rounds: number, pairs: number, seed: number) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values: number[] = [];
  const roundOf: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const level = between * gauss();
    for (let p = 0; p < pairs; p++) {
      values.push(level + within * gauss());
      roundOf.push(r);
    }
  }
  return spreadComponents(values, roundOf);
}

describe('spreadComponents', () => {
  it('recovers the two parts of a simulated spread', () => {
    const split = simulate(0.03, 0.01, 400, 4, 7);
    expect(split.withinRound).toBeCloseTo(0.01, 2);
    expect(split.betweenRounds).toBeGreaterThan(0.026);
    expect(split.betweenRounds).toBeLessThan(0.034);
    expect(split.pairsPerRound).toBe(4);
  });

  it('no round-to-round part when there is none (never below 0)', () => {
    const split = simulate(0, 0.02, 300, 4, 8);
    expect(split.betweenRounds).toBeLessThan(0.004);
    expect(split.withinRound).toBeCloseTo(0.02, 2);
  });

  it('says nothing it cannot: one pair per round has no within part', () => {
    expect(spreadComponents([0.1, 0.2, 0.3], [0, 1, 2]).withinRound).toBeNull();
    expect(spreadComponents([0.1, 0.2], [0, 0]).betweenRounds).toBeNull();
  });
});

describe('bestPairsPerRound', () => {
  it('more pairs when pair-to-pair noise dominates, the fewest when rounds do', () => {
    expect(bestPairsPerRound(0.05, 0.001, 3, 1)).toBe(8);
    expect(bestPairsPerRound(0.005, 0.05, 3, 1)).toBe(2);
    // √(0.02² · 3 / (0.01² · 1)) ≈ 3.5: the nearest even count.
    expect(bestPairsPerRound(0.02, 0.01, 3, 1)).toBe(4);
  });

  it('the fewest when the split is unknown', () => {
    expect(bestPairsPerRound(null, 0.01, 3, 1)).toBe(2);
  });
});
