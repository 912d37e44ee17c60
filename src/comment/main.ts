/**
 * The action in comment mode (src/main.ts chooses it; action/mode.ts has already refused any
 * gate input): the fork-safe commenter. Reads its inputs once, wires the GitHub adapters and
 * runs comment/run-commenter.ts; every failure ends in core.setFailed.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { githubClient } from '../github/client.js';
import { tmpdir } from 'node:os';
import { loadActionsContext } from '../github/context.js';
import { parseCommenterInputs, Refused } from './inputs.js';
import { runCommenter } from './run-commenter.js';

export async function runCommentMode(): Promise<void> {
  try {
    const inputs = parseCommenterInputs((name) => core.getInput(name));
    core.setSecret(inputs.token);
    const refusals = await runCommenter(inputs, {
      ctx: loadActionsContext(),
      octokit: githubClient(inputs.token),
      artifactClient: new DefaultArtifactClient(),
      log: { info: (m) => core.info(m), notice: (m) => core.notice(m) },
      setOutput: (name, value) => core.setOutput(name, value),
      tempDir: process.env.RUNNER_TEMP ?? tmpdir(),
    });
    if (refusals.length > 0) {
      core.setFailed(
        `loadgate (comment mode) refused to comment:\n${refusals.map((r) => `- ${r}`).join('\n')}`,
      );
    }
  } catch (error) {
    core.setFailed(
      error instanceof Refused
        ? error.message
        : `loadgate (comment mode): ${(error as Error)?.message ?? String(error)}`,
    );
  }
}
