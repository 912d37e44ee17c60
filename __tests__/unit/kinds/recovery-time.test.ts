import { describe, expect, it } from 'vitest';
import { baseP95, recoverySeconds } from '../../../src/kinds/recovery-time.js';
import type { SecondPoint } from '../../../src/result/types.js';

const series = (p95s: number[], errors: number[] = []): SecondPoint[] =>
  p95s.map((p95, t) => ({
    t,
    requests: p95 < 0 ? 0 : 100,
    p95: Math.max(0, p95),
    errors: errors[t] ?? 0,
  }));

describe('baseP95', () => {
  it('is the median p95 of the base seconds that had responses', () => {
    expect(baseP95(series([9, 4, 5, 6, 50, 50]), 1, 4)).toBe(5);
    expect(baseP95(series([9, 4, 6, -1, 50]), 1, 4)).toBe(5);
    expect(baseP95(series([50]), 1, 4)).toBe(0);
  });
});

describe('recoverySeconds', () => {
  // base 0..4 at ~5 ms, burst 5..9 at 80 ms, after from 10
  const run = [5, 5, 5, 5, 5, 80, 80, 80, 80, 80];

  it('is 0 when the first second after the burst is already back', () => {
    expect(recoverySeconds(series([...run, 6, 5, 5, 5]), 10, 7.5, 2)).toBe(0);
  });

  it('counts the seconds until p95 stays back for the hold', () => {
    expect(recoverySeconds(series([...run, 60, 30, 7, 9, 6, 6, 5]), 10, 7.5, 2)).toBe(4);
    // a single good second does not count with a hold of 2
    expect(recoverySeconds(series([...run, 60, 7, 30, 6, 6]), 10, 7.5, 2)).toBe(3);
  });

  it('does not count seconds with errors or without responses', () => {
    expect(
      recoverySeconds(series([...run, 6, 6, 6, 6], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 10, 7.5, 2),
    ).toBe(1);
    expect(recoverySeconds(series([...run, -1, -1, 6, 6]), 10, 7.5, 2)).toBe(2);
  });

  it('is null when the run ends before p95 is back', () => {
    expect(recoverySeconds(series([...run, 60, 50, 40, 30]), 10, 7.5, 2)).toBeNull();
    expect(recoverySeconds(series([...run, 60, 6]), 10, 7.5, 2)).toBeNull();
  });

  it('needs consecutive seconds: a gap in the series breaks the hold', () => {
    const s = series([...run, 6, 6, 6, 6]).filter((p) => p.t !== 11);
    expect(recoverySeconds(s, 10, 7.5, 2)).toBe(2);
    expect(recoverySeconds(s.slice(0, -1), 10, 7.5, 2)).toBeNull();
  });
});
