/**
 * Pure CPU accounting for a process tree, from successive `/proc/<pid>/stat` readings.
 *
 * A process's cumulative CPU is `own` (utime + stime) plus `reaped` (cutime + cstime: the whole
 * CPU of children it has waited for). Between two readings of the tree:
 * - a process in both readings (same pid and start time) adds its growth in `own`, and its growth
 *   in `reaped` minus what we had already counted of the members it reaped meanwhile (a member
 *   that vanished while its parent stayed), never below zero: children reaped automatically
 *   (SIGCHLD ignored) add nothing to `reaped`;
 * - a process that appeared (born after the previous reading) adds all its CPU;
 * - a process that vanished adds nothing more: the CPU it used since the previous reading is
 *   lost unless its parent reaped it (short-lived helpers are counted through their parent).
 */

export interface ProcTicks {
  /** Identity together with the pid: a reused pid has another start time. */
  startTime: number;
  ppid: number;
  /** utime + stime, clock ticks. */
  own: number;
  /** cutime + cstime, clock ticks. */
  reaped: number;
}

export type TreeTicks = ReadonlyMap<number, ProcTicks>;

/** CPU ticks the tree used between two readings (≥ 0). */
export function treeTicksDelta(prev: TreeTicks, now: TreeTicks): number {
  const same = (pid: number, a: ProcTicks | undefined): boolean => {
    const b = now.get(pid);
    return a !== undefined && b !== undefined && a.startTime === b.startTime;
  };
  // What we had counted of vanished members, credited to the parent that may have reaped them.
  const countedOfVanished = new Map<number, number>();
  for (const [pid, before] of prev) {
    if (same(pid, before)) continue;
    if (!same(before.ppid, prev.get(before.ppid))) continue;
    const total = before.own + before.reaped;
    countedOfVanished.set(before.ppid, (countedOfVanished.get(before.ppid) ?? 0) + total);
  }
  let ticks = 0;
  for (const [pid, after] of now) {
    const before = prev.get(pid);
    if (before === undefined || before.startTime !== after.startTime) {
      ticks += after.own + after.reaped;
      continue;
    }
    const reapedGrowth = after.reaped - before.reaped - (countedOfVanished.get(pid) ?? 0);
    ticks += Math.max(0, after.own - before.own) + Math.max(0, reapedGrowth);
  }
  return ticks;
}

/** Percent of one core: `ticks` of CPU over `elapsedMs` of wall time. */
export function cpuPercent(ticks: number, clockTicksPerSecond: number, elapsedMs: number): number {
  if (elapsedMs <= 0 || clockTicksPerSecond <= 0) return 0;
  return (ticks / clockTicksPerSecond / (elapsedMs / 1000)) * 100;
}

/** A point of the tree's cumulative CPU: `ticks` used since monitoring began, at `at` ms. */
export interface CpuReading {
  at: number;
  ticks: number;
}

/**
 * CPU % at the newest reading, measured against the newest older reading at least `minSpanMs`
 * before it (or the oldest one there is). Ticks are coarse (10 ms at 100 Hz), so a span of a
 * few milliseconds would give nonsense (one tick in 5 ms = 200 %): hence the minimum span.
 * `readings` is in time order; 0 when there is nothing to compare with.
 */
export function cpuOverWindow(
  readings: readonly CpuReading[],
  minSpanMs: number,
  clockTicksPerSecond: number,
): number {
  const last = readings[readings.length - 1];
  if (last === undefined || readings.length < 2) return 0;
  let reference = readings[0] as CpuReading;
  for (let i = readings.length - 2; i >= 0; i--) {
    const candidate = readings[i] as CpuReading;
    if (last.at - candidate.at >= minSpanMs) {
      reference = candidate;
      break;
    }
  }
  return cpuPercent(last.ticks - reference.ticks, clockTicksPerSecond, last.at - reference.at);
}
