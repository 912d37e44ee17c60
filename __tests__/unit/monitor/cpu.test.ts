import { describe, expect, it } from 'vitest';
import {
  cpuOverWindow,
  cpuPercent,
  treeTicksDelta,
  type ProcTicks,
} from '../../../src/monitor/cpu.js';

type Row = [pid: number, ticks: Partial<ProcTicks>];
function tree(...rows: Row[]): Map<number, ProcTicks> {
  return new Map(
    rows.map(([pid, t]) => [pid, { startTime: 100, ppid: 1, own: 0, reaped: 0, ...t }]),
  );
}

describe('treeTicksDelta', () => {
  it('sums the growth of processes present in both readings', () => {
    const prev = tree([10, { own: 100 }], [11, { ppid: 10, own: 50 }]);
    const now = tree([10, { own: 130 }], [11, { ppid: 10, own: 70 }]);
    expect(treeTicksDelta(prev, now)).toBe(50);
  });

  it('counts all the CPU of a process born since the previous reading', () => {
    const prev = tree([10, { own: 100 }]);
    const now = tree([10, { own: 100 }], [12, { ppid: 10, own: 7, reaped: 3 }]);
    expect(treeTicksDelta(prev, now)).toBe(10);
  });

  it('does not count twice a child reaped by its parent, but counts its last stretch', () => {
    // The child had 40 ticks at the previous reading, ended with 55, and its parent reaped it.
    const prev = tree([10, { own: 100 }], [11, { ppid: 10, own: 40 }]);
    const now = tree([10, { own: 105, reaped: 55 }]);
    expect(treeTicksDelta(prev, now)).toBe(5 + 15);
  });

  it('counts short-lived children never seen, through the parent', () => {
    const prev = tree([10, { own: 100, reaped: 20 }]);
    const now = tree([10, { own: 100, reaped: 32 }]);
    expect(treeTicksDelta(prev, now)).toBe(12);
  });

  it('never goes negative when a vanished child was not accounted to its parent', () => {
    // SIGCHLD ignored: the kernel reaps the child and the parent's cutime does not grow.
    const prev = tree([10, { own: 100 }], [11, { ppid: 10, own: 40 }]);
    const now = tree([10, { own: 103 }]);
    expect(treeTicksDelta(prev, now)).toBe(3);
  });

  it('loses only the last stretch of a process whose parent left too', () => {
    const prev = tree([10, { own: 100 }], [11, { ppid: 20, own: 40 }]);
    const now = tree([10, { own: 110 }]);
    expect(treeTicksDelta(prev, now)).toBe(10);
  });

  it('treats a reused pid as a new process', () => {
    const prev = tree([10, { own: 100 }], [11, { ppid: 10, own: 400, startTime: 5 }]);
    const now = tree([10, { own: 100, reaped: 400 }], [11, { ppid: 10, own: 2, startTime: 900 }]);
    // The old 11 was reaped by 10 (its 400 already counted); the new 11 adds its 2.
    expect(treeTicksDelta(prev, now)).toBe(2);
  });

  it('is 0 for an empty or unchanged tree', () => {
    expect(treeTicksDelta(new Map(), new Map())).toBe(0);
    const t = tree([10, { own: 5 }]);
    expect(treeTicksDelta(t, t)).toBe(0);
  });
});

describe('cpuPercent', () => {
  it('is percent of one core', () => {
    expect(cpuPercent(100, 100, 1000)).toBe(100);
    expect(cpuPercent(50, 100, 1000)).toBe(50);
    expect(cpuPercent(300, 100, 1500)).toBe(200);
    expect(cpuPercent(10, 100, 0)).toBe(0);
  });
});

describe('cpuOverWindow', () => {
  it('measures against the newest reading at least the minimum span back', () => {
    const readings = [
      { at: 0, ticks: 0 },
      { at: 1000, ticks: 50 },
      { at: 2000, ticks: 150 },
      { at: 2010, ticks: 151 },
    ];
    // From 1000 (not 2000, only 10 ms back): 101 ticks over 1.01 s.
    expect(cpuOverWindow(readings, 500, 100)).toBeCloseTo(100, 5);
    expect(cpuOverWindow(readings.slice(0, 3), 500, 100)).toBeCloseTo(100, 5);
    expect(cpuOverWindow(readings.slice(0, 2), 500, 100)).toBeCloseTo(50, 5);
  });

  it('falls back to the oldest reading, and to 0 with fewer than two', () => {
    expect(
      cpuOverWindow(
        [
          { at: 0, ticks: 0 },
          { at: 100, ticks: 5 },
        ],
        500,
        100,
      ),
    ).toBeCloseTo(50, 5);
    expect(cpuOverWindow([{ at: 0, ticks: 0 }], 500, 100)).toBe(0);
    expect(cpuOverWindow([], 500, 100)).toBe(0);
  });
});
