import { describe, expect, it } from 'vitest';
import { childEnv } from '../../../src/redact/child-env.js';

describe('childEnv', () => {
  it("passes the workflow's environment without loadgate's inputs and runner-only credentials", () => {
    const env = childEnv(
      {
        PATH: '/usr/bin',
        DATABASE_URL: 'postgres://app:pw@db/app',
        'INPUT_AUTH-TOKEN': 'tok',
        'INPUT_GITHUB-TOKEN': 'ghs_x',
        'INPUT_POSTGRES-URL': 'postgres://u:p@h/db',
        INPUT_PROFILE: 'pr',
        ACTIONS_RUNTIME_TOKEN: 'jwt',
        ACTIONS_RESULTS_URL: 'https://results',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
        GITHUB_TOKEN: 'set-by-the-workflow',
        UNSET: undefined,
      },
      { PORT: '8123', LOADGATE_SIDE: 'head' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      DATABASE_URL: 'postgres://app:pw@db/app',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
      GITHUB_TOKEN: 'set-by-the-workflow',
      PORT: '8123',
      LOADGATE_SIDE: 'head',
    });
  });
});
