import { describe, expect, it } from 'vitest';
import { findKnee, judgeStep, stressSchedule } from '../../../src/kinds/stress-plan.js';

describe('stressSchedule', () => {
  it('doubles from the start and ends exactly at the maximum', () => {
    expect(stressSchedule(1, 1000, 2)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]);
    expect(stressSchedule(1, 64, 2)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(stressSchedule(10, 10, 2)).toEqual([10]);
  });

  it('always moves forward with a small factor and rejects nonsense', () => {
    expect(stressSchedule(1, 5, 1.2)).toEqual([1, 2, 3, 4, 5]);
    expect(stressSchedule(3, 20, 3)).toEqual([3, 9, 20]);
    expect(() => stressSchedule(0, 10, 2)).toThrow(RangeError);
    expect(() => stressSchedule(5, 4, 2)).toThrow(RangeError);
    expect(() => stressSchedule(1, 4, 1)).toThrow(RangeError);
  });
});

describe('judgeStep', () => {
  const sla = { p95Ms: 100, maxErrorRate: 0.01 };
  it('is within the SLA when p95 and error rate are, and says why not otherwise', () => {
    expect(judgeStep({ p95: 80, errorRate: 0, requests: 10 }, sla)).toEqual({
      withinSla: true,
      reason: '',
    });
    const bad = judgeStep({ p95: 150, errorRate: 0.05, requests: 10 }, sla);
    expect(bad.withinSla).toBe(false);
    expect(bad.reason).toBe('p95 150 ms > 100 ms, error rate 5 % > 1 %');
    expect(judgeStep({ p95: 0, errorRate: 0, requests: 0 }, sla).reason).toBe('no responses');
  });
});

describe('findKnee', () => {
  const step = (connections: number, throughput: number, p95: number, withinSla: boolean) => ({
    connections,
    throughput,
    p95,
    withinSla,
  });

  it('takes the highest throughput within the SLA and the first step outside it', () => {
    const steps = [
      step(1, 100, 2, true),
      step(2, 190, 3, true),
      step(4, 350, 6, true),
      step(8, 340, 12, true),
      step(16, 360, 700, false),
    ];
    expect(findKnee(steps, ['', '', '', '', 'p95 700 ms > 500 ms'])).toEqual({
      knee: { connections: 4, throughput: 350, p95: 6 },
      breakingPoint: { connections: 16, reason: 'p95 700 ms > 500 ms' },
    });
  });

  it('has no knee when the first step breaks, and no breaking point when none does', () => {
    expect(findKnee([step(1, 10, 900, false)]).knee).toBeNull();
    expect(findKnee([step(1, 10, 900, false)]).breakingPoint).toEqual({
      connections: 1,
      reason: 'outside the SLA',
    });
    expect(findKnee([step(1, 10, 1, true), step(2, 20, 1, true)])).toEqual({
      knee: { connections: 2, throughput: 20, p95: 1 },
      breakingPoint: null,
    });
  });

  it('prefers fewer connections on equal throughput', () => {
    expect(findKnee([step(4, 300, 5, true), step(8, 300, 9, true)]).knee?.connections).toBe(4);
  });
});
