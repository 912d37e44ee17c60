import { describe, expect, it } from 'vitest';
import { reportLinks } from '../../../src/action/report-links.js';

const ctx = { serverUrl: 'https://github.com', repository: 'octo-org/admin-api', runId: 4242 };

describe('reportLinks', () => {
  it('links the workflow run, its report artifact and the running version’s statistics doc', () => {
    expect(
      reportLinks(
        ctx,
        { GITHUB_ACTION_REPOSITORY: 'loadgate/loadgate', GITHUB_ACTION_REF: 'v1' },
        'perf',
      ),
    ).toEqual({
      run: 'https://github.com/octo-org/admin-api/actions/runs/4242',
      artifact: {
        name: 'loadgate-report-perf',
        url: 'https://github.com/octo-org/admin-api/actions/runs/4242#artifacts',
      },
      statisticsDoc: 'https://github.com/loadgate/loadgate/blob/v1/docs/statistics.md',
    });
  });

  it('leaves out what it cannot know, and never a malformed repository or ref', () => {
    expect(reportLinks({ ...ctx, runId: undefined }, {}, 'perf')).toEqual({});
    expect(
      reportLinks(ctx, { GITHUB_ACTION_REPOSITORY: 'a/b c', GITHUB_ACTION_REF: 'v1' }, 'perf')
        .statisticsDoc,
    ).toBeUndefined();
    expect(
      reportLinks(ctx, { GITHUB_ACTION_REPOSITORY: 'a/b', GITHUB_ACTION_REF: 'x)](evil' }, 'perf')
        .statisticsDoc,
    ).toBeUndefined();
    expect(reportLinks({ ...ctx, serverUrl: 'https://ghe.example/' }, {}, 'perf').run).toBe(
      'https://ghe.example/octo-org/admin-api/actions/runs/4242',
    );
  });
});
