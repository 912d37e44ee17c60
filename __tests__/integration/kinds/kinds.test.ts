import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../../src/judge/types.js';
import type { RunResult } from '../../../src/result/types.js';
import {
  exampleCommand,
  freePort,
  newMarker,
  processesWithMarker,
  runCli,
} from '../cli/helpers.js';

/**
 * The non-load kinds end to end (`loadgate gate`) against the example service with its fault
 * knobs. Tiny durations: this proves the mechanics and the verdicts, not the figures.
 */

const BASE = '/api/v1/admin-management';
const markers: string[] = [];

afterAll(() => {
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

const pool = {
  pool: 'admins',
  count: 40,
  request: {
    method: 'POST',
    path: `${BASE}/admins`,
    expect: 201,
    body: {
      email: 'k.{{uid}}@loadgate.test',
      nombre: 'PoolAdmin',
      apellido: 'Kinds',
      user_type: 'ADMIN',
      security_clearance_level: 3,
    },
  },
};
const list = { name: 'list', path: `${BASE}/admins?limit=10` };

interface Gate {
  code: number | null;
  stderr: string;
  result: RunResult;
  verdict: Verdict;
  report: string;
}

async function gate(
  config: object,
  profile: string,
  faults: string | undefined,
  extra: string[] = [],
): Promise<Gate> {
  const dir = mkdtempSync(join(tmpdir(), 'loadgate-kinds-'));
  const file = join(dir, 'loadgate.json');
  // Its own scenarios against the admin API: the API's bearer token is the file's to send (with
  // `preset: none` the preset's header is not added).
  const defaults = (config as { defaults?: Record<string, unknown> }).defaults ?? {};
  writeFileSync(
    file,
    JSON.stringify({
      preset: 'none',
      ...config,
      defaults: { ...defaults, headers: { authorization: 'Bearer {{token}}' } },
    }),
  );
  const port = await freePort();
  const m = newMarker();
  markers.push(m);
  const run = await runCli([
    'gate',
    '--start',
    exampleCommand(port, m, faults ? { ADMIN_SERVICE_FAULTS: faults } : {}),
    '--base-url',
    `http://127.0.0.1:${port}`,
    '--config',
    file,
    '--profile',
    profile,
    '--out',
    join(dir, 'result.json'),
    '--json',
    join(dir, 'verdict.json'),
    '--report',
    join(dir, 'report.md'),
    ...extra,
  ]);
  expect(run.stderr).not.toMatch(/unexpected error/);
  expect(processesWithMarker(m)).toEqual([]);
  return {
    code: run.code,
    stderr: run.stderr,
    result: JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult,
    verdict: JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as Verdict,
    report: readFileSync(join(dir, 'report.md'), 'utf8'),
  };
}

describe('stress, spike and volume on a service with a busy list and a slow bulk path', () => {
  it('finds a knee and a breaking point, times the recovery, and breaks the bulk SLA', async () => {
    const run = await gate(
      {
        scenarios: [
          {
            name: 'stress',
            kind: 'stress',
            setup: [pool],
            requests: [list],
            warmupSeconds: 0.2,
            sla: { p95Ms: 20 },
            stress: { startConnections: 1, maxConnections: 64, stepSeconds: 0.5 },
          },
          {
            name: 'spike',
            kind: 'spike',
            setup: [pool],
            requests: [list],
            connections: 2,
            warmupSeconds: 0.2,
            spike: { multiplier: 8, baseSeconds: 1.5, spikeSeconds: 1, afterSeconds: 3 },
          },
          {
            name: 'volume',
            kind: 'volume',
            requests: [list],
            warmupSeconds: 0.2,
            trials: 2,
            trialSeconds: 0.5,
            volume: { admins: 300, grants: 900, bulkUsers: 100 },
            // The seed's 5 s per 100 users, lowered so the slow bulk path breaks it quickly.
            sla: { maxBulkMs: 200 },
          },
        ],
      },
      'full',
      'busy-list:2ms,slow-bulk:400ms',
    );
    expect(run.code, run.stderr).toBe(1);
    const [stress, spike, volume] = run.result.scenarios;

    const s = stress?.kindResult;
    if (s?.kind !== 'stress') throw new Error('no stress result');
    // 2 ms of CPU per list: ~500 req/s at most, so p95 passes 20 ms well before 64 connections.
    expect(s.knee).not.toBeNull();
    expect(s.knee?.throughput).toBeGreaterThan(50);
    expect(s.breakingPoint?.connections).toBeGreaterThan(s.knee?.connections ?? 0);
    expect(s.breakingPoint?.connections).toBeLessThan(64);
    expect(s.breakingPoint?.reason).toMatch(/p95 .* > 20 ms/);
    expect(s.steps.at(-1)?.withinSla).toBe(false);
    expect(s.steps.map((st) => st.connections)).toEqual(
      [1, 2, 4, 8, 16, 32, 64].slice(0, s.steps.length),
    );
    expect(stress?.resources.rssBytesPeak).toBeGreaterThan(0);

    const k = spike?.kindResult;
    if (k?.kind !== 'spike') throw new Error('no spike result');
    expect(k.spike.connections).toBe(16);
    expect(k.spike.p95).toBeGreaterThan(k.base.p95);
    expect(k.spikeStartSecond).toBeGreaterThanOrEqual(1.4);
    expect(k.spikeEndSecond - k.spikeStartSecond).toBeGreaterThan(0.9);
    expect(k.recoverySeconds === null || k.recoverySeconds >= 0).toBe(true);
    const recovery = run.verdict.scenarios[1]?.sla.find((c) => c.check === 'maxRecoverySeconds');
    expect(recovery?.status).not.toBe('not-measured');

    const v = volume?.kindResult;
    if (v?.kind !== 'volume') throw new Error('no volume result');
    expect(v.seeded).toMatchObject({ method: 'api', admins: 300, grants: 900, failedRequests: 0 });
    expect(v.bulk).toMatchObject({ users: 100, action: 'deactivate', status: 200, ok: true });
    expect(v.bulk?.durationMs).toBeGreaterThan(400);
    expect(volume?.trials).toHaveLength(2);

    const bulkBreach = run.verdict.findings.find(
      (f) => f.scenario === 'volume' && f.metric === 'maxBulkMs',
    );
    expect(bulkBreach?.kind).toBe('sla-breach');
    expect(bulkBreach?.severity).toBe('CRITICAL'); // > 2 × 200 ms
    expect(run.report).toMatch(/#### Test kinds/);
    expect(run.report).toMatch(/x-axis "connections" \["1", "2"/);
    expect(run.report).toMatch(/breaking point \*\*\d+ connections\*\*/);
    expect(run.report).toMatch(/spike: p95 per second/);
    expect(run.stderr).toMatch(/stress: 1 connections: \d+ req\/s/);
  });
});

describe('recovery on a service that fails a share of requests', () => {
  it('counts the 5xx as findings while invalid requests are still refused with 4xx', async () => {
    const run = await gate(
      {
        scenarios: [
          {
            name: 'recovery',
            kind: 'recovery',
            requests: [
              list,
              {
                name: 'invalid',
                method: 'POST',
                path: `${BASE}/admins`,
                body: { invalid: 'data' },
                expect: 422,
              },
            ],
            recovery: { invalidShare: 0.2 },
            warmupSeconds: 0.2,
            trials: 2,
            trialSeconds: 0.5,
          },
        ],
      },
      'recovery',
      'error-rate:0.1',
    );
    expect(run.code, run.stderr).toBe(1);
    const k = run.result.scenarios[0]?.kindResult;
    if (k?.kind !== 'recovery') throw new Error('no recovery result');
    expect(k.invalid.requests).toBeGreaterThan(0);
    // Validation comes before the knobs: every invalid request is refused cleanly.
    expect(k.invalid.fourxx).toBe(k.invalid.requests);
    expect(k.valid.fivexx).toBeGreaterThan(0);
    expect(k.validSuccessRate).toBeGreaterThan(0.85);
    expect(k.validSuccessRate).toBeLessThan(0.95);
    expect(k.healthAfter.ok).toBe(true);
    const metrics = run.verdict.findings.map((f) => f.metric);
    expect(metrics).toContain('maxServerErrors');
    expect(metrics).toContain('minValidSuccessRate');
    expect(run.verdict.findings.find((f) => f.metric === 'maxServerErrors')?.severity).toBe(
      'CRITICAL',
    );
  });

  it('passes on a healthy service', async () => {
    const run = await gate(
      {
        scenarios: [
          {
            name: 'recovery',
            kind: 'recovery',
            requests: [
              list,
              { name: 'invalid', method: 'POST', path: `${BASE}/admins`, body: {}, expect: 422 },
            ],
            warmupSeconds: 0,
            trials: 1,
            trialSeconds: 0.5,
          },
        ],
      },
      'recovery',
      undefined,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.verdict.findings).toEqual([]);
  });
});

// The two soaks run at once: each paces its own service at a fixed 150 req/s (a small share of
// what either serves), and each service's RSS is its own.
describe.concurrent('soak', () => {
  const soak = (seconds: number) => ({
    scenarios: [
      {
        name: 'soak',
        kind: 'soak',
        setup: [pool],
        requests: [list, { name: 'get', path: `${BASE}/admins/{{pool.admins}}` }],
        connections: 4,
        warmupSeconds: 0.5,
        // Over the 6 s the trend is fitted on, the clean example's RSS swings ±10–35 MB with its
        // garbage collections (measured: slopes of −348 to +98 MB/min): a rise must pass 30 MB
        // to be a leak here. The leaking service grows about 57 MB in those seconds.
        soak: { seconds, windowSeconds: 1, rate: 150, minLeakGrowthMb: 30 },
      },
    ],
  });

  it('reports a leak when the service retains 64 KB a request', async ({ expect }) => {
    const run = await gate(soak(9), 'soak', 'leak:64kb');
    expect(run.code, run.stderr).toBe(1);
    const k = run.result.scenarios[0]?.kindResult;
    if (k?.kind !== 'soak') throw new Error('no soak result');
    // 150 req/s × 64 KB ≈ 560 MB/min.
    expect(k.rss?.slope).toBeGreaterThan(100);
    expect(k.rss?.slopeLower).toBeGreaterThan(0);
    expect(k.leak).toBe(true);
    expect(k.windows.length).toBeGreaterThanOrEqual(8);
    expect(k.rate).toBe(150);
    const leak = run.verdict.findings.find((f) => f.metric === 'maxLeakMbPerMin');
    expect(leak?.kind).toBe('sla-breach');
    expect(leak?.severity).toBe('CRITICAL');
    expect(run.report).toMatch(/RSS slope: \*\*[\d.]+ MB\/min\*\*.*❌/);
  });

  it('reports no leak on a clean service', async ({ expect }) => {
    const run = await gate(soak(9), 'soak', undefined);
    const k = run.result.scenarios[0]?.kindResult;
    if (k?.kind !== 'soak') throw new Error('no soak result');
    expect(k.leak).toBe(false);
    expect(run.verdict.findings.filter((f) => f.metric === 'maxLeakMbPerMin')).toEqual([]);
    expect(run.code, run.stderr).toBe(0);
  });
});
