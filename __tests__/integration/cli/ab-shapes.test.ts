/**
 * `loadgate ab` with a time budget against the three shapes a regression takes (issue: what a user
 * feels): a request that waits longer on a threaded Python service, one that burns more CPU and
 * one that makes more garbage on the Node one; and a scenario made noisy on purpose, which gets
 * more rounds than a quiet one within a budget. Each fault is on the head only, in one operation:
 * the scenario that calls it is flagged, the one that does not is not. These assert what was
 * measured, so the file runs alone (vitest.config.ts); the rounds are the fewest that decide these
 * faults.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { eventually, newMarker, processesWithMarker, ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-ab-shapes-'));
// Six rounds of two pairs of 0.3 s trials and a steady pair: enough for these faults, judged once
// at the end (the budget's rounds until decided have the noisy test below).
const FIXED = ['--rounds', '6', '--trials', '12'];

interface Verdict {
  scenarios: {
    name: string;
    status: string;
    budget?: { rounds: number; decided: string };
    comparisons: { metric: string; outcome: string }[];
  }[];
}

interface Result {
  ab: { rounds?: number; sequential?: { decided: Record<string, string> } };
  scenarios: { name: string; trials: { round?: number; metrics: { cpuPerRequest?: number } }[] }[];
}

/** Preset scenarios `keep` only, short trials and no warm-up. */
function config(name: string, keep: string[]): string {
  const all = ['list-admins', 'search-admins', 'get-admin', 'grant-permission', 'bulk-deactivate'];
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    [
      'preset: admin',
      `exclude: [${[...all.filter((s) => !keep.includes(s)), 'concurrent-admins', 'create-admin'].join(', ')}]`,
      'defaults: { trialSeconds: 0.3, warmupSeconds: 0 }',
      '',
    ].join('\n'),
  );
  return path;
}

/** Both sides start `command`; `headFaults` on the head only, `bothFaults` on both. */
function start(
  marker: string,
  command: string,
  headFaults: string,
  bothFaults = 'busy-health:0.001ms',
): string {
  return (
    `exec env LOADGATE_TEST_MARKER=${marker} ` +
    `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults}' || echo '${bothFaults}')" ${command}`
  );
}

async function ab(name: string, args: string[], marker: string) {
  const out = join(dir, `${name}.json`);
  const json = join(dir, `${name}-verdict.json`);
  const run = await runCli(
    // No CPU profile round: these runs are about the verdict (profile.test.ts has its own).
    [
      'ab',
      '--base-cwd',
      ROOT,
      '--seed',
      '7',
      '--cpu-profile',
      'off',
      '--out',
      out,
      '--json',
      json,
      ...args,
    ],
    {
      timeoutMs: 150_000,
    },
  );
  expect(await eventually(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  const verdict = JSON.parse(readFileSync(json, 'utf8')) as Verdict;
  const result = JSON.parse(readFileSync(out, 'utf8')) as Result;
  const scenario = (s: string) => verdict.scenarios.find((v) => v.name === s);
  const regressed = (s: string) =>
    scenario(s)
      ?.comparisons.filter((c) => c.outcome === 'regression')
      .map((c) => c.metric) ?? [];
  return { run, verdict, result, scenario, regressed };
}

describe('loadgate ab with a budget, three shapes of regression', () => {
  it('a threaded Python service whose search waits 2 ms more: search-admins is a regression, list-admins is not', async () => {
    const marker = newMarker();
    const { run, result, scenario, regressed } = await ab(
      'python-wait',
      [
        '--start',
        start(marker, 'python3 examples/admin-service-python/admin_service.py', 'slow-search:2ms'),
        '--config',
        config('python-wait', ['list-admins', 'search-admins']),
        ...FIXED,
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(scenario('search-admins')?.status).toBe('regression');
    // Waiting shows in the median and in latency at a steady rate, not in the saturated tails.
    expect(
      regressed('search-admins').some((m) => ['p50', 'steadyP50', 'steadyP95'].includes(m)),
    ).toBe(true);
    expect(scenario('list-admins')?.status).not.toBe('regression');
    expect(result.ab.rounds).toBe(6);
  });

  it('the Node service with search burning CPU and get making garbage: both flagged, list is not', async () => {
    const marker = newMarker();
    const { run, result, scenario, regressed } = await ab(
      'node-cpu-alloc',
      [
        '--start',
        start(marker, `node ${BUNDLED.example}`, 'busy-search:0.3ms,alloc-get:1024kb'),
        '--config',
        config('node-cpu-alloc', ['list-admins', 'search-admins', 'get-admin']),
        ...FIXED,
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(scenario('search-admins')?.status).toBe('regression');
    // The cost of a request is what a CPU-bound change moves directly.
    expect(regressed('search-admins')).toContain('cpuPerRequest');
    expect(scenario('get-admin')?.status).toBe('regression');
    expect(scenario('list-admins')?.status).not.toBe('regression');
    const search = result.scenarios.find((s) => s.name === 'search-admins');
    expect(search?.trials.every((t) => (t.metrics.cpuPerRequest ?? 0) > 0)).toBe(true);
  });
  it('with a budget, a scenario made noisy on purpose (same code) gets more rounds than a quiet one, and passes', async () => {
    const marker = newMarker();
    // Each process draws its own cost of get (up to 0.3 ms more): noise from round to round.
    const noise = 'jitter-get:0.3ms';
    const { run, scenario } = await ab(
      'noisy',
      [
        '--start',
        start(marker, `node ${BUNDLED.example}`, noise, noise),
        '--config',
        config('noisy', ['list-admins', 'get-admin']),
        '--budget',
        '40s',
        '--min-effect',
        '0.4',
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(scenario('list-admins')?.budget?.decided).toBe('within');
    const quiet = scenario('list-admins')?.budget?.rounds ?? 0;
    const noisy = scenario('get-admin')?.budget?.rounds ?? 0;
    expect(quiet).toBeGreaterThanOrEqual(3);
    expect(noisy).toBeGreaterThan(quiet);
    expect(scenario('get-admin')?.status).not.toBe('regression');
  });
});
