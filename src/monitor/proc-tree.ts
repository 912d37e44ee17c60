/**
 * Reading a process tree from Linux /proc: the root pid and all its descendants.
 *
 * Cost matters (this runs inside the load generator during measurement): an asynchronous read of
 * a stat file is an open, fstat, read and close, each a thread-pool round trip, and costs about
 * ten times a synchronous read, which costs several times a `pread` on a descriptor kept open
 * (docs/measurements.md, "Figures behind the code"). So the tree is read synchronously: one `readdir` of /proc to see new pids, one `pread` per
 * member on a descriptor kept open for the member's life, and one read for each pid not seen
 * before. The event loop is blocked for well under a millisecond per sample.
 *
 * A descriptor of /proc/<pid>/stat stays bound to that process: once it is gone, reads fail even
 * if the pid is reused, which makes it a safe identity. Processes that leave the tree by being
 * re-parented (their parent died) stay members while they live: they are still the service's.
 * `/proc/<pid>/task/<tid>/children` would avoid the readdir but needs CONFIG_PROC_CHILDREN, which
 * not every kernel has (this runner's doesn't).
 *
 * Memory is RSS from the same stat line (field 24, = VmRSS), summed over the tree. Pages shared
 * between members (a pre-forking server's copy-on-write heap, shared libraries) are counted once
 * per process, so a pre-fork tree is over-stated. PSS (/proc/<pid>/smaps_rollup) would share them
 * fairly but costs ~1.4 ms of CPU per read for a 140 MB process (a page-table walk under the
 * process's mmap lock) against ~20 µs for stat: not worth it at one sample a second.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { parseProcStat, type ProcStat } from './proc-stat.js';

function isPidName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function listPids(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) if (isPidName(name)) pids.push(Number(name));
  return pids;
}

/** Read and parse /proc/<pid>/stat once; undefined when the process is gone or unreadable. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return undefined;
  }
}

/** Every process visible in /proc (a one-off scan, ~20 µs per process). */
export function scanProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const pid of listPids()) {
    const stat = readProcStat(pid);
    if (stat !== undefined) stats.push(stat);
  }
  return stats;
}

/** Descendants of `root` (not root itself) by parent links, from a scan. */
export function descendantsOf(root: number, stats: readonly ProcStat[] = scanProcesses()) {
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid);
    if (list === undefined) children.set(s.ppid, [s]);
    else list.push(s);
  }
  const found: ProcStat[] = [];
  const queue = [root];
  const seen = new Set<number>(queue);
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    for (const child of children.get(pid) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

interface Member {
  fd: number;
  startTime: number;
}

/** Reads a live process tree again and again, cheaply. Call close() to release descriptors. */
export class ProcessTree {
  private readonly members = new Map<number, Member>();
  /** Pids known not to be in the tree (valid while they stay listed in /proc). */
  private outsiders = new Set<number>();
  private lastListing = new Set<number>();
  private rootStartTime: number | undefined;
  private readonly buffer = Buffer.alloc(4096);

  constructor(readonly root: number) {}

  /** The stat of every live member now (zombies included: they still hold their CPU times). */
  read(): ProcStat[] {
    const listing = listPids();
    const listed = new Set(listing);
    const result = new Map<number, ProcStat>();
    const candidates = new Map<number, ProcStat>();
    for (const pid of listing) {
      const member = this.members.get(pid);
      if (member !== undefined) {
        const stat = this.readMember(member);
        if (stat !== undefined && stat.startTime === member.startTime) {
          result.set(pid, stat);
          continue;
        }
        this.drop(pid, member);
      }
      if (this.outsiders.has(pid) && this.lastListing.has(pid)) continue;
      const stat = readProcStat(pid);
      if (stat !== undefined) candidates.set(pid, stat);
    }
    for (const [pid, member] of this.members) if (!result.has(pid)) this.drop(pid, member);

    // A candidate is in the tree when its parent chain reaches the root or a member.
    const verdict = new Map<number, boolean>();
    const inTree = (start: number): boolean => {
      const chain: number[] = [];
      let pid = start;
      let answer = false;
      for (;;) {
        const known = verdict.get(pid);
        if (known !== undefined) {
          answer = known;
          break;
        }
        if (result.has(pid)) {
          answer = true;
          break;
        }
        const stat = candidates.get(pid);
        if (stat === undefined || chain.includes(pid)) break;
        if (pid === this.root && (this.rootStartTime ?? stat.startTime) === stat.startTime) {
          answer = true;
          break;
        }
        chain.push(pid);
        pid = stat.ppid;
      }
      for (const p of chain) verdict.set(p, answer);
      return answer;
    };
    const outsiders = new Set<number>();
    for (const [pid, stat] of candidates) {
      if (!inTree(pid)) {
        outsiders.add(pid);
        continue;
      }
      try {
        const fd = openSync(`/proc/${pid}/stat`, 'r');
        this.members.set(pid, { fd, startTime: stat.startTime });
        if (pid === this.root) this.rootStartTime ??= stat.startTime;
        result.set(pid, stat);
      } catch {
        // gone since it was read
      }
    }
    for (const pid of this.outsiders) if (listed.has(pid)) outsiders.add(pid);
    this.outsiders = outsiders;
    this.lastListing = listed;
    return [...result.values()];
  }

  close(): void {
    for (const [pid, member] of this.members) this.drop(pid, member);
  }

  private readMember(member: Member): ProcStat | undefined {
    try {
      const n = readSync(member.fd, this.buffer, 0, this.buffer.length, 0);
      return n > 0 ? parseProcStat(this.buffer.toString('latin1', 0, n)) : undefined;
    } catch {
      return undefined;
    }
  }

  private drop(pid: number, member: Member): void {
    this.members.delete(pid);
    try {
      closeSync(member.fd);
    } catch {
      // already closed
    }
  }
}
