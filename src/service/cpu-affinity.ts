/**
 * Which CPUs the two services of a duet A/B run share (run/ab-plan.ts). Both on one CPU, so a
 * change of that CPU's speed (a neighbour on the host, its caches) hits both sides of a pair at
 * once; the load generator keeps the others. Measured on a 2-vCPU cloud machine: unpinned, the
 * pairs were as noisy as one side after the other. Linux only (taskset, /proc).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/errors.js';
import { linuxToolWorks } from './linux-tool.js';

const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** The CPUs this process may run on, from /proc/self/status; undefined off Linux. */
export function allowedCpus(status = readStatus()): number[] | undefined {
  const line = status?.split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
  if (line === undefined) return undefined;
  return expandCpuList(line.slice('Cpus_allowed_list:'.length).trim());
}

/** "0-2,5" → [0, 1, 2, 5]. */
export function expandCpuList(list: string): number[] {
  if (!CPU_LIST.test(list))
    throw new ConfigError(`expected a CPU list like "1" or "2-3", got "${list}"`);
  return list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: Math.max(0, (to as number) - from + 1) }, (_, i) => from + i);
  });
}

/** A user's --service-cpus / service-cpus: a taskset list, checked before anything starts. */
export function checkCpuList(list: string, field: string): string {
  if (!CPU_LIST.test(list)) {
    throw new ConfigError(
      `${field}: expected a CPU list for taskset like "1" or "2-3", got "${list}"`,
    );
  }
  if (!tasksetWorks()) {
    throw new ConfigError(`${field}: pinning needs Linux and taskset (util-linux), not found here`);
  }
  return list;
}

/**
 * The default CPUs of a duet: the last CPU this process may use, when there are at least two
 * and taskset works; undefined (no pinning) otherwise.
 */
export function defaultDuetCpus(): string | undefined {
  const cpus = allowedCpus();
  if (cpus === undefined || cpus.length < 2 || !tasksetWorks()) return undefined;
  return String(cpus[cpus.length - 1]);
}

function tasksetWorks(): boolean {
  return linuxToolWorks('taskset', ['-p', String(process.pid)]);
}

function readStatus(): string | undefined {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
}
