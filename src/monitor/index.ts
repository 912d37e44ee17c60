export { createMonitor, type Monitor, type MonitorOptions } from './monitor.js';
export { summarize } from './summarize.js';
export { parseProcStat, type ProcStat } from './proc-stat.js';
export {
  cpuOverWindow,
  cpuPercent,
  treeTicksDelta,
  type CpuReading,
  type ProcTicks,
} from './cpu.js';
export { ProcessTree, descendantsOf, readProcStat, scanProcesses } from './proc-tree.js';
