/**
 * Events whose job may start a pull request's code while holding a write token (pure).
 *
 * `pull_request_target`, `issue_comment` and `workflow_run` run the default branch's workflow
 * with a `GITHUB_TOKEN` that can write and with the repository's secrets, for pull requests from
 * anyone. A workflow that checks out the pull request's head there ("pwn request") and lets
 * loadgate start it gives that code the runner's tokens: loadgate's own process holds
 * `github-token` and `ACTIONS_RUNTIME_TOKEN` in its environment (readable by any process of the
 * same user through `/proc/<pid>/environ`), and actions/checkout leaves its token in
 * `.git/config`, which the base worktree shares. loadgate cannot tell which code was checked out,
 * so on these events it starts nothing unless `allow-untrusted-code: true` says the workflow's
 * author has made sure only trusted code runs. `pull_request` is the safe path: a fork gets a
 * read-only token there, and the fork-safe commenter (comment/) posts its comment.
 */
import { refuseCommands } from '../service/index.js';
import { InputError, type ActionInputs } from './inputs.js';

export const UNTRUSTED_CODE_EVENTS: readonly string[] = [
  'pull_request_target',
  'issue_comment',
  'workflow_run',
];

/** What loadgate would start itself on this run; empty when it measures a running service. */
export function commandsToStart(
  inputs: Pick<ActionInputs, 'start' | 'setupCommand' | 'baseline'>,
): string[] {
  return [
    ...(inputs.start === undefined ? [] : ['start-command']),
    ...(inputs.setupCommand === undefined ? [] : ['setup-command']),
    ...(inputs.baseline.kind === 'base-commit' ? ['baseline: base-commit'] : []),
  ];
}

/** Whether this event's job holds a write token while it may run a pull request's code. */
export function isUntrustedCodeEvent(eventName: string): boolean {
  return UNTRUSTED_CODE_EVENTS.includes(eventName);
}

/** Why a command is refused on this event: the same words for the inputs and a seed command. */
export function untrustedCodeReason(eventName: string): string {
  return (
    `loadgate starts no command on ${eventName}: that event runs with a write GITHUB_TOKEN and the ` +
    "repository's secrets, and the code it would start may be a pull request's (a fork's), which could " +
    'read them. Run the gate on pull_request (with the fork-safe commenter for fork pull requests, ' +
    'see docs/security.md), or, if this workflow only ever starts code you trust, set allow-untrusted-code: true.'
  );
}

/**
 * The refusal for this run, or undefined when it may go on: on an untrusted-code event, a run
 * that would start a command (start-command, setup-command, baseline base-commit) is refused
 * unless allow-untrusted-code is true.
 */
export function untrustedCodeRefusal(
  eventName: string,
  inputs: Pick<ActionInputs, 'start' | 'setupCommand' | 'baseline' | 'allowUntrustedCode'>,
): string | undefined {
  if (!isUntrustedCodeEvent(eventName) || inputs.allowUntrustedCode) return undefined;
  const commands = commandsToStart(inputs);
  if (commands.length === 0) return undefined;
  return `${untrustedCodeReason(eventName)} (This run has ${commands.join(', ')}.)`;
}

/**
 * The guard a run starts with: a refused run throws (InputError, before anything is looked up or
 * started); on an untrusted-code event without allow-untrusted-code every later command is
 * refused too (a seed command in a scenarios file the pull request may have written); with it,
 * a warning says what the workflow vouched for. Returns the function that lifts the refusal.
 */
export function guardUntrustedCode(
  eventName: string,
  inputs: Pick<ActionInputs, 'start' | 'setupCommand' | 'baseline' | 'allowUntrustedCode'>,
  log: { warning(message: string): void },
): () => void {
  if (!isUntrustedCodeEvent(eventName)) return () => undefined;
  const refusal = untrustedCodeRefusal(eventName, inputs);
  if (refusal !== undefined) throw new InputError(refusal);
  if (inputs.allowUntrustedCode) {
    if (commandsToStart(inputs).length > 0) {
      log.warning(
        `loadgate: starting commands on ${eventName} because allow-untrusted-code is true: only code this workflow trusts may be checked out here (docs/security.md)`,
      );
    }
    return () => undefined;
  }
  return refuseCommands(untrustedCodeReason(eventName));
}
