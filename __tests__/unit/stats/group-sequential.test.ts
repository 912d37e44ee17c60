/**
 * The group-sequential design (src/stats/group-sequential.ts) against published boundaries of
 * gsDesign (R; `gsDesign(k, test.type = 1, alpha = 0.025, sfu = sfLDOF)`, equally spaced looks,
 * as tabled in its manual and in Jennison and Turnbull 2000, table 7.6 style), and its promise
 * checked by simulation: same-code false alarms stay at or below α however many looks.
 */
import { describe, expect, it } from 'vitest';
import {
  groupSequential,
  obrienFlemingSpent,
  SEQUENTIAL_T_ALPHA_SHARE,
  SequentialDesign,
  tFromZ,
  zFromT,
} from '../../../src/stats/group-sequential.js';
import { normalSf } from '../../../src/stats/normal.js';
import { studentTSf } from '../../../src/stats/student-t.js';
import { seededRandom } from '../../../src/stats/random.js';

const equallySpaced = (k: number) => Array.from({ length: k }, (_, i) => (i + 1) / k);

describe('Lan-DeMets O’Brien-Fleming boundaries against gsDesign (one-sided α 0.025)', () => {
  const published: Record<number, number[]> = {
    2: [2.9626, 1.9686],
    3: [3.7103, 2.5114, 1.993],
    4: [4.3326, 2.9631, 2.359, 2.0141],
    5: [4.8769, 3.3569, 2.6803, 2.2898, 2.031],
  };
  it.each(Object.entries(published))('%s equally spaced looks', (k, expected) => {
    const { boundaries } = groupSequential(0.025, equallySpaced(Number(k)));
    expect(boundaries).toHaveLength(expected.length);
    boundaries.forEach((b, i) => expect(b).toBeCloseTo(expected[i] as number, 3));
  });

  it('one look is the fixed-sample test', () => {
    const { boundaries, pValue } = groupSequential(0.05, [1]);
    expect(boundaries[0]).toBeCloseTo(1.6449, 4);
    expect(pValue(2)).toBeCloseTo(normalSf(2), 10);
  });

  it('spends α by the fraction: nothing at 0, all of it at 1, little early', () => {
    expect(obrienFlemingSpent(0.05, 0)).toBe(0);
    expect(obrienFlemingSpent(0.05, 1)).toBe(0.05);
    expect(obrienFlemingSpent(0.025, 0.5)).toBeCloseTo(0.001525, 5);
    expect(obrienFlemingSpent(0.05, 0.2)).toBeLessThan(0.0001);
  });
});

describe('the stagewise p-value', () => {
  it('is α at the last boundary, below it when crossed, above when not', () => {
    const design = groupSequential(0.01, equallySpaced(6));
    const last = design.boundaries.at(-1) as number;
    expect(design.pValue(last)).toBeCloseTo(0.01, 6);
    expect(design.pValue(last + 0.5)).toBeLessThan(0.01);
    expect(design.pValue(last - 0.5)).toBeGreaterThan(0.01);
  });

  it('counts what earlier looks could have spent: at an early look it is at least the one-look p', () => {
    const early = groupSequential(0.05, [0.25, 0.5]);
    expect(early.pValue(2.5)).toBeGreaterThanOrEqual(normalSf(2.5));
  });

  it('a final look that comes early spends the rest of α', () => {
    const design = groupSequential(0.05, [0.2, 0.4], true);
    expect(design.pValue(design.boundaries[1] as number)).toBeCloseTo(0.05, 6);
  });

  it('grows look by look to the same boundaries and p-values as a whole design', () => {
    const whole = groupSequential(0.01, [0.3, 0.5, 0.8]);
    const grown = new SequentialDesign(0.01);
    [0.3, 0.5, 0.8].forEach((t) => grown.look(t));
    expect(grown.boundaries).toEqual(whole.boundaries);
    expect(grown.pValue(2.2)).toBeCloseTo(whole.pValue(2.2), 12);
  });

  it('refuses looks out of order and a bad α, naming them', () => {
    expect(() => groupSequential(0.05, [0.5, 0.4])).toThrow(/fractions\[1\] = 0.4 after 0.5/);
    expect(() => groupSequential(0.05, [])).toThrow(/at least one look/);
    expect(() => groupSequential(1.5, [1])).toThrow(/alpha must be in \(0, 1\) \(got 1.5\)/);
  });
});

describe('t statistics on the z scale', () => {
  it('keeps the one-sided tail probability, both ways', () => {
    for (const [t, df] of [
      [2.5, 2],
      [-1.2, 5],
      [6, 10],
    ] as const) {
      expect(normalSf(zFromT(t, df))).toBeCloseTo(studentTSf(t, df), 10);
      expect(tFromZ(zFromT(t, df), df)).toBeCloseTo(t, 6);
    }
    expect(zFromT(Infinity, 3)).toBe(40);
  });
});

/**
 * The promise, by simulation: same code (true effect 0), round means normal with an unknown SD,
 * Student's t over the rounds so far after every round from the 3rd, looks at fractions g / G.
 * Seeded, so the figures are the same on every run; the allowance is two binomial SEs.
 */
describe('same-code false alarms across every look stay within α', () => {
  function falseAlarmRate(alpha: number, maxRounds: number, runs: number): number {
    const random = seededRandom(20261207 + maxRounds);
    const gauss = () => {
      const u = 1 - random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const first = 3;
    const fractions = Array.from(
      { length: maxRounds - first + 1 },
      (_, i) => (first + i) / maxRounds,
    );
    // One design serves every run: its boundaries depend on the looks, not on the data.
    const design = new SequentialDesign(alpha * SEQUENTIAL_T_ALPHA_SHARE);
    const boundaries = fractions.map((t) => design.look(t));
    let alarms = 0;
    for (let run = 0; run < runs; run++) {
      const means: number[] = [];
      for (let g = 1; g <= maxRounds; g++) {
        means.push(0.02 * gauss());
        if (g < first) continue;
        const mean = means.reduce((a, b) => a + b, 0) / g;
        const sd = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / (g - 1));
        const k = g - first;
        if (zFromT(mean / (sd / Math.sqrt(g)), g - 1) >= (boundaries[k] as number)) {
          alarms++;
          break;
        }
      }
    }
    return alarms / runs;
  }

  it.each([
    [0.05, 5],
    [0.05, 12],
    [0.05, 30],
    [0.01, 12],
  ])('α %s, up to %s rounds', (alpha, maxRounds) => {
    const runs = 8000;
    const rate = falseAlarmRate(alpha, maxRounds, runs);
    expect(rate).toBeLessThanOrEqual(alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / runs));
    // Not so conservative that it wastes the budget: most of α is used.
    expect(rate).toBeGreaterThan(alpha * 0.6);
  });
});
