import { describe, expect, it } from 'vitest';
import { autoRounds, parseAbRounds } from '../../../src/config/ab-rounds.js';
import { MAX_AB_ROUNDS } from '../../../src/config/defaults.js';

describe('the A/B rounds option', () => {
  it('takes a whole number; auto or nothing means rounds of two pairs', () => {
    expect(parseAbRounds('7', '--rounds')).toBe(7);
    expect(parseAbRounds(' 1 ', '--rounds')).toBe(1);
    expect(parseAbRounds(undefined, '--rounds')).toBeUndefined();
    expect(parseAbRounds('', '--rounds')).toBeUndefined();
    expect(parseAbRounds('Auto', 'input ab-rounds')).toBeUndefined();
    expect(parseAbRounds(String(MAX_AB_ROUNDS), '--rounds')).toBe(MAX_AB_ROUNDS);
  });

  it.each(['0', '-2', '2.5', 'seven', String(MAX_AB_ROUNDS + 1)])(
    '"%s" names the field and what it takes',
    (raw) => {
      expect(() => parseAbRounds(raw, 'input ab-rounds')).toThrow(
        `input ab-rounds: expected "auto" or a whole number from 1 to ${MAX_AB_ROUNDS}, got "${raw}"`,
      );
    },
  );

  it('auto: two pairs a round, at least one round', () => {
    expect(autoRounds(14)).toBe(7);
    expect(autoRounds(10)).toBe(5);
    expect(autoRounds(15)).toBe(7);
    expect(autoRounds(3)).toBe(1);
    expect(autoRounds(1)).toBe(1);
    // No scenario with pairs (only stress, spike…): nothing to split.
    expect(autoRounds(Infinity)).toBe(1);
    expect(autoRounds(1000)).toBe(MAX_AB_ROUNDS);
  });
});
