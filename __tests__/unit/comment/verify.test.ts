import { describe, expect, it } from 'vitest';
import {
  checkAgainstPull,
  checkAgainstTrigger,
  jobOfArtifact,
  parsePrClaim,
} from '../../../src/comment/verify.js';

const SHA = '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4';

describe('the fork-safe commenter trusts nothing from the artifact', () => {
  it('parses pr.json strictly', () => {
    expect(parsePrClaim(JSON.stringify({ number: 42, headSha: SHA, extra: 1 }))).toEqual({
      number: 42,
      headSha: SHA,
    });
    expect(parsePrClaim('nope')).toEqual({ error: 'pr.json is not JSON' });
    expect(parsePrClaim('{"number": "42", "headSha": "x"}')).toMatchObject({ error: /number/ });
    expect(parsePrClaim(`{"number": 4.5, "headSha": "${SHA}"}`)).toMatchObject({ error: /number/ });
    expect(parsePrClaim('{"number": 4, "headSha": "HEAD"}')).toMatchObject({ error: /headSha/ });
  });

  it('checks the claim against the triggering workflow_run', () => {
    const claim = { number: 42, headSha: SHA };
    expect(
      checkAgainstTrigger(claim, { headSha: SHA, prNumber: undefined, event: 'pull_request' }),
    ).toEqual({ ok: true });
    expect(
      checkAgainstTrigger(claim, {
        headSha: 'a'.repeat(40),
        prNumber: undefined,
        event: 'pull_request',
      }),
    ).toMatchObject({ ok: false, reason: /names commit/ });
    expect(
      checkAgainstTrigger(claim, { headSha: SHA, prNumber: 7, event: 'pull_request' }),
    ).toMatchObject({ ok: false, reason: /belongs to #7/ });
    expect(
      checkAgainstTrigger(claim, { headSha: SHA, prNumber: undefined, event: 'push' }),
    ).toMatchObject({ ok: false });
  });

  it('checks the claim against the pull request from the API', () => {
    const claim = { number: 42, headSha: SHA };
    const trigger = { headRepository: 'contributor/admin-api', headBranch: 'faster-search' };
    const pull = {
      headSha: SHA,
      baseRepository: 'Octo-Org/admin-api',
      state: 'open',
      headRef: 'faster-search',
      headRepository: 'Contributor/admin-api',
    };
    expect(checkAgainstPull(claim, pull, 'octo-org/admin-api', trigger)).toEqual({ ok: true });
    expect(
      checkAgainstPull(
        claim,
        { ...pull, baseRepository: 'evil/admin-api' },
        'octo-org/admin-api',
        trigger,
      ),
    ).toMatchObject({ ok: false, reason: /targets evil/ });
    // The same branch has moved on: stale, skipped.
    expect(
      checkAgainstPull(claim, { ...pull, headSha: 'b'.repeat(40) }, 'octo-org/admin-api', trigger),
    ).toMatchObject({ ok: false, stale: true });
  });

  it("matches a deleted fork's pull request by its state and head sha, not its branch name alone", () => {
    // Attack: the fork of #42 was deleted; anyone can open a fork with a branch of the same
    // name and have its run claim #42. Only an open #42 at exactly the tested commit matches.
    const claim = { number: 42, headSha: SHA };
    const trigger = { headRepository: 'attacker/admin-api', headBranch: 'faster-search' };
    const deleted = {
      headSha: SHA,
      baseRepository: 'octo-org/admin-api',
      state: 'open',
      headRef: 'faster-search',
      headRepository: null,
    };
    expect(checkAgainstPull(claim, deleted, 'octo-org/admin-api', trigger)).toEqual({ ok: true });
    const closed = checkAgainstPull(
      claim,
      { ...deleted, state: 'closed' },
      'octo-org/admin-api',
      trigger,
    );
    expect(closed).toMatchObject({ ok: false, reason: /whose fork was deleted; it is closed/ });
    expect(closed).not.toHaveProperty('stale');
    // Another commit: refused, never a quiet "stale" skip.
    const moved = checkAgainstPull(
      claim,
      { ...deleted, headSha: 'b'.repeat(40) },
      'octo-org/admin-api',
      trigger,
    );
    expect(moved).toMatchObject({
      ok: false,
      reason: /whose fork was deleted; it is open at bbbbbbb/,
    });
    expect(moved).not.toHaveProperty('stale');
  });

  it('refuses a claimed pull request whose head is not the branch the run tested (not stale)', () => {
    const claim = { number: 7, headSha: SHA };
    const trigger = { headRepository: 'contributor/admin-api', headBranch: 'faster-search' };
    // Someone else's pull request #7: another fork, another commit.
    const other = {
      headSha: 'c'.repeat(40),
      baseRepository: 'octo-org/admin-api',
      state: 'open',
      headRef: 'fix-login',
      headRepository: 'someone/admin-api',
    };
    const check = checkAgainstPull(claim, other, 'octo-org/admin-api', trigger);
    expect(check).toMatchObject({ ok: false, reason: /names pull request #7, whose head is/ });
    expect(check).not.toHaveProperty('stale');
    // Same branch name in another fork: still not this run's pull request.
    expect(
      checkAgainstPull(
        claim,
        { ...other, headRef: 'faster-search' },
        'octo-org/admin-api',
        trigger,
      ),
    ).not.toHaveProperty('stale');
  });

  it('takes the job from the artifact name', () => {
    expect(jobOfArtifact('loadgate-report-perf')).toBe('perf');
    expect(jobOfArtifact('loadgate-report-perf-node-20')).toBe('perf-node-20');
    expect(jobOfArtifact('loadgate-report-')).toBeUndefined();
    expect(jobOfArtifact('something-else')).toBeUndefined();
  });
});
