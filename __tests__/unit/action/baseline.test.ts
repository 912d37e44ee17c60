import { describe, expect, it } from 'vitest';
import { decideSave } from '../../../src/action/baseline.js';
const ctx = (over: Partial<Parameters<typeof decideSave>[1]> = {}) => ({
  eventName: 'push',
  prNumber: undefined,
  isDefaultBranchPush: false,
  headBranch: 'main',
  ...over,
});

describe('decideSave', () => {
  it('auto saves on a push to the default branch only', () => {
    expect(decideSave('auto', ctx({ isDefaultBranchPush: true }))).toEqual({ save: true });
    expect(decideSave('auto', ctx({ headBranch: 'feature' }))).toEqual({ save: false });
    expect(decideSave('auto', ctx({ eventName: 'pull_request', prNumber: 4 }))).toEqual({
      save: false,
    });
  });

  it('a pull request never writes the baseline, even with save-baseline: true', () => {
    const d = decideSave('true', ctx({ eventName: 'pull_request', prNumber: 4 }));
    expect(d.save).toBe(false);
    expect(d.warning).toMatch(/a pull request can never write the baseline/);
    expect(decideSave('true', ctx({ eventName: 'pull_request_target' })).save).toBe(false);
  });

  it('true saves elsewhere with a warning that pull requests will not read it', () => {
    const d = decideSave('true', ctx({ eventName: 'workflow_dispatch', headBranch: 'exp' }));
    expect(d.save).toBe(true);
    expect(d.warning).toMatch(/only read baselines from successful push runs/);
    expect(decideSave('false', ctx({ isDefaultBranchPush: true }))).toEqual({ save: false });
  });
});
