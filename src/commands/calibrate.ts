import { rm } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { noiseFloor } from '../judge/noise-floor.js';
import { formatPercentChange } from '../format/numbers.js';
import type { RunResult } from '../result/types.js';
import { endedBy } from '../pipeline/gate-run.js';
import { keepResult, PartialResults, ResultWriteError } from '../pipeline/keep-result.js';
import { executeRun, type RunSettings } from '../run/execute.js';
import { onSignalExit } from '../service/cleanup.js';
import {
  announcePartial,
  partialReporter,
  printRunWarnings,
  reportError,
  type Output,
} from './run.js';
import { progressPrinter } from './progress.js';

/**
 * `loadgate calibrate`: run the same service twice (A/A, each with a fresh start), record the
 * noise floor per scenario and metric in the second run, and write that run as the baseline.
 *
 * Nothing measured is lost: each run's result (and, while it goes, its partial result) is kept
 * beside the baseline (`<name>.run-a.json`, `<name>.run-b.json`) until the baseline is written,
 * so a run B that fails leaves run A (itself a usable baseline, without a noise floor) and says
 * where. Every write is atomic; the previous baseline is only replaced by a complete one.
 */
export async function calibrateCommand(
  settings: RunSettings,
  outPath: string,
  output: Output,
): Promise<{ exitCode: number; baseline?: RunResult }> {
  const out = resolve(settings.cwd, outPath);
  const kept: { label: 'A' | 'B'; path: string }[] = [];
  let current: PartialResults | undefined;
  const dropSignalWork = onSignalExit(async (signal) => {
    announcePartial(await current?.close(`stopped by ${signal}`), output);
    announceKept(kept, output);
  });
  /** One of the two runs, its partial and whole result kept in `<name>.run-x.json`. */
  const measure = async (label: 'a' | 'b'): Promise<RunResult> => {
    output.err(`calibrate: run ${label.toUpperCase()} of 2`);
    const path = sidePath(out, label);
    current = new PartialResults(path, partialReporter(output));
    const progress = progressPrinter(output);
    const result = await executeRun({
      ...settings,
      onProgress: progress,
      onPartialResult: current.write,
    }).finally(progress.close);
    printRunWarnings(result, output);
    kept.push({
      label: label === 'a' ? 'A' : 'B',
      path: await keepResult(path, result, { lastResort: output.out }),
    });
    current = undefined;
    return result;
  };
  try {
    const a = await measure('a');
    const b = await measure('b');
    const baseline: RunResult = { ...b, noiseFloor: noiseFloor(a, b) };
    const file = await keepResult(out, baseline, { lastResort: output.out });
    // The baseline holds everything now: the runs' own files go.
    await Promise.all(kept.splice(0).map((k) => rm(k.path, { force: true })));
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
    if (!(error instanceof ResultWriteError)) {
      announcePartial(await current?.close(endedBy(error)), output);
    }
    const exitCode = reportError(error, output);
    announceKept(kept, output);
    return { exitCode };
  } finally {
    dropSignalWork();
  }
}

/** `baselines/loadgate-baseline.json` → `baselines/loadgate-baseline.run-a.json`. */
export function sidePath(out: string, label: 'a' | 'b'): string {
  const ext = extname(out);
  return `${ext === '' ? out : out.slice(0, -ext.length)}.run-${label}${ext || '.json'}`;
}

/** The runs that finished before calibrate failed: where they are and what they are good for. */
function announceKept(kept: readonly { label: 'A' | 'B'; path: string }[], output: Output): void {
  for (const { label, path } of kept) {
    output.err(
      `loadgate: calibrate did not finish; run ${label} is kept complete in ${path} (usable as a baseline, without a noise floor)`,
    );
  }
}
