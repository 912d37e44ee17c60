import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';

describe('parseDuration (--budget, input budget)', () => {
  it.each([
    ['300', 300],
    ['90s', 90],
    ['5m', 300],
    ['5min', 300],
    ['4m30s', 270],
    [' 1h ', 3600],
    ['1.5m', 90],
  ])('%s is %s s', (text, seconds) => expect(parseDuration(text, '--budget')).toBe(seconds));

  it.each(['', 'soon', '5 minutes', '5m garbage', '-5m', '5', '7h'])(
    '"%s" is refused naming the field and the range',
    (text) =>
      expect(() => parseDuration(text, 'input budget')).toThrow(
        /^input budget: expected a duration from 10 s to 6 h such as 300, 90s, 5m or 4m30s, got/,
      ),
  );
});

describe('formatDuration', () => {
  it.each([
    [45, '45 s'],
    [300, '5 min'],
    [270, '4 min 30 s'],
    [3900, '1 h 5 min'],
  ])('%s s reads "%s"', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});
