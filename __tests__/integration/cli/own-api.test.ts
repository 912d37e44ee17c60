/**
 * A user's own API, not the admin API: the todo example (examples/todo-api, fastify, a bearer
 * token, its OpenAPI document at /openapi.json) counts the requests it answers per route. From
 * its document `loadgate init` writes a loadgate.yml, and `loadgate run` with it drives exactly
 * the generated scenarios, with the token from the environment, and nothing of the admin preset.
 * A hand-written file with scenarios and no `preset` likewise runs only its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import type { RunResult } from '../../../src/result/types.js';
import { freePort, ROOT, runCli } from './helpers.js';

const TOKEN = 'todo-secret-token-5f1c';
const QUICK = ['--trials', '2', '--trial-seconds', '0.5', '--warmup', '0.2'];

let service: ChildProcess;
let baseUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'lg-own-api-'));

/** The requests the service answered so far, per route (`GET /todos/:todoId`). */
async function requestsSeen(): Promise<Record<string, number>> {
  return (await (await fetch(`${baseUrl}/_requests`)).json()) as Record<string, number>;
}

/** What changed between two counts: the requests one run sent. */
function sent(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
      .filter(([route, n]) => n > 0 && route !== 'GET /_requests'),
  );
}

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  service = spawn(process.execPath, [BUNDLED.todoApi], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TODO_API_TOKEN: TOKEN },
    stdio: 'ignore',
  });
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = (await fetch(`${baseUrl}/health`).catch(() => undefined))?.ok ?? false;
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  expect(up).toBe(true);
});

afterAll(() => {
  service.kill('SIGKILL');
});

describe('loadgate init and run against an API of your own', () => {
  it('init --openapi writes the scenarios; run drives those and nothing else (exit 0)', async () => {
    const config = join(dir, 'loadgate.yml');
    const init = await runCli(['init', '--openapi', `${baseUrl}/openapi.json`, '-o', config]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`wrote ${config}: 5 scenarios for Todo API 1.0.0`);
    // The next command: the token to set, the config and the address it was fetched from.
    expect(init.stdout).toContain('export API_TOKEN=');
    expect(init.stdout).toContain(`loadgate run -c ${config} --base-url ${baseUrl}`);
    const written = readFileSync(config, 'utf8');
    expect(written).not.toContain(TOKEN);
    const names = (parseYaml(written) as { scenarios: { name: string }[] }).scenarios.map(
      (s) => s.name,
    );
    expect(names).toEqual([
      'list-todos',
      'search-todos',
      'create-todos',
      'get-todos-by-todo-id',
      'mixed',
    ]);

    // A second init into the same file is refused (nothing overwritten without --force).
    const again = await runCli(['init', '--openapi', `${baseUrl}/openapi.json`, '-o', config]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out: .*loadgate\.yml exists; .* --force to replace it/);

    const before = await requestsSeen();
    const out = join(dir, 'result.json');
    const run = await runCli(['run', '-c', config, '--base-url', baseUrl, '-o', out, ...QUICK], {
      env: { API_TOKEN: TOKEN },
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.scenarios.map((s) => s.name)).toEqual(names);
    for (const scenario of result.scenarios) {
      expect(scenario.failure, scenario.name).toBeUndefined();
      for (const trial of scenario.trials) {
        expect(trial.metrics.requests, scenario.name).toBeGreaterThan(0);
        // Every request carried the token: a 401 would be an error here.
        expect(trial.metrics.errorRate, JSON.stringify(trial.metrics.statusCodes)).toBe(0);
      }
      // No admin SLA numbers: the generic error rate only (the suggestions stay comments).
      expect(scenario.sla).toEqual({ maxErrorRate: 0.01 });
    }
    // What the service saw: the generated routes, the readiness probe, and nothing else.
    const routes = Object.keys(sent(before, await requestsSeen())).sort();
    expect(routes).toEqual(['GET /health', 'GET /todos', 'GET /todos/:todoId', 'POST /todos']);
    expect(run.stderr).toMatch(/^\[1\/5\] list-todos/m);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('a file with scenarios and no preset runs only its scenarios', async () => {
    const config = join(dir, 'own.yml');
    writeFileSync(
      config,
      [
        'defaults: { headers: { authorization: "Bearer {{env.API_TOKEN}}" } }',
        'scenarios:',
        '  - name: page-of-todos',
        '    requests: [{ name: list, path: "/todos?limit=5" }]',
        '',
      ].join('\n'),
    );
    const before = await requestsSeen();
    const out = join(dir, 'own.json');
    const run = await runCli(
      ['run', '--config', config, '--base-url', baseUrl, '--out', out, ...QUICK],
      {
        env: { API_TOKEN: TOKEN },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.scenarios.map((s) => s.name)).toEqual(['page-of-todos']);
    expect(result.scenarios[0]?.trials.every((t) => t.metrics.errorRate === 0)).toBe(true);
    expect(Object.keys(sent(before, await requestsSeen())).sort()).toEqual([
      'GET /health',
      'GET /todos',
    ]);
  });

  it('init from a file, and --url, write what run can read', async () => {
    const document = join(dir, 'openapi.json');
    writeFileSync(document, JSON.stringify(await (await fetch(`${baseUrl}/openapi.json`)).json()));
    const fromFile = await runCli(['init', '--openapi', document, '-o', join(dir, 'file.yml')]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    // From a file there is no address: the default base URL, and the service's /health.
    expect(fromFile.stdout).toContain('--base-url http://127.0.0.1:8000');
    const urls = await runCli([
      'init',
      '--url',
      `${baseUrl}/todos?limit=3`,
      `${baseUrl}/health`,
      '-o',
      join(dir, 'urls.yml'),
    ]);
    expect(urls.code, urls.stderr).toBe(0);
    expect(urls.stdout).toContain('2 scenarios');
    const otherHost = await runCli(['init', '--url', `${baseUrl}/a`, 'http://localhost:1/b']);
    expect(otherHost.code).toBe(2);
    expect(otherHost.stderr).toMatch(/--url: every URL must be on one host/);
    const unreachable = await runCli(['init', '--openapi', 'http://127.0.0.1:1/openapi.json']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(
      /--openapi: cannot fetch http:\/\/127\.0\.0\.1:1\/openapi\.json/,
    );
  });
});
