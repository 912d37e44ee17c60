import { resolve } from 'node:path';
import { noBaseline } from '../baseline/outcome.js';
import type { JudgeOptions, Verdict } from '../judge/types.js';
import type { RunResult } from '../result/types.js';
import { executeAbRun, type AbRunSettings } from '../run/ab-run.js';
import { runSetupCommand } from '../service/setup-command.js';
import { runCliGate } from './gate-output.js';
import { progressPrinter } from './progress.js';
import type { Output } from './run.js';

export interface AbOptions extends JudgeOptions {
  out: string;
  report?: string;
  json?: string;
  /** Run in the base directory before its service starts (e.g. `npm ci`). */
  setup?: string;
}

/**
 * `loadgate ab`: the base (in --base-cwd) and the head (in --cwd) started side by side and
 * measured in pairs of trials, judged paired (pipeline/gate-run.ts with run/ab-run.ts). Exit
 * codes as gate's.
 */
export async function abCommand(
  settings: AbRunSettings,
  options: AbOptions,
  output: Output,
): Promise<{ exitCode: number; verdict?: Verdict; result?: RunResult }> {
  const at = (path: string) => resolve(settings.head.cwd, path);
  return runCliGate(
    async () => {
      if (options.setup !== undefined) {
        output.err(`setup (base, in ${settings.base.cwd}): ${options.setup}`);
        await runSetupCommand(options.setup, settings.base.cwd, {
          ...settings.env,
          LOADGATE_SIDE: 'base',
        });
      }
      const progress = progressPrinter(output, options);
      return {
        measure: (onPartialResult) =>
          executeAbRun({ ...settings, onPartialResult, onProgress: progress }).finally(
            progress.close,
          ),
        baseline: noBaseline('base and head measured side by side'),
        judge: options,
      };
    },
    options,
    at,
    output,
  );
}
