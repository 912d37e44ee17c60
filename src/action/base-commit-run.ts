/**
 * `baseline: base-commit` measured: the base side in its worktree (base-worktree.ts: which
 * commit and why, its checkout and removal), prepared with `setup-command`, then started beside
 * the head and measured in pairs of trials (run/ab-run.ts).
 */
import type { RunResult } from '../result/types.js';
import { executeAbRun, type AbRunSettings } from '../run/ab-run.js';
import type { RunSettings } from '../run/execute.js';
import { runSetupCommand } from '../service/setup-command.js';
import { withBaseWorktree } from './base-worktree.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';

export async function measureAgainstBaseCommit(
  inputs: ActionInputs,
  deps: ActionDeps,
  run: Omit<RunSettings, 'start' | 'cwd' | 'baseUrl'>,
): Promise<RunResult> {
  const { log } = deps;
  return withBaseWorktree(inputs, deps, async (worktree) => {
    const baseCwd = worktree.dirFor(inputs.cwd);
    const setup = inputs.setupCommand;
    if (setup !== undefined) {
      const prepare = () => runSetupCommand(setup, baseCwd, { LOADGATE_SIDE: 'base' });
      await (log.group ? log.group('loadgate: setup-command (base)', prepare) : prepare());
    }
    return executeAbRun({
      ...run,
      start: inputs.start ?? '',
      base: { cwd: baseCwd, origin: worktree.reason },
      head: { cwd: inputs.cwd },
      baseUrl: inputs.baseUrl,
      ...abTiming(inputs),
      onProgress: (event) => run.onProgress?.(event),
    });
  });
}

/**
 * The action's A/B timing: the inputs `ab-schedule`, `service-cpus` and `ab-rounds` as given;
 * what is not given, run/ab-run.ts chooses (a duet where both services can share one CPU, else
 * interleaved; rounds of two pairs).
 */
function abTiming(
  inputs: Pick<ActionInputs, 'abSchedule' | 'serviceCpus' | 'abRounds'>,
): Pick<AbRunSettings, 'schedule' | 'serviceCpus' | 'rounds'> {
  return {
    ...(inputs.abSchedule === undefined ? {} : { schedule: inputs.abSchedule }),
    ...(inputs.serviceCpus === undefined ? {} : { serviceCpus: inputs.serviceCpus }),
    ...(inputs.abRounds === undefined ? {} : { rounds: inputs.abRounds }),
  };
}
