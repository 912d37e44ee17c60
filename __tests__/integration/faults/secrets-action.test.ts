/**
 * End to end through the bundled action (dist/index.js under Node 24, the fake GitHub): a
 * service that prints its environment (`env; exit 1`), one that prints secrets while it runs and
 * then crashes, and a run whose setup step and seed command print the token. Nothing written to
 * the job summary, the comment, the artifacts, the files or the step's log holds a secret (nor
 * its first or last 8 characters), and the service never sees loadgate's inputs.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../../fakes/github-server.js';
import type { FakeGitHub, FakeRun } from '../../fakes/github-server.js';
import { freePort, ROOT } from '../cli/helpers.js';
import { payload, runAction } from '../action/harness.js';
import type { ActionRun } from '../action/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AUTH_TOKEN = 'lgauth-7c1e2a9f4b3d';
const GITHUB_TOKEN = 'ghs_lgInputToken5f4e3d2c1b0a99887766';
const PG_PASSWORD = 'pg@Pass-9d3b7a'; // an "@" in the password, unencoded
const REDIS_PASSWORD = 'rd-Pass-0a8c2e';
const API_KEY = 'pk_live_5e6f7a8b9c0d';
const DB_PASSWORD = 'db@Pass-51e0c7';
const SECRETS = [AUTH_TOKEN, GITHUB_TOKEN, PG_PASSWORD, REDIS_PASSWORD, API_KEY, DB_PASSWORD];
const SERVICE = join(ROOT, '__tests__/integration/faults/secrets-service.mjs');
/** What the fixture service prints of its environment (a log tail keeps 50 lines). */
const PRINTED = '^(INPUT_|ACTIONS_RUNTIME|PAYMENTS_API_KEY|DATABASE_URL|PLAIN_MARKER)';

let fake: FakeGitHub;
const temps: string[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub({ owner: 'octo-org', repo: 'admin-api' });
});
afterAll(async () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  await fake.close();
});

/** The workflow's own environment: secrets the service is meant to have, and a plain value. */
function workflowEnv(run: FakeRun): Record<string, string> {
  return fake.envFor(run, {
    PAYMENTS_API_KEY: API_KEY,
    DATABASE_URL: `postgres://app:${DB_PASSWORD}@127.0.0.1:1/app`,
    PLAIN_MARKER: 'visible-1234',
    PRINT_ENV_MATCH: PRINTED,
  });
}

async function inputs(start: string, config?: object): Promise<Record<string, string>> {
  const port = await freePort();
  const file = join(ROOT, '.loadgate', `secrets-${process.pid}-${port}.json`);
  if (config) {
    // A clean clone has no .loadgate/ yet.
    mkdirSync(join(ROOT, '.loadgate'), { recursive: true });
    writeFileSync(file, JSON.stringify(config));
    temps.push(file);
  }
  return {
    'start-command': start.replace('{port}', String(port)),
    'base-url': `http://127.0.0.1:${port}`,
    'ready-timeout': '20',
    'auth-token': AUTH_TOKEN,
    'github-token': GITHUB_TOKEN,
    'postgres-url': `postgres://lg_user:${PG_PASSWORD}@127.0.0.1:1/lg`,
    'redis-url': `redis://:${REDIS_PASSWORD}@127.0.0.1:1`,
    ...(config ? { config: file } : {}),
  };
}

function prEvent(number: number): Json {
  return payload<Json>('pull_request-same-repo.json', (p) => {
    p.number = number;
    p.pull_request.number = number;
  });
}

function prRun(number: number): FakeRun {
  return fake.addRun({
    event: 'pull_request',
    headBranch: 'feature',
    pullRequests: [number],
    status: 'in_progress',
    conclusion: null,
  });
}

/** Every file under `dir`, by path. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, filesUnder(path));
    else out[path] = readFileSync(path, 'utf8');
  }
  return out;
}

/**
 * Everything the run wrote: the summary, the comments, every artifact's files, the files under
 * the runner's temp folder and the step's log (without the `::add-mask::` lines, which the
 * runner consumes to mask those very values).
 */
function written(run: ActionRun, fakeRun: FakeRun, pr?: number): Record<string, string> {
  const out: Record<string, string> = {
    summary: run.summary,
    log: `${run.stdout}\n${run.stderr}`
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
  };
  for (const [i, c] of (pr === undefined ? [] : fake.comments(pr)).entries()) {
    out[`comment ${i}`] = c.body;
  }
  for (const artifact of fake.artifactsOf(fakeRun.id)) {
    for (const [file, data] of Object.entries(fake.artifactFiles(artifact.id))) {
      out[`${artifact.name}/${file}`] = data.toString('utf8');
    }
  }
  for (const [path, text] of Object.entries(filesUnder(join(run.temp, 'runner-temp')))) {
    out[path] = text;
  }
  return out;
}

function expectNoSecret(texts: Record<string, string>): void {
  const parts = SECRETS.flatMap((s) => [s, s.slice(0, 8), s.slice(-8)]);
  const found = Object.entries(texts).flatMap(([where, text]) =>
    parts.filter((p) => text.includes(p)).map((p) => `${where}: ${p}`),
  );
  expect(found).toEqual([]);
}

describe('a service that prints its environment', () => {
  it('`env; exit 1`: nothing published holds a secret, the service had no input', async () => {
    const run = prRun(71);
    const out = await runAction({
      // What loadgate gave the shell (dash's `env` would not show names with a "-").
      inputs: await inputs(`tr '\\0' '\\n' < /proc/$$/environ | grep -E '${PRINTED}'; exit 1`),
      event: prEvent(71),
      env: workflowEnv(run),
    });
    expect(out.code).toBe(1);
    expect(out.outputs.verdict).toBe('error');
    // The environment was printed and published (redacted), without loadgate's inputs.
    expect(out.summary).toContain('PLAIN_MARKER=visible-1234');
    expect(out.summary).toContain('PAYMENTS_API_KEY=***');
    expect(out.summary).not.toMatch(/INPUT_|ACTIONS_RUNTIME_TOKEN/);
    expect(fake.comments(71)[0]?.body).toContain('PAYMENTS_API_KEY=***');
    // GitHub masks the tokens and the URL passwords in the log too.
    const masks = out.commands.filter((c) => c.kind === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining([AUTH_TOKEN, GITHUB_TOKEN, PG_PASSWORD]));
    expectNoSecret(written(out, run, 71));
  });

  it('printing secrets while it runs, then crashing: nothing published holds a secret', async () => {
    const run = prRun(72);
    const out = await runAction({
      inputs: await inputs(
        `exec env CRASH_AFTER_MS=1500 ECHO_VALUE=${AUTH_TOKEN} PORT={port} node ${SERVICE}`,
        {
          preset: 'none',
          defaults: { trials: 6, trialSeconds: 0.5, warmupSeconds: 0, connections: 2 },
          scenarios: [{ name: 'steady', requests: [{ name: 'get', path: '/items' }] }],
        },
      ),
      event: prEvent(72),
      env: workflowEnv(run),
    });
    expect(out.code).toBe(1);
    expect(out.summary).toContain('the service crashed during the run');
    expect(out.summary).toContain('ECHO_VALUE was ***');
    expect(out.summary).toContain('PLAIN_MARKER=visible-1234');
    expect(out.summary).not.toMatch(/INPUT_|ACTIONS_RUNTIME_TOKEN/);
    expect(fake.comments(72)[0]?.body).toContain('ECHO_VALUE was ***');
    expectNoSecret(written(out, run, 72));
  });
});

describe('a setup step and a seed command that print the token', () => {
  it('the stored baseline and the report artifact hold no secret', async () => {
    const run = fake.addRun({
      event: 'push',
      headBranch: 'main',
      status: 'in_progress',
      conclusion: null,
    });
    const out = await runAction({
      inputs: await inputs(`exec env PORT={port} node ${SERVICE}`, {
        preset: 'none',
        defaults: {
          trials: 1,
          trialSeconds: 0.3,
          warmupSeconds: 0,
          connections: 2,
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
          {
            name: 'seed-prints-token',
            kind: 'volume',
            profiles: ['pr'],
            volume: {
              admins: 10,
              grants: 0,
              bulkUsers: 0,
              seedCommand:
                `tr '\\0' '\\n' < /proc/$$/environ | grep -E "^INPUT_" >&2; ` +
                'echo "seeding failed, token=$LOADGATE_TOKEN" >&2; exit 3',
            },
            requests: [{ name: 'list', path: '/items' }],
          },
          { name: 'fine', requests: [{ name: 'get', path: '/items' }] },
        ],
      }),
      event: payload('push-main.json'),
      env: workflowEnv(run),
    });
    expect(out.code).toBe(1); // two scenarios failed
    const names = fake.artifactsOf(run.id).map((a) => a.name);
    expect(names.sort()).toEqual(['loadgate-baseline', 'loadgate-report-perf']);
    const baseline = fake.artifactsOf(run.id).find((a) => a.name === 'loadgate-baseline')!;
    const stored = JSON.parse(
      fake.artifactFiles(baseline.id)['loadgate-baseline.json']!.toString('utf8'),
    ) as { scenarios: { name: string; failure?: string }[] };
    const failures = Object.fromEntries(stored.scenarios.map((s) => [s.name, s.failure]));
    expect(failures['setup-echoes-token']).toContain('POST /fail/***?key=***');
    expect(failures['seed-prints-token']).toContain('seeding failed, token=***');
    expect(failures['seed-prints-token']).not.toContain('INPUT_');
    expect(failures.fine).toBeUndefined();
    expectNoSecret(written(out, run));
  });
});
