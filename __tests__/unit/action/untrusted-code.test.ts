/**
 * The "pwn request" guard: on pull_request_target, issue_comment and workflow_run a job holds a
 * write token while the checked-out code may be a pull request's. The attack: a workflow on
 * pull_request_target checks out the pull request's head and gives loadgate its start command.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, parseInputs, type InputName } from '../../../src/action/inputs.js';
import {
  guardUntrustedCode,
  untrustedCodeRefusal,
  UNTRUSTED_CODE_EVENTS,
} from '../../../src/action/untrusted-code.js';
import { runSeedCommand } from '../../../src/service/seed-command.js';

function inputs(values: Partial<Record<InputName, string>>) {
  return parseInputs((name) => values[name] ?? '', { workspace: '/repo', cwd: '/repo' });
}

const lifts: (() => void)[] = [];
afterEach(() => {
  for (const lift of lifts.splice(0)) lift();
});

describe('untrusted-code events', () => {
  it.each(UNTRUSTED_CODE_EVENTS)('refuses to start a command on %s', (event) => {
    for (const given of [
      { 'start-command': 'npm start' },
      { 'start-command': 'npm start', baseline: 'base-commit' },
      { 'setup-command': 'npm ci' },
    ]) {
      const refusal = untrustedCodeRefusal(event, inputs(given));
      expect(refusal).toContain(`loadgate starts no command on ${event}`);
      expect(refusal).toContain('allow-untrusted-code: true');
      expect(() => guardUntrustedCode(event, inputs(given), { warning: () => undefined })).toThrow(
        InputError,
      );
    }
  });

  it('lets the workflow author vouch with allow-untrusted-code, and says so', () => {
    const warnings: string[] = [];
    const given = inputs({ 'start-command': 'npm start', 'allow-untrusted-code': 'true' });
    expect(untrustedCodeRefusal('pull_request_target', given)).toBeUndefined();
    lifts.push(
      guardUntrustedCode('pull_request_target', given, { warning: (m) => warnings.push(m) }),
    );
    expect(warnings).toEqual([expect.stringContaining('allow-untrusted-code is true')]);
  });

  it('starts anything on pull_request and push', () => {
    for (const event of ['pull_request', 'push', 'schedule', 'workflow_dispatch']) {
      expect(untrustedCodeRefusal(event, inputs({ 'start-command': 'npm start' }))).toBeUndefined();
    }
  });

  it('measures an already running service there, but refuses a seed command from the scenarios file', async () => {
    // No start-command: nothing to refuse up front; the scenarios file is the pull request's.
    lifts.push(guardUntrustedCode('pull_request_target', inputs({}), { warning: () => undefined }));
    await expect(runSeedCommand('exit 0', {}, 5)).rejects.toThrow(
      /seed command could not start: loadgate starts no command on pull_request_target/,
    );
  });

  it('reads allow-untrusted-code as a boolean', () => {
    expect(inputs({}).allowUntrustedCode).toBe(false);
    expect(inputs({ 'allow-untrusted-code': 'TRUE' }).allowUntrustedCode).toBe(true);
    expect(() => inputs({ 'allow-untrusted-code': 'yes' })).toThrow(
      /input allow-untrusted-code: expected "true" or "false", got "yes"/,
    );
  });
});
