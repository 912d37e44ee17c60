/**
 * The history chain of the action: where a refresh's history starts (previous artifact, expired,
 * broken, an older loadgate's), what it appends, the accepted mark of a merged pull request, and
 * what a pull request is judged against.
 */
import { describe, expect, it } from 'vitest';
import type { ActionDeps } from '../../../src/action/deps.js';
import {
  historyStart,
  judgedHistory,
  nextHistory,
  regressedScenarios,
} from '../../../src/action/history.js';
import { parseInputs } from '../../../src/action/inputs.js';
import type { BaselineLookup } from '../../../src/github/baseline-artifact.js';
import { mergedPullOf } from '../../../src/github/commit-pulls.js';
import type { ActionsContext } from '../../../src/github/context.js';
import type { Octokit } from '../../../src/github/sticky-comment.js';
import type { History } from '../../../src/result/history.js';
import { appendRun, emptyHistory, summarizeRun } from '../../../src/result/history-append.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun, noisy } from '../helpers/results.js';

const LABEL = 'loadgate:accept-regression';
const day = (i: number) => new Date(Date.UTC(2025, 2, 1 + i, 12)).toISOString();

function run(i: number, factor = 1): RunResult {
  return buildRun(
    [
      {
        name: 'list',
        p95: noisy(20 * factor, 8, 0.02, i * 3 + 1),
        throughput: noisy(1000, 8, 0.02, i * 3 + 2),
      },
    ],
    { startedAt: day(i), sha: String(i).padStart(40, '0') },
  );
}

function provenance(
  result: RunResult,
  history: Extract<BaselineLookup, { result: RunResult }>['history'],
): BaselineLookup {
  return {
    result,
    runId: 900,
    runUrl: 'https://github.com/o/r/actions/runs/900',
    headSha: result.git?.sha ?? '',
    createdAt: day(0),
    ageDays: 1,
    artifactId: 5,
    artifactName: 'loadgate-baseline',
    ...(history === undefined ? {} : { history }),
  };
}

const previousHistory: History = [1, 2, 3].reduce(
  (h, i) => appendRun(h, summarizeRun(run(i), { runId: i })).history,
  emptyHistory(),
);

describe('historyStart', () => {
  it('continues the previous artifact’s history', () => {
    const start = historyStart(provenance(run(3), { history: previousHistory }));
    expect(start).toEqual({ history: previousHistory });
  });

  it('an artifact of an older loadgate (no history): its baseline run is the first entry', () => {
    const start = historyStart(provenance(run(3), { absent: true }));
    expect(start.history.runs).toHaveLength(1);
    expect(start.history.runs[0]).toMatchObject({ startedAt: day(3), runId: 900 });
    expect(start.notice).toMatch(
      /run 900\) has no history yet: a new history starts with its run and this one/,
    );
  });

  it('a broken history starts anew, with a warning naming the problem', () => {
    const start = historyStart(
      provenance(run(3), { problem: 'loadgate-history.json in …: not valid JSON' }),
    );
    expect(start.history).toEqual(emptyHistory());
    expect(start.warning).toMatch(
      /is unusable \(loadgate-history\.json in …: not valid JSON\): a new history starts/,
    );
  });

  it('an expired or missing artifact starts anew with a notice; a failed lookup with a warning', () => {
    const expired = historyStart({
      missing: 'artifact loadgate-baseline of run 9 expired (2025-01-01)',
    });
    expect(expired).toEqual({
      history: emptyHistory(),
      notice:
        'no previous baseline artifact (artifact loadgate-baseline of run 9 expired (2025-01-01)): a new history of the default branch starts with this run',
    });
    const failed = historyStart({ missing: 'HTTP 502', lookupFailed: true });
    expect(failed.warning).toMatch(
      /^could not read the previous baseline artifact \(HTTP 502\): the history of the default branch starts anew/,
    );
  });
});

describe('regressedScenarios', () => {
  const options = parseInputs(() => '', { cwd: '/r' }).judge;
  it('names what this run finds regressed against the previous baseline and history', () => {
    expect(
      regressedScenarios(run(9, 1.6), provenance(run(3), undefined), previousHistory, options),
    ).toEqual(['list']);
    expect(
      regressedScenarios(run(9), provenance(run(3), undefined), previousHistory, options),
    ).toEqual([]);
    expect(regressedScenarios(run(9, 1.6), { missing: 'none' }, previousHistory, options)).toEqual(
      [],
    );
  });
});

/** An octokit that answers `GET /repos/{o}/{r}/commits/{sha}/pulls` only. */
function octokitWith(answer: () => unknown[] | Error): Octokit {
  return {
    rest: {
      repos: {
        listPullRequestsAssociatedWithCommit: async () => {
          const a = answer();
          if (a instanceof Error) throw a;
          return { data: a };
        },
      },
    },
  } as unknown as Octokit;
}

const pull = (number: number, labels: string[], over: Record<string, unknown> = {}) => ({
  number,
  merged_at: '2025-03-10T10:00:00Z',
  merge_commit_sha: 'f'.repeat(40),
  base: { ref: 'main' },
  labels: labels.map((name) => ({ name })),
  ...over,
});

describe('mergedPullOf', () => {
  const where = { owner: 'o', repo: 'r', sha: 'f'.repeat(40), branch: 'main' };
  it('finds the pull request merged as this commit, with its labels', async () => {
    const octokit = octokitWith(() => [
      pull(3, ['x'], { merged_at: null }),
      pull(4, ['y'], { base: { ref: 'release' } }),
      pull(5, [LABEL, 'perf'], {}),
    ]);
    expect(await mergedPullOf(octokit, where)).toEqual({
      pull: { number: 5, labels: [LABEL, 'perf'] },
    });
  });
  it('none for a direct push; the problem when the API fails', async () => {
    expect(
      await mergedPullOf(
        octokitWith(() => []),
        where,
      ),
    ).toEqual({ pull: undefined });
    const failing = await mergedPullOf(
      octokitWith(() => new Error('HTTP 403: nope')),
      where,
      {
        retries: 0,
      },
    );
    expect(failing).toEqual({ problem: 'HTTP 403: nope' });
  });
});

describe('nextHistory', () => {
  const logs: string[] = [];
  const deps = (octokit: Octokit | undefined, over: Partial<ActionsContext> = {}): ActionDeps =>
    ({
      ctx: {
        owner: 'o',
        repo: 'r',
        sha: 'f'.repeat(40),
        runId: 77,
        isDefaultBranchPush: true,
        defaultBranch: 'main',
        ...over,
      } as ActionsContext,
      octokit,
      log: {
        info: (m: string) => logs.push(`info ${m}`),
        notice: (m: string) => logs.push(`notice ${m}`),
        warning: (m: string) => logs.push(`warning ${m}`),
      },
      retry: { retries: 0 },
    }) as unknown as ActionDeps;
  const inputs = parseInputs(() => '', { cwd: '/r' });

  it('appends this run to the previous history, with its workflow run id', async () => {
    const h = await nextHistory(
      run(4),
      provenance(run(3), { history: previousHistory }),
      inputs,
      deps(octokitWith(() => [])),
    );
    expect(h?.runs.map((r) => r.runId)).toEqual([1, 2, 3, 77]);
    expect(h?.runs.at(-1)?.accepted).toBeUndefined();
  });

  it('marks the run of a merged pull request that carried the accept label', async () => {
    const octokit = octokitWith(() => [pull(12, [LABEL])]);
    const h = await nextHistory(
      run(4, 1.6),
      provenance(run(3), { history: previousHistory }),
      inputs,
      deps(octokit),
    );
    expect(h?.runs.at(-1)?.accepted).toEqual({
      label: LABEL,
      pullRequest: 12,
      scenarios: ['list'],
    });
    expect(logs.some((l) => /pull request #12 carried loadgate:accept-regression/.test(l))).toBe(
      true,
    );
  });

  it('no mark without the label, off the default branch, or when the API fails', async () => {
    const previous = provenance(run(3), { history: previousHistory });
    const other = await nextHistory(
      run(4),
      previous,
      inputs,
      deps(octokitWith(() => [pull(12, ['docs'])])),
    );
    expect(other?.runs.at(-1)?.accepted).toBeUndefined();
    const notMain = await nextHistory(
      run(4),
      previous,
      inputs,
      deps(
        octokitWith(() => [pull(12, [LABEL])]),
        { isDefaultBranchPush: false },
      ),
    );
    expect(notMain?.runs.at(-1)?.accepted).toBeUndefined();
    const failing = await nextHistory(
      run(4),
      previous,
      inputs,
      deps(octokitWith(() => new Error('boom'))),
    );
    expect(failing?.runs).toHaveLength(4);
  });

  it('a partial result is not added', async () => {
    const partial = { ...run(4), partial: { completed: 0, planned: 1 } };
    expect(await nextHistory(partial, { missing: 'x' }, inputs, deps(undefined))).toBeUndefined();
  });
});

describe('judgedHistory', () => {
  const warnings: string[] = [];
  const log = {
    info: () => undefined,
    notice: () => undefined,
    warning: (m: string) => warnings.push(m),
  };
  const found = (history: unknown) =>
    ({ result: run(3), description: { kind: 'none', reason: '' }, history }) as never;

  it('passes the artifact’s history to the judge', () => {
    expect(judgedHistory(found({ history: previousHistory }), log)).toBe(previousHistory);
    expect(judgedHistory(found({ absent: true }), log)).toBeUndefined();
  });

  it('an unusable history is a warning, and the baseline run alone is used', () => {
    expect(judgedHistory(found({ problem: 'bad' }), log)).toBeUndefined();
    expect(warnings.at(-1)).toMatch(
      /history in the baseline artifact is unusable \(bad\); judging against the baseline run alone/,
    );
  });
});
