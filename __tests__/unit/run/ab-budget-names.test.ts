/**
 * The budget's records are indexed by scenario names, which the scenarios file chooses: a
 * scenario named constructor or toString must be a scenario like any other (a plain `{}` answered
 * for them from its prototype: closed before it was measured, or a TypeError at its first look).
 */
import { describe, expect, it } from 'vitest';
import { BudgetClock } from '../../../src/run/ab-budget.js';

describe('BudgetClock with scenarios named like inherited properties', () => {
  it.each(['constructor', 'toString', 'valueOf', '__proto__'])(
    'measures and looks at %s',
    (name) => {
      let now = 0;
      const clock = new BudgetClock({
        seconds: 100,
        pairsPerRound: 2,
        firstLook: 1,
        maxRounds: 10,
        now: () => now,
      });
      expect(clock.isOpen(name)).toBe(true);
      clock.measured(name, 3);
      now = 10_000;
      const record = clock.record([name], 1, false);
      expect(Object.hasOwn(record.looks, name)).toBe(true);
      expect(record.looks[name]).toEqual([{ rounds: 1, spent: 0.1 }]);
      clock.decided(new Map([[name, 'undecided' as const]]), 1, false);
      expect(clock.isOpen(name)).toBe(true);
      clock.decided(new Map([[name, 'within' as const]]), 1, false);
      expect(clock.isOpen(name)).toBe(false);
      expect(clock.result().scenarioSeconds[name]).toBe(3);
    },
  );
});
