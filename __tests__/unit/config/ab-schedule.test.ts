import { describe, expect, it } from 'vitest';
import { parseAbSchedule } from '../../../src/config/ab-schedule.js';

describe('the A/B schedule option', () => {
  it('takes duet or interleaved; auto or nothing means the default', () => {
    expect(parseAbSchedule('duet', '--schedule')).toBe('duet');
    expect(parseAbSchedule(' interleaved ', '--schedule')).toBe('interleaved');
    expect(parseAbSchedule(undefined, '--schedule')).toBeUndefined();
    expect(parseAbSchedule('', '--schedule')).toBeUndefined();
    expect(parseAbSchedule('auto', '--schedule')).toBeUndefined();
    expect(parseAbSchedule('Duet', 'input ab-schedule')).toBe('duet');
  });

  it('anything else names the field and the choices', () => {
    expect(() => parseAbSchedule('parallel', '--schedule')).toThrow(
      '--schedule: expected "auto", "duet" or "interleaved", got "parallel"',
    );
  });
});
