import { describe, expect, it } from 'vitest';
import {
  checkAgainstPull,
  checkAgainstTrigger,
  commentBodyFrom,
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
    expect(
      checkAgainstPull(
        claim,
        { headSha: SHA, baseRepository: 'Octo-Org/admin-api', state: 'open' },
        'octo-org/admin-api',
      ),
    ).toEqual({ ok: true });
    expect(
      checkAgainstPull(
        claim,
        { headSha: SHA, baseRepository: 'evil/admin-api', state: 'open' },
        'octo-org/admin-api',
      ),
    ).toMatchObject({ ok: false, reason: /targets evil/ });
    expect(
      checkAgainstPull(
        claim,
        { headSha: 'b'.repeat(40), baseRepository: 'octo-org/admin-api', state: 'open' },
        'octo-org/admin-api',
      ),
    ).toMatchObject({ ok: false, stale: true });
  });

  it('rebuilds the markers: the job comes from the artifact name, foreign markers are dropped', () => {
    expect(jobOfArtifact('loadgate-report-perf')).toBe('perf');
    expect(jobOfArtifact('loadgate-report-')).toBeUndefined();
    expect(jobOfArtifact('something-else')).toBeUndefined();
    const body = commentBodyFrom(
      '<!-- loadgate:other -->\n<!-- loadgate-verdict:fail:baseline:r1:s0:f0:abc -->\n### title\r\n<!-- loadgate:x -->\ntext',
      'perf',
    );
    expect(body).toBe(
      '<!-- loadgate:perf -->\n<!-- loadgate-verdict:fail:baseline:r1:s0:f0:abc -->\n### title\ntext',
    );
  });
});
