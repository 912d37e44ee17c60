/**
 * The CPU profiles of a run (run/profile-round.ts wrote them, redacted, under the step's
 * folder), named for the report artifact: `cpu-<scenario>-<side>.cpuprofile`, a flat name the
 * artifact accepts. A profile that cannot be read is left out, with a warning.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunResult } from '../result/types.js';

export async function profileArtifactFiles(
  result: RunResult,
  outDir: string,
  warn: (message: string) => void,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const scenario of result.ab?.profile?.scenarios ?? []) {
    for (const side of ['base', 'head'] as const) {
      const file = scenario[side]?.file;
      if (file === undefined) continue;
      const name = `cpu-${basename(file, '.cpuprofile')}-${side}.cpuprofile`;
      try {
        files[name] = await readFile(join(outDir, file), 'utf8');
      } catch (error) {
        warn(`CPU profile ${file} not in the report artifact: ${(error as Error).message}`);
      }
    }
  }
  return files;
}
