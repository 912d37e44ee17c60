import { describe, expect, it } from 'vitest';
import {
  applyMissingBaseline,
  fromArtifactLookup,
  type BaselineAbsence,
} from '../../../src/action/baseline.js';
import { parseInputs, type MissingBaselinePolicy } from '../../../src/action/inputs.js';
import { noBaseline } from '../../../src/baseline/outcome.js';

const NONE_YET = 'no successful push run of perf.yml on main in octo-org/admin-api yet';
const FAILED =
  'could not list the runs of perf.yml: HTTP 403: Resource not accessible by integration';

function apply(absence: BaselineAbsence, reason: string, policy: MissingBaselinePolicy) {
  return applyMissingBaseline({ outcome: noBaseline(reason), absence }, policy);
}

/** Issue 11: "there is no baseline" vs "could not look", and on-missing-baseline. */
describe('on-missing-baseline', () => {
  it('there is no baseline yet: pass = a notice, warn = a warning, fail = the check fails', () => {
    const pass = apply('none-yet', NONE_YET, 'pass');
    expect(pass.notice).toBe(`no baseline: ${NONE_YET}; SLA verdicts only`);
    expect(pass.warning).toBeUndefined();
    expect(pass.fatal).toBeUndefined();

    const warn = apply('none-yet', NONE_YET, 'warn');
    expect(warn.warning).toMatch(/^no baseline: .*; regressions are not checked/);
    expect(warn.notice).toBeUndefined();
    expect(warn.fatal).toBeUndefined();

    const fail = apply('none-yet', NONE_YET, 'fail');
    expect(fail.fatal).toBe(`no baseline to compare with: ${NONE_YET} (on-missing-baseline: fail)`);
    expect(fail.description).toEqual({ kind: 'none', reason: NONE_YET });
  });

  it('could not look: a warning whatever the input says, and with fail the check fails too', () => {
    for (const policy of ['pass', 'warn', 'fail'] as const) {
      const out = apply('lookup-failed', FAILED, policy);
      expect(out.warning, policy).toMatch(
        /^could not look for a baseline: .*HTTP 403.* \(the token needs `actions: read`\)\. Regressions are not checked in this run/,
      );
      expect(out.notice, policy).toBeUndefined();
      expect(out.fatal !== undefined, policy).toBe(policy === 'fail');
    }
  });

  it('leaves a found baseline, a corrupt file and a run that never looks alone', () => {
    const found = fromArtifactLookup(
      {
        result: {} as never,
        runId: 1,
        runUrl: 'u',
        headSha: 'abc',
        createdAt: '2026-01-01T00:00:00Z',
        ageDays: 1,
        artifactId: 2,
        artifactName: 'loadgate-baseline',
      },
      'main',
    );
    expect(applyMissingBaseline(found, 'fail').fatal).toBeUndefined();
    const corrupt = { ...noBaseline('corrupt'), fatal: 'baseline file x is corrupt' };
    expect(applyMissingBaseline({ outcome: corrupt, absence: 'none-yet' }, 'pass')).toBe(corrupt);
    const none = noBaseline('baseline: none');
    expect(applyMissingBaseline({ outcome: none }, 'fail')).toBe(none);
  });

  it('an artifact lookup tells "none yet" from "could not look"', () => {
    expect(fromArtifactLookup({ missing: NONE_YET }, 'main').absence).toBe('none-yet');
    expect(fromArtifactLookup({ missing: FAILED, lookupFailed: true }, 'main').absence).toBe(
      'lookup-failed',
    );
  });

  it('is an input: warn by default, pass/warn/fail accepted, anything else refused', () => {
    const read = (value: string) =>
      parseInputs((name) => (name === 'on-missing-baseline' ? value : ''), { cwd: '/repo' });
    expect(read('').onMissingBaseline).toBe('warn');
    expect(read('FAIL').onMissingBaseline).toBe('fail');
    expect(read('pass').onMissingBaseline).toBe('pass');
    expect(() => read('ignore')).toThrow(
      'input on-missing-baseline: expected "pass", "warn" or "fail", got "ignore"',
    );
  });
});
