/**
 * The action's inputs as run settings: what the engine needs to measure, named the action's way.
 * Pure, so a test can hold them against the CLI's flags (`loadgate gate`, `loadgate ab`) and see
 * one plan come out of both (__tests__/unit/action/front-ends.test.ts); what neither names takes
 * the mode's defaults inside run/ (config/mode.ts).
 */
import type { AbRunSettings, AbSideSettings } from '../run/ab-run.js';
import type { RunSettings } from '../run/execute.js';
import type { ActionInputs } from './inputs.js';

/** One service measured on its own (a stored baseline, or none). */
export function runSettingsOf(
  inputs: ActionInputs,
  onProgress?: RunSettings['onProgress'],
): RunSettings {
  return {
    cwd: inputs.cwd,
    baseUrl: inputs.baseUrl,
    readyTimeoutSeconds: inputs.readyTimeoutSeconds,
    profile: inputs.profile,
    ...(inputs.start === undefined ? {} : { start: inputs.start }),
    ...(inputs.readyUrl === undefined ? {} : { readyUrl: inputs.readyUrl }),
    ...(inputs.authToken === undefined ? {} : { token: inputs.authToken }),
    ...(inputs.config === undefined ? {} : { config: inputs.config }),
    ...(inputs.postgresUrl === undefined ? {} : { postgresUrl: inputs.postgresUrl }),
    ...(inputs.redisUrl === undefined ? {} : { redisUrl: inputs.redisUrl }),
    ...(inputs.shard === undefined ? {} : { shard: inputs.shard }),
    ...(onProgress === undefined ? {} : { onProgress }),
  };
}

/**
 * `baseline: base-commit`: the base in its worktree beside the head. The inputs `ab-schedule`,
 * `service-cpus` and `ab-rounds` as given; what is not given, run/ab-run.ts chooses.
 */
export function abRunSettingsOf(
  inputs: ActionInputs,
  run: Omit<RunSettings, 'start' | 'cwd' | 'baseUrl'>,
  base: AbSideSettings,
  /** The step's own folder: the CPU profiles go under it. */
  outDir: string,
): AbRunSettings {
  const { onProgress, onServiceReady: _ready, ...shared } = run;
  return {
    ...shared,
    start: inputs.start ?? '',
    base,
    head: { cwd: inputs.cwd },
    baseUrl: inputs.baseUrl,
    ...(inputs.abSchedule === undefined ? {} : { schedule: inputs.abSchedule }),
    ...(inputs.serviceCpus === undefined ? {} : { serviceCpus: inputs.serviceCpus }),
    ...(inputs.abRounds === undefined ? {} : { rounds: inputs.abRounds }),
    ...(inputs.budgetSeconds === undefined ? {} : { budgetSeconds: inputs.budgetSeconds }),
    judged: { alpha: inputs.judge.alpha, minEffect: inputs.judge.minEffect },
    cpuProfile: { mode: inputs.cpuProfile, dir: outDir },
    ...(onProgress === undefined ? {} : { onProgress }),
  };
}
