/**
 * Pure parsing of Linux `/proc/<pid>/stat` lines (see proc(5)).
 *
 * The second field, `comm`, is the executable name in parentheses and may itself contain spaces
 * and parentheses (`(my (odd) name)`), so the line is split at the first `(` and the *last* `)`.
 */

export interface ProcStat {
  pid: number;
  comm: string;
  /** One letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, ... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** User and system time of the whole thread group, in clock ticks. */
  utime: number;
  stime: number;
  /** User and system time of waited-for (reaped) children, in clock ticks. */
  cutime: number;
  cstime: number;
  /** Start time after boot in clock ticks: with pid, the identity of a process (pids get reused). */
  startTime: number;
  /** Resident set size in pages (same figure as VmRSS in /proc/<pid>/status). */
  rssPages: number;
}

/** Parse one `/proc/<pid>/stat` line; undefined when it is not one. */
export function parseProcStat(line: string): ProcStat | undefined {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  // Fields after comm, numbered as in proc(5): rest[0] is field 3 (state), rest[n - 3] is field n.
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  if (!Number.isInteger(pid) || pid <= 0 || rest.length < 22) return undefined;
  const field = (n: number): number => Number(rest[n - 3]);
  const stat: ProcStat = {
    pid,
    comm: line.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    startTime: field(22),
    rssPages: field(24),
  };
  const numbers = [stat.ppid, stat.pgrp, stat.utime, stat.stime, stat.cutime, stat.cstime];
  if (!numbers.every(Number.isFinite) || !Number.isFinite(stat.startTime)) return undefined;
  if (!Number.isFinite(stat.rssPages)) return undefined;
  return stat;
}
