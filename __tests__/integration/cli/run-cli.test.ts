import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import {
  eventually,
  exampleCommand,
  freePort,
  newMarker,
  processesWithMarker,
  runCli,
} from './helpers.js';

const QUICK = ['--trials', '2', '--trial-seconds', '0.5', '--warmup', '0.2'];
const markers: string[] = [];

function marker(): string {
  const m = newMarker();
  markers.push(m);
  return m;
}

afterEach(async () => {
  // Whatever a test asserted, nothing it started may outlive it.
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

describe('loadgate run against the example service', () => {
  it('runs the whole preset and writes a complete, bounded result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgate-run-'));
    const out = join(dir, 'result.json');
    const port = await freePort();
    const m = marker();
    const run = await runCli([
      'run',
      '--start',
      exampleCommand(port, m),
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--token',
      'test_superuser_token',
      '--out',
      out,
      ...QUICK,
    ]);
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/list-admins: trial 2\/2 +[\d,.]+ req\/s +p95 [\d.]+ ms/);
    expect(run.stdout).toMatch(/scenario\s+trials\s+req\/s\s+p50\s+p95/);
    expect(run.stdout + run.stderr).not.toContain('test_superuser_token');
    expect(processesWithMarker(m)).toEqual([]);

    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.schemaVersion).toBe(1);
    expect(result.environment.cores).toBeGreaterThan(0);
    expect(result.config.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(result.scenarios.map((s) => s.name)).toEqual([
      'list-admins',
      'search-admins',
      'get-admin',
      'grant-permission',
      'bulk-deactivate',
      'concurrent-admins',
      'create-admin',
    ]);
    for (const scenario of result.scenarios) {
      expect(scenario.failure, scenario.name).toBeUndefined();
      expect(scenario.trials).toHaveLength(2);
      for (const trial of scenario.trials) {
        expect(trial.metrics.requests, scenario.name).toBeGreaterThan(0);
        expect(
          trial.metrics.errorRate,
          `${scenario.name} ${JSON.stringify(trial.metrics.statusCodes)}`,
        ).toBe(0);
        expect(trial.metrics.p50).toBeGreaterThan(0);
        expect(trial.metrics.p95).toBeGreaterThanOrEqual(trial.metrics.p50);
        expect(trial.metrics.p99).toBeGreaterThanOrEqual(trial.metrics.p95);
        expect(trial.metrics.max).toBeGreaterThanOrEqual(trial.metrics.p99);
        // The example service sends Server-Timing: db;dur=… on every API response.
        expect(trial.metrics.dbP95, scenario.name).toBeGreaterThan(0);
        expect(trial.resources.samples.length).toBeGreaterThanOrEqual(2);
        expect(trial.resources.summary.rssBytesPeak).toBeGreaterThan(10 * 2 ** 20);
      }
      expect(scenario.histogram.length).toBeGreaterThan(0);
    }
    const create = result.scenarios.find((s) => s.name === 'create-admin');
    expect(create?.trials[0]?.metrics.statusCodes['201']).toBeGreaterThan(0);
    const mix = result.scenarios.find((s) => s.name === 'concurrent-admins');
    const endpoints = mix?.trials[0]?.endpoints ?? {};
    expect(Object.keys(endpoints).sort()).toEqual([
      'create',
      'get',
      'grant',
      'list',
      'search',
      'update',
    ]);
    for (const [name, e] of Object.entries(endpoints)) expect(e.requests, name).toBeGreaterThan(0);
    // The mix's weights (list 4 : create 1) show in what was sent.
    expect((endpoints.list?.requests ?? 0) / (endpoints.create?.requests ?? 1)).toBeGreaterThan(2);
    const bulk = result.scenarios.find((s) => s.name === 'bulk-deactivate');
    expect(bulk?.settings.connections).toBe(2);
    // Bounded: no per-request arrays, so the file stays small whatever the request count.
    expect(readFileSync(out).length).toBeLessThan(2_000_000);
  });

  it('exits 2 naming the config path and what was expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgate-cfg-'));
    const config = join(dir, 'loadgate.yml');
    writeFileSync(config, 'defaults:\n  trials: zero\nscenarios:\n  - name: x\n    requests: []\n');
    const run = await runCli(['run', '--config', config, '--base-url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/defaults\.trials: .*expected number/);
    expect(run.stderr).toMatch(/scenarios\[0\]\.requests: .*>=1/);
  });

  it('exits 2 on a bad flag value, naming the flag', async () => {
    const run = await runCli(['run', '--trials', 'many']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--trials: expected a whole number from 1 to 100, got "many"/);
    const unknown = await runCli(['run', '--no-such-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no-such-flag/);
  });

  it('exits 3 with the service output when it cannot start', async () => {
    const run = await runCli([
      'run',
      '--start',
      'echo "boom: cannot bind" >&2; exit 7',
      '--base-url',
      'http://127.0.0.1:9',
      '--ready-timeout',
      '30',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/boom: cannot bind/);
    expect(run.stderr).toMatch(/7/);
  });

  it('exits 3 when the service dies mid-run, and leaves no process behind', async () => {
    const port = await freePort();
    const m = marker();
    // The shell becomes the service (exec); a background child kills it 3 s in.
    const start = `(sleep 3; kill -9 $$) & ${exampleCommand(port, m)}`;
    const run = await runCli([
      'run',
      '--start',
      start,
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--trials',
      '20',
      '--trial-seconds',
      '1',
      '--warmup',
      '0',
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/crash|exited|died|killed|SIGKILL/i);
    expect(await eventually(() => processesWithMarker(m).length === 0)).toBe(true);
  });

  it('stops the service and all its children when loadgate gets SIGTERM', async () => {
    const port = await freePort();
    const m = marker();
    // A child of the service's shell that would outlive a careless kill of the leader alone.
    const start = `env LOADGATE_TEST_MARKER=${m} sleep 300 & ${exampleCommand(port, m)}`;
    let signalled = false;
    const run = await runCli(
      [
        'run',
        '--start',
        start,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--trials',
        '20',
        '--trial-seconds',
        '1',
      ],
      {
        onStderr: (text, child) => {
          if (!signalled && /trial 1\//.test(text)) {
            signalled = true;
            expect(processesWithMarker(m).length).toBeGreaterThanOrEqual(2);
            child.kill('SIGTERM');
          }
        },
      },
    );
    expect(signalled).toBe(true);
    expect(run.code).toBe(143);
    expect(await eventually(() => processesWithMarker(m).length === 0)).toBe(true);
  });
});
