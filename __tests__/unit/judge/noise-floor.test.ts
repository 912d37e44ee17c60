import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { noiseFloor } from '../../../src/judge/noise-floor.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { buildRun, noisy } from '../helpers/results.js';

describe('noiseFloor', () => {
  it('is the A/A shift between two runs, per scenario and metric', () => {
    const a = buildRun([
      { name: 's', p95: noisy(10, 8, 0.01, 1), throughput: noisy(1000, 8, 0.01, 2) },
    ]);
    const b = buildRun([
      { name: 's', p95: noisy(10.6, 8, 0.01, 3), throughput: noisy(1000, 8, 0.01, 4) },
    ]);
    const floor = noiseFloor(a, b).s;
    expect(floor?.p95).toBeGreaterThan(0.04);
    expect(floor?.p95).toBeLessThan(0.08);
    expect(floor?.throughput).toBeLessThan(0.02);
    expect(floor?.errorRate).toBeUndefined();
  });

  it('skips scenarios missing on one side or failed', () => {
    const a = buildRun([
      { name: 'x', p95: [1, 2] },
      { name: 'gone', p95: [1, 2] },
    ]);
    const b = buildRun([{ name: 'x', p95: [1, 2], failure: 'setup failed' }]);
    expect(noiseFloor(a, b)).toEqual({});
  });

  it('raises the judge’s bar: a 25 % shift passes with a 13 % floor, fails without one', () => {
    const base = buildRun([{ name: 's', p95: noisy(10, 10, 0.01, 5) }]);
    const current = buildRun([{ name: 's', p95: noisy(12.5, 10, 0.01, 6) }]);
    const without = judge(base, current, DEFAULT_JUDGE_OPTIONS);
    expect(without.counts.regressions).toBeGreaterThan(0);
    const calibrated = { ...base, noiseFloor: { s: { p50: 0.13, p95: 0.13, p99: 0.13 } } };
    const withFloor = judge(calibrated, current, DEFAULT_JUDGE_OPTIONS);
    expect(withFloor.counts.regressions).toBe(0);
  });
});
