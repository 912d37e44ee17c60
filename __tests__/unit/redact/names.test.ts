import { describe, expect, it } from 'vitest';
import { looksSecretName } from '../../../src/redact/names.js';
import { secretsFromEnv, secretsInText } from '../../../src/redact/recognise.js';

describe('looksSecretName', () => {
  it.each([
    'GITHUB_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'INPUT_AUTH-TOKEN',
    'DB_PASSWORD',
    'MYSQL_PASSWD',
    'DB_PASS',
    'DB_PWD',
    'AWS_SECRET_ACCESS_KEY',
    'API_KEY',
    'apiKey',
    'accessToken',
    'sessionId',
    'SESSION_COOKIE',
    'BASIC_AUTH',
    'SENTRY_DSN',
    'GH_PAT',
    'GOOGLE_CREDENTIALS',
    'SSH_PRIVATE',
    'GPG_PASSPHRASE',
    'password',
  ])('%s looks secret', (name) => {
    expect(looksSecretName(name)).toBe(true);
  });

  it.each(['PWD', 'OLDPWD', 'PATH', 'HOME', 'KEYBOARD', 'PASSENGER', 'GIT_AUTHOR_NAME', 'PORT'])(
    '%s does not',
    (name) => {
      expect(looksSecretName(name)).toBe(false);
    },
  );
});

describe('secretsFromEnv', () => {
  it('takes secret-named values, URL credentials of any variable and pairs in values', () => {
    const found = secretsFromEnv({
      PAYMENTS_API_KEY: 'pk_live_4e5f6a7b',
      DATABASE_URL: 'postgres://app:pg-pass-1@db/app',
      CONNECTION: 'Server=db;User=app;Password=ado-pass-22;',
      PATH: '/usr/bin:/bin',
      UNSET: undefined,
    }).map((f) => f.value);
    expect(found).toEqual(expect.arrayContaining(['pk_live_4e5f6a7b', 'pg-pass-1', 'ado-pass-22']));
    expect(found).not.toContain('/usr/bin:/bin');
  });
});

describe('secretsInText', () => {
  it('finds URL credentials, secret pairs and flags in a command', () => {
    const found = secretsInText(
      "DB_PASSWORD=hunter2hunter2 node app.js --token 'cli-token-123' --port 8000 " +
        '--redis redis://:r3dis-pw@127.0.0.1:6379 --api-key=$API_KEY',
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { value: 'hunter2hunter2', source: 'guessed' },
        { value: 'cli-token-123', source: 'guessed' },
        { value: 'r3dis-pw', source: 'given' },
      ]),
    );
    expect(found.map((f) => f.value)).not.toContain('8000');
    expect(found.map((f) => f.value)).not.toContain('$API_KEY');
  });
});

describe('secretsInText, more shapes', () => {
  it('reads JSON pairs and authorization headers', () => {
    const found = secretsInText(
      '{"client_secret": "cs-0a1b2c3d4e", "name": "x"} -H "Authorization: Bearer hdr-9f8e7d6c5b"',
    ).map((f) => f.value);
    expect(found).toEqual(expect.arrayContaining(['cs-0a1b2c3d4e', 'hdr-9f8e7d6c5b']));
    expect(found).not.toContain('x');
  });
});
