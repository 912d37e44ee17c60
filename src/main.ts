/**
 * The action's entry: read the inputs once into a typed object, wire the GitHub adapters and run
 * the orchestration (src/action/run-action.ts). Every failure ends in core.setFailed with a
 * message a user can act on.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { parseInputs } from './action/inputs.js';
import type { InputName } from './action/inputs.js';
import { ConfigError } from './config/errors.js';
import { runAction } from './action/run-action.js';
import { loadActionsContext } from './github/context.js';
import { executeRun } from './run/execute.js';
import { installSignalCleanup } from './service/index.js';

export async function run(): Promise<void> {
  try {
    installSignalCleanup();
    // Mask the secrets before anything can print them (an input error shows the value).
    for (const name of ['auth-token', 'github-token'] as const) {
      const secret = core.getInput(name).trim();
      if (secret !== '') core.setSecret(secret);
    }
    const inputs = parseInputs((name: InputName) => core.getInput(name), {
      workspace: process.env.GITHUB_WORKSPACE,
    });
    // The service under test inherits this process's environment: keep the API token out of it.
    delete process.env['INPUT_GITHUB-TOKEN'];
    const ctx = loadActionsContext();
    const octokit = inputs.githubToken === undefined ? undefined : getOctokit(inputs.githubToken);
    const outcome = await runAction(inputs, {
      ctx,
      octokit,
      executeRun,
      env: process.env,
      log: {
        info: (m) => core.info(m),
        notice: (m) => core.notice(m),
        warning: (m) => core.warning(m),
      },
      setOutput: (name, value) => core.setOutput(name, value),
    });
    if (outcome.failures.length > 0) core.setFailed(outcome.failures.join('\n\n'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(
      error instanceof ConfigError || !(error instanceof Error)
        ? `loadgate: ${message}`
        : `loadgate: unexpected error: ${message}\n${error.stack ?? ''}`,
    );
  }
}
