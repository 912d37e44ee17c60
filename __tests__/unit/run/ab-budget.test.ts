/** The budget's clock of an A/B run (run/ab-budget.ts), with a clock of the test's own. */
import { describe, expect, it } from 'vitest';
import { BudgetClock } from '../../../src/run/ab-budget.js';

function clock(seconds = 60) {
  let now = 0;
  const c = new BudgetClock({
    seconds,
    pairsPerRound: 2,
    firstLook: 3,
    maxRounds: 10,
    now: () => now,
  });
  return { c, advance: (s: number) => (now += s * 1000) };
}

describe('BudgetClock', () => {
  it('looks from the first-look round on, and ends when the next round would not fit', () => {
    const { c, advance } = clock(60);
    advance(10);
    expect(c.afterRound(1, 10)).toEqual({ look: false, final: false });
    advance(10);
    expect(c.afterRound(2, 10)).toEqual({ look: false, final: false });
    advance(10);
    expect(c.afterRound(3, 10)).toEqual({ look: true, final: false });
    c.restarted(5);
    advance(20);
    // 50 s spent, a 5 s restart and a 10 s round would pass 60 s.
    expect(c.afterRound(4, 10)).toEqual({ look: true, final: true });
  });

  it('ends at the most rounds whatever the budget', () => {
    const { c } = clock(3600);
    expect(c.afterRound(10, 1).final).toBe(true);
  });

  it('records each look with the share of the budget spent, the last one final, and the outcomes', () => {
    const { c, advance } = clock(100);
    advance(30);
    c.measured('a', 12);
    const first = c.record(['a', 'b'], 3, false);
    expect(first.looks.a).toEqual([{ rounds: 3, spent: 0.3 }]);
    expect(first.familySize).toBe(0);
    c.decided(
      new Map([
        ['a', 'regression'],
        ['b', 'undecided'],
      ]),
      14,
      false,
    );
    expect(c.isOpen('a')).toBe(false);
    expect(c.isOpen('b')).toBe(true);
    advance(30);
    const last = c.record(['b'], 4, true);
    c.decided(new Map([['b', 'undecided']]), 99, true);
    expect(last.looks.b).toEqual([
      { rounds: 3, spent: 0.3 },
      { rounds: 4, spent: 1 },
    ]);
    const result = c.result();
    expect(result.finalLook).toEqual(['b']);
    expect(result.familySize).toBe(14);
    expect(result.decided).toEqual({ a: 'regression', b: 'undecided' });
    expect(result.scenarioSeconds).toEqual({ a: 12 });
    expect(result.spentSeconds).toBe(60);
  });
});
