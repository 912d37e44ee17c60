/**
 * The service's process tree from /proc: CPU (percent of one core, children included) and RSS.
 * Each reading's CPU % covers the span since the newest reading at least `minSpanMs` older (see
 * cpuOverWindow), so a sample taken right after another is not a few-millisecond span measured
 * in 10 ms ticks. Without a pid (an external service) both are 0: nothing to measure.
 */
import { cpuOverWindow, treeTicksDelta, type CpuReading, type ProcTicks } from './cpu.js';
import { ProcessTree } from './proc-tree.js';
import { systemConstants } from './system.js';
import { errorMessage } from '../format/error-text.js';
import type { MonitorWarnings } from './warnings.js';

export interface ProcessReading {
  cpuPercent: number;
  rssBytes: number;
  /** CPU the tree has used since the first reading, clock ticks; undefined without a process. */
  cpuTicks?: number;
}

export class ProcessSource {
  private readonly tree: ProcessTree | undefined;
  private readonly constants = systemConstants();
  private previous: Map<number, ProcTicks> | undefined;
  private cumulativeTicks = 0;
  private readonly readings: CpuReading[] = [];

  constructor(
    pid: number | undefined,
    private readonly minSpanMs: number,
    private readonly warnings: MonitorWarnings,
  ) {
    this.tree = pid === undefined ? undefined : new ProcessTree(pid);
  }

  read(): ProcessReading {
    if (this.tree === undefined) return { cpuPercent: 0, rssBytes: 0 };
    const at = performance.now();
    let stats;
    try {
      stats = this.tree.read();
    } catch (error) {
      this.warnings.add(
        'proc',
        `reading /proc for the service's processes failed: ${errorMessage(error)}`,
      );
      return { cpuPercent: 0, rssBytes: 0 };
    }
    const now = new Map<number, ProcTicks>();
    let rssPages = 0;
    for (const s of stats) {
      now.set(s.pid, {
        startTime: s.startTime,
        ppid: s.ppid,
        own: s.utime + s.stime,
        reaped: s.cutime + s.cstime,
      });
      rssPages += s.rssPages;
    }
    if (this.previous !== undefined) this.cumulativeTicks += treeTicksDelta(this.previous, now);
    this.previous = now;
    this.readings.push({ at, ticks: this.cumulativeTicks });
    // Keep what the next minimum span can reach back to, and no more.
    while (this.readings.length > 2 && at - (this.readings[1] as CpuReading).at >= this.minSpanMs) {
      this.readings.shift();
    }
    return {
      cpuPercent: cpuOverWindow(this.readings, this.minSpanMs, this.constants.clockTicks),
      rssBytes: rssPages * this.constants.pageSize,
      cpuTicks: this.cumulativeTicks,
    };
  }

  /** Clock ticks per second: what turns `cpuTicks` into seconds. */
  get clockTicks(): number {
    return this.constants.clockTicks;
  }

  close(): void {
    this.tree?.close();
  }
}
