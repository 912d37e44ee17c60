import { describe, expect, it } from 'vitest';
import { INPUT_DEFAULTS, type InputName } from '../../../src/action/inputs.js';
import {
  checkCommentModeInputs,
  checkGateModeInputs,
  chooseMode,
} from '../../../src/action/mode.js';

/** The inputs as the runner passes them: every default, then what the workflow wrote. */
function runnerInputs(given: Partial<Record<InputName, string>>) {
  const all: Record<string, string> = { ...INPUT_DEFAULTS, 'github-token': 'ghs_token', ...given };
  return (name: InputName): string => all[name] ?? '';
}

describe('chooseMode', () => {
  it('auto: comment mode on workflow_run, the gate on every other event', () => {
    expect(chooseMode('auto', 'workflow_run').mode).toBe('comment');
    expect(chooseMode('', 'workflow_run').mode).toBe('comment');
    for (const event of ['pull_request', 'push', 'pull_request_target', 'schedule', '']) {
      expect(chooseMode('auto', event).mode, event).toBe('gate');
    }
  });

  it('an explicit mode wins over the event', () => {
    expect(chooseMode('gate', 'workflow_run')).toEqual({ mode: 'gate', reason: 'mode: gate' });
    expect(chooseMode(' Comment ', 'pull_request').mode).toBe('comment');
  });

  it('any other value is an error naming the input', () => {
    expect(() => chooseMode('commenter', 'workflow_run')).toThrow(
      'input mode: expected "auto", "gate" or "comment", got "commenter"',
    );
  });
});

describe('comment mode inputs', () => {
  const auto = chooseMode('auto', 'workflow_run');

  it('accepts the commenter’s inputs and every gate input left at its default', () => {
    expect(() => checkCommentModeInputs(runnerInputs({}), auto)).not.toThrow();
    expect(() =>
      checkCommentModeInputs(
        runnerInputs({ 'artifact-name': 'loadgate-report-perf', comment: 'on-change' }),
        auto,
      ),
    ).not.toThrow();
  });

  it.each<[InputName, string]>([
    ['start-command', 'npm start'],
    ['setup-command', 'npm ci'],
    ['baseline', 'base-commit'],
    ['allow-untrusted-code', 'true'],
    ['config', 'loadgate.yml'],
  ])('refuses the gate input %s, and says how to run the gate instead', (name, value) => {
    expect(() => checkCommentModeInputs(runnerInputs({ [name]: value }), auto)).toThrow(
      new RegExp(
        `^input ${name}: not used in comment mode \\(mode: auto on a workflow_run event\\).*set mode: gate`,
      ),
    );
  });

  it('with mode: comment the message names the mode, without the auto advice', () => {
    const explicit = chooseMode('comment', 'workflow_run');
    expect(() =>
      checkCommentModeInputs(runnerInputs({ 'start-command': 'npm start' }), explicit),
    ).toThrow(/^input start-command: not used in comment mode \(mode: comment\)[^]*remove it$/);
  });

  it('comment: always and on-change only', () => {
    for (const value of ['on-failure', 'never']) {
      expect(() => checkCommentModeInputs(runnerInputs({ comment: value }), auto)).toThrow(
        `input comment: in comment mode expected "always" or "on-change" (the commenter posts a verdict judged by the pull request's run), got "${value}"`,
      );
    }
  });
});

describe('gate mode inputs', () => {
  it('refuses artifact-name, the commenter’s input', () => {
    const gate = chooseMode('auto', 'pull_request');
    expect(() => checkGateModeInputs(runnerInputs({}), gate)).not.toThrow();
    expect(() =>
      checkGateModeInputs(runnerInputs({ 'artifact-name': 'loadgate-report-perf' }), gate),
    ).toThrow(
      /^input artifact-name: only used in comment mode \(this step is in gate mode, mode: auto on a pull_request event\)/,
    );
  });
});
