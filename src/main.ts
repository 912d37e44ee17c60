/**
 * The action's entry: choose the mode (action/mode.ts: the gate, or the fork-safe commenter on
 * workflow_run), read the inputs once into a typed object, wire the GitHub adapters and run the
 * orchestration (src/action/run-action.ts, or src/comment/main.ts). Every failure ends in
 * core.setFailed with a message a user can act on.
 *
 * Secrets first: every secret the action knows of is registered (src/redact/) before anything
 * can print it, and everything the action logs passes through `redact` (the files, the job
 * summary and the comment redact on their own way out).
 */
import * as core from '@actions/core';
import { githubClient } from './github/client.js';
import { parseInputs, parseSecretVariables } from './action/inputs.js';
import type { ActionInputs, InputName } from './action/inputs.js';
import type { ActionLog } from './action/deps.js';
import { ConfigError } from './config/errors.js';
import { runAction } from './action/run-action.js';
import {
  checkCommentModeInputs,
  checkGateModeInputs,
  chooseMode,
  type ModeChoice,
} from './action/mode.js';
import { runCommentMode } from './comment/main.js';
import { loadActionsContext } from './github/context.js';
import {
  guardWorkflowCommands,
  redact,
  registerSecret,
  registerSecretsFromEnv,
  registerSecretsInText,
  registerUrlSecrets,
} from './redact/index.js';
import { executeRun } from './run/execute.js';
import { installSignalCleanup, RUNNER_KILLED_AFTER_MS, setLogTailPolicy } from './service/index.js';

const TOKEN_INPUTS = ['auth-token', 'github-token'] as const satisfies readonly InputName[];
const URL_INPUTS = [
  'base-url',
  'ready-url',
  'postgres-url',
  'redis-url',
] as const satisfies readonly InputName[];
const COMMAND_INPUTS = ['start-command', 'setup-command'] as const satisfies readonly InputName[];

/**
 * Register the secrets: the two tokens, the credentials in the URL inputs, secrets written into
 * the commands, the variables named in secret-variables, and the environment's
 * (redact/recognise.ts). GitHub masks the tokens, the URL credentials and the named variables in
 * the log too (core.setSecret); what is only guessed from a variable's name is redacted from
 * what loadgate writes but not masked for the rest of the job (the runner already masks the
 * workflow's real secrets, and a guess may be a word other steps print).
 */
function registerActionSecrets(): void {
  const masked = new Set<string>();
  for (const name of TOKEN_INPUTS) {
    const token = core.getInput(name).trim();
    if (token === '') continue;
    registerSecret(token);
    masked.add(token);
  }
  for (const name of URL_INPUTS) {
    for (const value of registerUrlSecrets(core.getInput(name))) masked.add(value);
  }
  for (const name of COMMAND_INPUTS) registerSecretsInText(core.getInput(name));
  // Named by the user as secrets: given, so masked too (the names are checked with the inputs).
  for (const name of parseSecretVariables(core.getInput('secret-variables'), false)) {
    for (const value of registerSecret(process.env[name])) masked.add(value);
  }
  registerSecretsFromEnv(process.env);
  for (const value of masked) core.setSecret(value);
}

/** The step's log, redacted; info lines holding what looks like a workflow command guarded. */
const log: ActionLog = {
  info: (m) => core.info(guardWorkflowCommands(redact(m))),
  // core escapes line breaks in annotations: they cannot start a command line.
  notice: (m) => core.notice(redact(m)),
  warning: (m) => core.warning(redact(m)),
  startGroup: (name) => core.startGroup(guardWorkflowCommands(redact(name))),
  endGroup: () => core.endGroup(),
};

/**
 * `log-tail: off`: the last lines of what loadgate starts go to the step log (redacted, and
 * masked by GitHub there), never into the report, the comment or the artifacts.
 */
function applyLogTail(setting: ActionInputs['logTail']): void {
  if (setting === 'on') return;
  setLogTailPolicy({
    shown: false,
    elsewhere: (lines) =>
      log.info(
        `loadgate: last output (${lines.length} lines, kept out of the report by log-tail: off):\n${lines.map((l) => `  ${l}`).join('\n')}`,
      ),
  });
}

/** The mode, or undefined after a failure naming the bad input (core.setFailed). */
function modeOf(get: (name: InputName) => string): ModeChoice | undefined {
  try {
    const choice = chooseMode(get('mode'), process.env.GITHUB_EVENT_NAME ?? '');
    if (choice.mode === 'comment') checkCommentModeInputs(get, choice);
    else checkGateModeInputs(get, choice);
    return choice;
  } catch (error) {
    core.setFailed(`loadgate: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export async function run(): Promise<void> {
  // No message of the mode's checks holds an input's value but mode's and comment's: each mode
  // registers its secrets itself, once (the gate: registerActionSecrets; the commenter: its token).
  const choice = modeOf((name: InputName): string => core.getInput(name));
  if (choice === undefined) return;
  // Comment mode starts nothing and reads no gate input (checked above).
  if (choice.mode === 'comment') return runCommentMode();
  return runGate();
}

async function runGate(): Promise<void> {
  try {
    // The runner's cancel: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. The partial
    // result is published until shortly before that kill, whatever comes in between.
    installSignalCleanup({ killedAfterMs: RUNNER_KILLED_AFTER_MS });
    registerActionSecrets();
    const inputs = parseInputs((name: InputName) => core.getInput(name), {
      workspace: process.env.GITHUB_WORKSPACE,
    });
    applyLogTail(inputs.logTail);
    // The inputs are read: the processes loadgate starts get the workflow's environment, not
    // loadgate's inputs (INPUT_AUTH-TOKEN, INPUT_POSTGRES-URL…). Every spawn filters them too
    // (redact/child-env.ts); removing them here also covers one that forgets. Read any new
    // input in parseInputs, above.
    for (const name of Object.keys(process.env)) {
      if (name.toUpperCase().startsWith('INPUT_')) delete process.env[name];
    }
    const ctx = loadActionsContext();
    const octokit = inputs.githubToken === undefined ? undefined : githubClient(inputs.githubToken);
    const outcome = await runAction(inputs, {
      ctx,
      octokit,
      executeRun,
      env: process.env,
      log,
      // Outputs are loadgate's own values (a verdict, counts, paths, the comment URL).
      setOutput: (name, value) => core.setOutput(name, value),
    });
    if (outcome.failures.length > 0) core.setFailed(redact(outcome.failures.join('\n\n')));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(
      redact(
        error instanceof ConfigError || !(error instanceof Error)
          ? `loadgate: ${message}`
          : `loadgate: unexpected error: ${message}\n${error.stack ?? ''}`,
      ),
    );
  }
}
