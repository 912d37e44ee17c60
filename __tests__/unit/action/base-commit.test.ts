import { describe, expect, it } from 'vitest';
import {
  assertNotHead,
  BaseCommitError,
  chooseBaseCommit,
  describeResolvedRef,
  parseCommitParents,
  pullRequestShas,
  type BaseCommitFacts,
  type CommitChoice,
} from '../../../src/action/base-commit.js';
import prSame from '../../fakes/payloads/pull_request-same-repo.json' with { type: 'json' };
import pushMain from '../../fakes/payloads/push-main.json' with { type: 'json' };

const A = '1a2b3c4d5e6f708192a3b4c5d6e7f80910a1b2c3'; // base branch tip
const B = 'b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3'; // pull request head
const M = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432'; // test merge commit (A, B)
const OLD = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00'; // pull_request.base.sha (stale)

const pr = (over: Partial<BaseCommitFacts> = {}): BaseCommitFacts => ({
  eventName: 'pull_request',
  ref: 'refs/pull/7/merge',
  head: { sha: M, parents: [A, B] },
  pullRequest: { baseSha: OLD, headSha: B },
  ...over,
});

/** The choice, which must name a commit (not a base-ref to resolve). */
function chosen(facts: BaseCommitFacts): CommitChoice {
  const choice = chooseBaseCommit(facts);
  if (choice.kind !== 'commit') throw new Error(`expected a commit, got ${choice.kind}`);
  return choice;
}

function failure(facts: BaseCommitFacts): BaseCommitError {
  try {
    chooseBaseCommit(facts);
  } catch (error) {
    expect(error).toBeInstanceOf(BaseCommitError);
    return error as BaseCommitError;
  }
  throw new Error('expected a BaseCommitError');
}

describe('chooseBaseCommit on pull requests', () => {
  it('takes the first parent of the test merge commit, not pull_request.base.sha', () => {
    expect(chooseBaseCommit(pr())).toEqual({
      kind: 'commit',
      sha: A,
      reason: 'first parent of the merge commit 9f8e7d6 (refs/pull/7/merge)',
    });
  });

  it('trusts a two-parent HEAD when the payload does not name the head', () => {
    const choice = chooseBaseCommit(pr({ pullRequest: undefined, ref: undefined }));
    expect(choice).toEqual({
      kind: 'commit',
      sha: A,
      reason: 'first parent of the merge commit 9f8e7d6',
    });
  });

  it('uses pull_request.base.sha when HEAD is the pull request head', () => {
    const choice = chosen(pr({ head: { sha: B, parents: [A] } }));
    expect(choice.sha).toBe(OLD);
    expect(choice.reason).toBe(
      "the pull request's base commit c0ffee0 (pull_request.base.sha; HEAD b0b1b2b is the pull request head, not its merge commit)",
    );
  });

  it('does not mistake a pull request head that merged main in for the test merge', () => {
    const choice = chosen(pr({ head: { sha: B, parents: [OLD, A] } }));
    expect(choice.sha).toBe(OLD);
    expect(choice.reason).toMatch(/HEAD b0b1b2b is the pull request head/);
  });

  it('does not take a merge commit whose second parent is not the pull request head', () => {
    // pull_request_target: HEAD is the base branch tip, itself the merge of another PR.
    const other = 'ddddddddddddddddddddddddddddddddddddddd1';
    const choice = chosen(pr({ head: { sha: A, parents: [OLD, other] } }));
    expect(choice.sha).toBe(OLD);
    expect(choice.reason).toMatch(/HEAD 1a2b3c4 is not the pull request's merge commit/);
  });

  it('counts any pull_request* event and any payload with a pull request', () => {
    const head = { sha: B, parents: [A] };
    expect(chosen(pr({ eventName: 'pull_request_target', head })).sha).toBe(OLD);
    expect(chosen(pr({ eventName: 'issue_comment', head })).sha).toBe(OLD);
    // Without pull request facts, a non-PR event takes HEAD's parent instead.
    expect(chosen(pr({ eventName: 'push', head, pullRequest: undefined })).sha).toBe(A);
  });

  it('fails with the fix when HEAD is not a merge and the payload has no base sha', () => {
    const error = failure(
      pr({ head: { sha: B, parents: [A] }, pullRequest: { baseSha: undefined, headSha: B } }),
    );
    expect(error.message).toBe(
      'cannot tell the base commit: HEAD b0b1b2b is the pull request head, not its merge commit, ' +
        'and the event payload has no pull_request.base.sha. Check out the merge commit ' +
        '(actions/checkout does by default on pull_request) or set base-ref.',
    );
  });

  it('refuses a base equal to HEAD (pull_request_target checks out the base tip)', () => {
    const error = failure(
      pr({ eventName: 'pull_request_target', head: { sha: OLD, parents: [A] } }),
    );
    expect(error.message).toMatch(/^the base commit is HEAD itself \(c0ffee0, /);
    // The answer never advises the pwn request: checking out the pull request's head on
    // pull_request_target would run its code with the workflow's write token.
    expect(error.message).not.toMatch(/head\.sha|ref: \$\{\{/);
    expect(error.message).toContain('Run loadgate on pull_request');
    expect(error.message).toContain('never check out the pull request');
  });
});

describe('chooseBaseCommit elsewhere', () => {
  it('takes the parent of HEAD on a push', () => {
    expect(chooseBaseCommit({ eventName: 'push', head: { sha: B, parents: [A] } })).toEqual({
      kind: 'commit',
      sha: A,
      reason: 'parent of HEAD b0b1b2b',
    });
  });

  it('takes the first parent of a merge commit on a push', () => {
    const choice = chooseBaseCommit({ eventName: 'push', head: { sha: M, parents: [A, B] } });
    expect(choice).toEqual({
      kind: 'commit',
      sha: A,
      reason: 'first parent of the merge commit HEAD 9f8e7d6',
    });
  });

  it('fails on a root commit, naming base-ref', () => {
    const error = failure({ eventName: 'workflow_dispatch', head: { sha: A, parents: [] } });
    expect(error.message).toBe(
      "cannot tell the base commit: HEAD 1a2b3c4 has no parent (the repository's first commit). " +
        'Set base-ref to the commit to compare against.',
    );
  });
});

describe('base-ref', () => {
  it('overrides the event, trimmed; a blank one is unset', () => {
    expect(chooseBaseCommit(pr({ baseRef: ' origin/main ' }))).toEqual({
      kind: 'ref',
      ref: 'origin/main',
      reason: 'base-ref "origin/main"',
    });
    expect(
      chooseBaseCommit({ eventName: 'push', head: { sha: A, parents: [] }, baseRef: 'v1' }),
    ).toMatchObject({ kind: 'ref', ref: 'v1' });
    expect(chooseBaseCommit(pr({ baseRef: '  ' })).kind).toBe('commit');
  });

  it('is described with the commit it resolved to', () => {
    expect(describeResolvedRef('main', A)).toBe('base-ref "main" (1a2b3c4)');
  });

  it('may not resolve to HEAD', () => {
    expect(() => assertNotHead(A, A, 'base-ref "main" (1a2b3c4)')).toThrow(
      /the base commit is HEAD itself \(1a2b3c4, base-ref "main" \(1a2b3c4\)\)/,
    );
    expect(() => assertNotHead(A, B, 'x')).not.toThrow();
  });
});

describe('parseCommitParents', () => {
  // `git cat-file -p` of a merge commit, as a shallow clone prints it.
  const merge = [
    'tree 385d00a7abab4fb8c2ca39f8ea9b759fab920a43',
    'parent 99639f6590e8117c00f21116c7a97cc1eb223f42',
    'parent b6fdc962775597bdaa3aa566bd6a46aec3d304bd',
    'author t <t@t> 1795994920 +0000',
    'committer t <t@t> 1795994920 +0000',
    '',
    "Merge branch 'feature'",
    'parent 0000000000000000000000000000000000000000 (in the message: not a parent)',
    '',
  ].join('\n');

  it('lists the parents in order, from the header only', () => {
    expect(parseCommitParents(merge)).toEqual([
      '99639f6590e8117c00f21116c7a97cc1eb223f42',
      'b6fdc962775597bdaa3aa566bd6a46aec3d304bd',
    ]);
  });

  it('gives none for a root commit and rejects what is not a commit', () => {
    expect(
      parseCommitParents('tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a\n\nfirst\n'),
    ).toEqual([]);
    expect(() => parseCommitParents('object 99639f6\ntype commit\n')).toThrow(BaseCommitError);
    expect(() => parseCommitParents('tree 4b82\nparent nothex\n\n')).toThrow(
      /malformed parent line/,
    );
  });
});

describe('pullRequestShas', () => {
  it('reads base and head sha of a pull request payload', () => {
    const payload = { pull_request: { base: { sha: OLD, ref: 'main' }, head: { sha: B } } };
    expect(pullRequestShas(payload)).toEqual({ baseSha: OLD, headSha: B });
  });

  it('reads the recorded pull_request payload; a push payload has none', () => {
    expect(pullRequestShas(prSame)).toEqual({
      baseSha: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      headSha: '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4',
    });
    expect(pullRequestShas(pushMain)).toBeUndefined();
  });

  it('is undefined without a pull request, and drops values that are not shas', () => {
    expect(pullRequestShas({ ref: 'refs/heads/main' })).toBeUndefined();
    expect(pullRequestShas(null)).toBeUndefined();
    expect(pullRequestShas({ pull_request: { base: { sha: 'main' } } })).toEqual({
      baseSha: undefined,
      headSha: undefined,
    });
  });
});
