/**
 * The CLI (from source, as `loadgate` runs) inside a GitHub Actions step: a service's output it
 * echoes cannot be read as workflow commands, and neither its console output nor the files it
 * writes hold a secret (it registers `--token`, `$LOADGATE_TOKEN`, URL passwords and the
 * environment's secrets itself: other CI systems mask nothing).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, runCli } from '../cli/helpers.js';

const TOKEN = 'lgcli-3e4f5a6b7c8d';
const REDIS_PASSWORD = 'rd@Pass-77aa1f';
const API_KEY = 'sk_test_1a2b3c4d5e6f';
const SERVICE = join(ROOT, '__tests__/integration/faults/secrets-service.mjs');

function leaks(text: string): string[] {
  return [TOKEN, REDIS_PASSWORD, API_KEY]
    .flatMap((s) => [s, s.slice(0, 8), s.slice(-8)])
    .filter((part) => text.includes(part));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lg-secrets-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  GITHUB_ACTIONS: 'true',
  LOADGATE_TOKEN: TOKEN,
  STRIPE_API_KEY: API_KEY,
};

describe('loadgate run in an Actions step, the service printing secrets and commands', () => {
  it('echoes its output between stop-commands lines, redacted', async () => {
    const port = await freePort();
    const run = await runCli(
      [
        'run',
        '--start',
        `echo '::add-mask::not-from-loadgate'; echo "  ::error::pwned $LOADGATE_TOKEN"; ` +
          `echo "key=$STRIPE_API_KEY redis=redis://:${REDIS_PASSWORD}@127.0.0.1:1"; exit 1`,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--redis-url',
        `redis://:${REDIS_PASSWORD}@127.0.0.1:1`,
        '--ready-timeout',
        '10',
        '--cwd',
        dir,
      ],
      { env },
    );
    expect(run.code).toBe(3);
    const lines = run.stderr.split('\n');
    const start = lines.findIndex((l) => /^::stop-commands::[0-9a-f]{32}$/.test(l));
    expect(start, run.stderr).toBeGreaterThanOrEqual(0);
    const token = (lines[start] ?? '').slice('::stop-commands::'.length);
    const end = lines.indexOf(`::${token}::`);
    expect(end).toBeGreaterThan(start);
    // Every line that looks like a command is between the two.
    lines.forEach((line, i) => {
      if (/^\s*::/.test(line) && i !== start && i !== end) {
        expect(i > start && i < end, line).toBe(true);
      }
    });
    expect(run.stderr).toContain('::error::pwned ***');
    expect(run.stderr).toContain('key=*** redis=redis://:***@127.0.0.1:1');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  });
});

describe('loadgate gate: its files and console', () => {
  it('hold no secret when a setup step fails echoing the token', async () => {
    const port = await freePort();
    const config = join(dir, 'loadgate.json');
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
                count: 2,
                concurrency: 1,
                request: { method: 'POST', path: '/fail/{{env.STRIPE_API_KEY}}', expect: 201 },
              },
            ],
            requests: [{ name: 'get', path: '/items/{{pool.ids}}' }],
          },
          { name: 'fine', requests: [{ name: 'get', path: '/items' }] },
        ],
      }),
    );
    const run = await runCli(
      [
        'gate',
        '--start',
        `exec env PORT=${port} node ${SERVICE}`,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--config',
        config,
        '--cwd',
        dir,
        '--baseline',
        'none.json',
        '--out',
        'result.json',
        '--report',
        'report.md',
        '--json',
        'verdict.json',
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(1); // the failed scenario fails the gate
    const files = ['result.json', 'report.md', 'verdict.json'].map((f) => join(dir, f));
    for (const file of files) expect(existsSync(file), file).toBe(true);
    const result = JSON.parse(readFileSync(files[0]!, 'utf8')) as {
      scenarios: { failure?: string }[];
    };
    expect(result.scenarios[0]?.failure).toContain('POST /fail/*** → 500');
    const everything = [run.stdout, run.stderr, ...files.map((f) => readFileSync(f, 'utf8'))];
    expect(leaks(everything.join('\n'))).toEqual([]);
  });
});
