/**
 * The action's two modes, one action.yml: the gate (measure, judge, report) and the fork-safe
 * commenter (on workflow_run: post the verified report of a pull request's run, start nothing).
 * Pure: the `mode` input and the event in, the mode out; in comment mode every input only the
 * gate reads must be left at its default, so a workflow cannot believe it configured a service
 * the commenter would never start.
 */
import { INPUT_DEFAULTS, InputError, type InputName } from './inputs.js';

export type ActionMode = 'gate' | 'comment';

export interface ModeChoice {
  mode: ActionMode;
  /** Why, for messages: `mode: comment`, or `mode: auto on a workflow_run event`. */
  reason: string;
}

/** The inputs comment mode reads; every other input is the gate's. */
export const COMMENT_MODE_INPUTS = [
  'mode',
  'github-token',
  'artifact-name',
  'comment',
] as const satisfies readonly InputName[];

/** The sticky comment settings that make sense for a report already judged elsewhere. */
export const COMMENT_MODE_COMMENT_VALUES = ['always', 'on-change'] as const;

/**
 * `auto` (the default): comment mode on workflow_run (the trusted half of the fork-safe pair,
 * with a write token: never a place to start a pull request's code), the gate elsewhere.
 */
export function chooseMode(modeInput: string, eventName: string): ModeChoice {
  const given = modeInput.trim().toLowerCase() || INPUT_DEFAULTS.mode;
  if (given === 'gate' || given === 'comment') return { mode: given, reason: `mode: ${given}` };
  if (given !== 'auto') {
    throw new InputError(`input mode: expected "auto", "gate" or "comment", got "${modeInput}"`);
  }
  return eventName === 'workflow_run'
    ? { mode: 'comment', reason: 'mode: auto on a workflow_run event' }
    : { mode: 'gate', reason: `mode: auto on ${eventName ? `a ${eventName}` : 'no'} event` };
}

/**
 * Comment mode: any gate input set to something other than its default is an error naming it
 * (the runner passes every default, so only a value the workflow wrote can differ).
 */
export function checkCommentModeInputs(get: (name: InputName) => string, choice: ModeChoice): void {
  const readHere: readonly string[] = COMMENT_MODE_INPUTS;
  for (const name of Object.keys(INPUT_DEFAULTS) as InputName[]) {
    if (readHere.includes(name)) continue;
    const value = get(name).trim();
    if (value === '' || value === INPUT_DEFAULTS[name]) continue;
    throw new InputError(
      `input ${name}: not used in comment mode (${choice.reason}), which starts nothing and reads only ${COMMENT_MODE_INPUTS.filter((n) => n !== 'mode').join(', ')}; remove it${choice.reason.startsWith('mode: auto') ? ', or set mode: gate to run the gate on workflow_run (docs/security.md: only with trusted code)' : ''}`,
    );
  }
  const comment = get('comment').trim().toLowerCase();
  if (comment !== '' && !(COMMENT_MODE_COMMENT_VALUES as readonly string[]).includes(comment)) {
    throw new InputError(
      `input comment: in comment mode expected "always" or "on-change" (the commenter posts a verdict judged by the pull request's run), got "${get('comment').trim()}"`,
    );
  }
}

/** Gate mode: the commenter's own input is an error, not silently ignored. */
export function checkGateModeInputs(get: (name: InputName) => string, choice: ModeChoice): void {
  const artifact = get('artifact-name').trim();
  if (artifact !== '') {
    throw new InputError(
      `input artifact-name: only used in comment mode (this step is in gate mode, ${choice.reason}); remove it, or set mode: comment in a workflow_run workflow`,
    );
  }
}
