import { resolve } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import { noiseFloor } from '../judge/noise-floor.js';
import { formatPercentChange } from '../format/numbers.js';
import type { RunResult } from '../result/types.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import { progressPrinter, reportError, type Output } from './run.js';

/**
 * `loadgate calibrate`: run the same service twice (A/A, each with a fresh start), record the
 * noise floor per scenario and metric in the second run, and write that run as the baseline.
 */
export async function calibrateCommand(
  settings: RunSettings,
  outPath: string,
  output: Output,
): Promise<{ exitCode: number; baseline?: RunResult }> {
  try {
    const progress = progressPrinter(output);
    output.err('calibrate: run A of 2');
    const a = await executeRun({ ...settings, onProgress: progress });
    output.err('calibrate: run B of 2');
    const b = await executeRun({ ...settings, onProgress: progress });
    const baseline: RunResult = { ...b, noiseFloor: noiseFloor(a, b) };
    const file = await writeFileAtomic(
      resolve(settings.cwd, outPath),
      `${JSON.stringify(baseline)}\n`,
    );
    output.out('A/A noise floor (|change| between two runs of the same code):');
    for (const [scenario, metrics] of Object.entries(baseline.noiseFloor ?? {})) {
      const cells = Object.entries(metrics).map(
        ([metric, v]) => `${metric} ${formatPercentChange(v ?? 0).replace('+', '±')}`,
      );
      output.out(`  ${scenario}: ${cells.join(', ')}`);
    }
    output.out(`baseline with noise floor written to ${file}`);
    return { exitCode: 0, baseline };
  } catch (error) {
    return { exitCode: reportError(error, output) };
  }
}
