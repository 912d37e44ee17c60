import { describe, expect, it } from 'vitest';
import type { ScenarioVerdict, Verdict } from '../../../src/judge/types.js';
import { undecidedPhrase } from '../../../src/report/sections/verdict-line.js';

const scenario = (name: string, toDecideSeconds?: number) =>
  ({
    name,
    ...(toDecideSeconds === undefined ? {} : { budget: { toDecideSeconds } }),
  }) as unknown as ScenarioVerdict;
const verdict = (mode: Verdict['mode']) =>
  ({ mode, options: { minEffect: 0.03 } }) as unknown as Verdict;

describe('the words for undecided scenarios', () => {
  it('a stored run says what one run can tell, never a budget it did not have', () => {
    expect(undecidedPhrase(verdict('baseline'), [scenario('list-admins')])).toBe(
      '1 undecided (within what one stored run can tell)',
    );
  });

  it('an A/B run with a budget says how long deciding would take', () => {
    expect(undecidedPhrase(verdict('paired'), [scenario('a', 120), scenario('b', 60)])).toMatch(
      /^2 undecided: would need about 3 more minutes to decide at a min effect of 3 %$/,
    );
    expect(undecidedPhrase(verdict('paired'), [scenario('a')])).toBe(
      '1 undecided (the budget ended first)',
    );
  });
});
