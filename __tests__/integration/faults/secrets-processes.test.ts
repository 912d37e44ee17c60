/**
 * No secret leaves through the processes loadgate starts, at the lowest level that shows it: the
 * service, the setup command and the seed command get the workflow's environment without
 * loadgate's inputs (INPUT_*), and what they print (log tails, stderr, a setup step's answer)
 * comes back redacted, also where it is cut.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEnv } from '../../fakes/env.js';
import { freePort, ROOT } from '../cli/helpers.js';
import {
  clearSecrets,
  registerSecret,
  registerSecretsFromEnv,
  registerUrlSecrets,
} from '../../../src/redact/index.js';
import { executeRun } from '../../../src/run/execute.js';
import { startService } from '../../../src/service/index.js';
import { runSeedCommand } from '../../../src/service/seed-command.js';
import { runSetupCommand } from '../../../src/service/setup-command.js';

const TOKEN = 'lgauth-7c1e2a9f4b3d';
const API_KEY = 'pk_live_5e6f7a8b9c0d';
const DB_PASSWORD = 'db@Pass-51e0c7';
const REDIS_PASSWORD = 'rd-Pass-0a8c2e';
const SERVICE = join(ROOT, '__tests__/integration/faults/secrets-service.mjs');
/**
 * The environment loadgate gave the shell, only the lines that matter (a tail keeps 50 lines).
 * Read from /proc: dash, Ubuntu's /bin/sh, drops names with a "-" (INPUT_AUTH-TOKEN) from what
 * `env` sees, but they are in the process's environment (and bash passes them on).
 */
const PRINT_ENV =
  "tr '\\0' '\\n' < /proc/$$/environ | grep -E '^(INPUT_|SAFE_MARKER|PAYMENTS_API_KEY|DATABASE_URL)'";
const PRINT_ENV_MATCH = '^(INPUT_|SAFE_MARKER|PAYMENTS_API_KEY|DATABASE_URL)';

/** The secret, and its first and last 8 characters: a cut must not leave part of it either. */
function leaks(text: string): string[] {
  return [TOKEN, API_KEY, DB_PASSWORD, REDIS_PASSWORD]
    .flatMap((s) => [s, s.slice(0, 8), s.slice(-8)])
    .filter((part) => text.includes(part));
}

/** The error `work` rejects with (the test fails when it resolves). */
async function failure(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('expected a failure');
  return outcome;
}

let restoreEnv: () => void;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lg-secrets-'));
  // As the runner starts the action: its inputs in INPUT_*, the workflow's env beside them.
  restoreEnv = applyEnv({
    'INPUT_AUTH-TOKEN': TOKEN,
    'INPUT_REDIS-URL': `redis://:${REDIS_PASSWORD}@127.0.0.1:1`,
    PAYMENTS_API_KEY: API_KEY,
    DATABASE_URL: `postgres://app:${DB_PASSWORD}@127.0.0.1:1/app`,
    SAFE_MARKER: 'visible-1234',
  });
  registerSecret(TOKEN);
  registerUrlSecrets(`redis://:${REDIS_PASSWORD}@127.0.0.1:1`);
  registerSecretsFromEnv(process.env);
});

afterAll(() => {
  restoreEnv();
  clearSecrets();
  rmSync(dir, { recursive: true, force: true });
});

describe('a service that prints its environment', () => {
  it('`env; exit 1`: no input in its environment, the rest redacted in the error', async () => {
    const port = await freePort();
    const error = await startService({
      command: `${PRINT_ENV}; exit 1`,
      cwd: dir,
      baseUrl: `http://127.0.0.1:${port}`,
      readyUrl: `http://127.0.0.1:${port}/health`,
      readyTimeoutMs: 10_000,
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    const message = error?.message ?? '';
    expect(message).toContain('exited with code 1');
    expect(message).toContain('SAFE_MARKER=visible-1234'); // the environment was printed
    expect(message).not.toMatch(/^\s*INPUT_/m);
    expect(message).toContain('PAYMENTS_API_KEY=***');
    expect(leaks(message)).toEqual([]);
  });

  it('printing secrets while it runs, then crashing: the crash message is redacted', async () => {
    const port = await freePort();
    const service = await startService({
      command: `exec node ${SERVICE}`,
      cwd: dir,
      env: { PORT: String(port), CRASH_AFTER_MS: '300', ECHO_VALUE: TOKEN, PRINT_ENV_MATCH },
      baseUrl: `http://127.0.0.1:${port}`,
      readyUrl: `http://127.0.0.1:${port}/health`,
      readyTimeoutMs: 10_000,
    });
    const error = await service.crashed.catch((e: Error) => e);
    await service.stop();
    expect(error.message).toContain('while loadgate was running');
    expect(error.message).toContain('ECHO_VALUE was ***');
    expect(error.message).toContain('PAYMENTS_API_KEY=***');
    expect(error.message).not.toMatch(/^\s*INPUT_/m);
    expect(leaks(error.message)).toEqual([]);
  });
});

describe('the setup command and the seed command', () => {
  it('a failing setup command: no input in its environment, its output redacted', async () => {
    const error = await runSetupCommand(`${PRINT_ENV}; exit 2`, dir, {}).catch((e: Error) => e);
    expect(error?.message).toContain('SAFE_MARKER=visible-1234');
    expect(error?.message).not.toMatch(/^\s*INPUT_/m);
    expect(leaks(error?.message ?? '')).toEqual([]);
  });

  it("a failing seed command's stderr is redacted, also where the message cuts it", async () => {
    const whole = await failure(
      runSeedCommand(
        `${PRINT_ENV} >&2; printf "seed failed: token=%s\\n" "$LOADGATE_TOKEN" >&2; exit 1`,
        { LOADGATE_TOKEN: TOKEN },
        10,
      ),
    );
    expect(whole.message).toContain('token=***');
    expect(whole.message).not.toMatch(/^\s*INPUT_/m);
    expect(leaks(whole.message)).toEqual([]);
    // The token followed by 495 characters (a message that keeps the last 500 cuts through it).
    const cut = await failure(
      runSeedCommand(
        'printf "token=%s" "$LOADGATE_TOKEN" >&2; printf "%0495d" 0 | tr 0 y >&2; exit 1',
        { LOADGATE_TOKEN: TOKEN },
        10,
      ),
    );
    expect(cut.message).toMatch(/y{495}$/);
    expect(leaks(cut.message)).toEqual([]);
  });
});

describe('a setup step whose request holds the token', () => {
  it('fails its scenario with the rendered path and the echoed answer redacted', async () => {
    const port = await freePort();
    const config = join(dir, 'setup-fails.json');
    writeFileSync(
      config,
      JSON.stringify({
        preset: 'none',
        defaults: {
          trials: 1,
          trialSeconds: 0.2,
          warmupSeconds: 0,
          connections: 1,
          headers: { authorization: 'Bearer {{token}}' },
        },
        scenarios: [
          {
            name: 'setup-echoes-token',
            setup: [
              {
                pool: 'ids',
                count: 4,
                concurrency: 1,
                request: {
                  method: 'POST',
                  path: '/fail/{{token}}?key={{env.PAYMENTS_API_KEY}}',
                  expect: 201,
                },
              },
            ],
            requests: [{ name: 'get', path: '/items/{{pool.ids}}' }],
          },
        ],
      }),
    );
    const result = await executeRun({
      start: `exec node ${SERVICE}`,
      env: { PORT: String(port) },
      cwd: dir,
      baseUrl: `http://127.0.0.1:${port}`,
      readyTimeoutSeconds: 10,
      token: TOKEN,
      config,
    });
    const failure = result.scenarios[0]?.failure ?? '';
    expect(failure).toContain('setup of pool "ids" failed');
    expect(failure).toContain('POST /fail/***?key=***');
    expect(leaks(JSON.stringify(result))).toEqual([]);
  });
});
