/**
 * `baseline: base-commit`: the base of the change checked out into a temporary git worktree
 * (base-worktree.ts), prepared with `setup-command`, then started beside the head and measured
 * in interleaved trials (run/ab-run.ts). The worktree is removed whatever happens.
 */
import type { RunResult } from '../result/types.js';
import { executeAbRun } from '../run/ab-run.js';
import type { RunSettings } from '../run/execute.js';
import { runSetupCommand } from '../service/setup-command.js';
import { createBaseWorktree } from './base-worktree.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';

export async function measureAgainstBaseCommit(
  inputs: ActionInputs,
  deps: ActionDeps,
  run: Omit<RunSettings, 'start' | 'cwd' | 'baseUrl'>,
): Promise<RunResult> {
  const { ctx, log } = deps;
  const worktree = await createBaseWorktree({
    repoDir: inputs.cwd,
    eventName: ctx.eventName,
    ref: ctx.ref,
    pullRequest:
      ctx.prNumber === undefined ? undefined : { baseSha: ctx.baseSha, headSha: ctx.headSha },
    baseRef: inputs.baseRef,
    tempRoot: deps.env.RUNNER_TEMP,
  });
  try {
    log.info(`loadgate: base ${worktree.sha.slice(0, 7)}: ${worktree.reason}`);
    const baseCwd = worktree.dirFor(inputs.cwd);
    const setup = inputs.setupCommand;
    if (setup !== undefined) {
      const prepare = () => runSetupCommand(setup, baseCwd, { LOADGATE_SIDE: 'base' });
      await (log.group ? log.group('loadgate: setup-command (base)', prepare) : prepare());
    }
    return await executeAbRun({
      ...run,
      start: inputs.start ?? '',
      base: { cwd: baseCwd, origin: worktree.reason },
      head: { cwd: inputs.cwd },
      baseUrl: inputs.baseUrl,
      ...(inputs.abSchedule === undefined ? {} : { schedule: inputs.abSchedule }),
      ...(inputs.serviceCpus === undefined ? {} : { serviceCpus: inputs.serviceCpus }),
      ...(inputs.abRounds === undefined ? {} : { rounds: inputs.abRounds }),
      onProgress: (event) => run.onProgress?.(event),
    });
  } finally {
    await worktree.remove();
  }
}
