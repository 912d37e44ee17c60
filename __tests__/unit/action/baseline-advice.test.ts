import { describe, expect, it } from 'vitest';
import { baselineAdvice } from '../../../src/action/baseline.js';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';

const baselineOf = (values: Partial<Record<InputName, string>>) =>
  parseInputs((name) => values[name] ?? '', { workspace: '/repo', cwd: '/repo' }).baseline;

const PULL_REQUEST = { eventName: 'pull_request', prNumber: 7 };
const PUSH = { eventName: 'push', prNumber: undefined };

describe('the baseline a pull request is measured against, left to its default', () => {
  it('is the stored artifact, and the log and summary recommend base-commit', () => {
    const baseline = baselineOf({});
    expect(baseline).toEqual({ kind: 'artifact', byDefault: true });
    expect(baselineAdvice(baseline, PULL_REQUEST)).toMatch(
      /^baseline is not set, so this pull request is compared with a stored run .* baseline: base-commit, with start-command \(and setup-command .*\)\. Set baseline: artifact to keep the stored baseline without this warning\.$/,
    );
  });

  it('says nothing once baseline is chosen, artifact included, nor on a push', () => {
    expect(baselineOf({ baseline: 'artifact' })).toEqual({ kind: 'artifact' });
    expect(baselineAdvice(baselineOf({ baseline: 'artifact' }), PULL_REQUEST)).toBeUndefined();
    expect(
      baselineAdvice(
        baselineOf({ baseline: 'base-commit', 'start-command': 'npm start' }),
        PULL_REQUEST,
      ),
    ).toBeUndefined();
    expect(baselineAdvice(baselineOf({}), PUSH)).toBeUndefined();
  });
});
