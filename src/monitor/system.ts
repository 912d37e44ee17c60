import { execFileSync } from 'node:child_process';

let cached: { clockTicks: number; pageSize: number } | undefined;

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(
      execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim(),
    );
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** Clock ticks per second (CLK_TCK) and the page size, read once per process (Linux: 100, 4096). */
export function systemConstants(): { clockTicks: number; pageSize: number } {
  cached ??= { clockTicks: getconf('CLK_TCK', 100), pageSize: getconf('PAGESIZE', 4096) };
  return cached;
}
