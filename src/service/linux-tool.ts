import { spawnSync } from 'node:child_process';

/** Whether a Linux tool runs here and succeeds (false off Linux, when missing or refused). */
export function linuxToolWorks(file: string, args: readonly string[]): boolean {
  return process.platform === 'linux' && spawnSync(file, args).status === 0;
}
