/**
 * `baseline: base-commit` measured: the base side in its worktree (base-worktree.ts: which
 * commit and why, its checkout and removal), prepared with `setup-command`, then started beside
 * the head and measured in pairs of trials (run/ab-run.ts).
 */
import type { RunResult } from '../result/types.js';
import { executeAbRun } from '../run/ab-run.js';
import type { RunSettings } from '../run/execute.js';
import { runSetupCommand } from '../service/setup-command.js';
import { withBaseWorktree } from './base-worktree.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';
import { abRunSettingsOf } from './run-settings.js';

export async function measureAgainstBaseCommit(
  inputs: ActionInputs,
  deps: ActionDeps,
  run: Omit<RunSettings, 'start' | 'cwd' | 'baseUrl'>,
  /** The step's own folder (the CPU profiles go under it). */
  outDir: string,
): Promise<RunResult> {
  const { log } = deps;
  return withBaseWorktree(inputs, deps, async (worktree) => {
    const baseCwd = worktree.dirFor(inputs.cwd);
    const setup = inputs.setupCommand;
    if (setup !== undefined) {
      const prepare = () => runSetupCommand(setup, baseCwd, { LOADGATE_SIDE: 'base' });
      await (log.group ? log.group('loadgate: setup-command (base)', prepare) : prepare());
    }
    return executeAbRun(
      abRunSettingsOf(
        inputs,
        run,
        {
          cwd: baseCwd,
          origin: worktree.reason,
          setup: { field: 'setup-command', ...(setup === undefined ? {} : { command: setup }) },
        },
        outDir,
      ),
    );
  });
}
