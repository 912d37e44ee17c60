/**
 * `loadgate ab`: two copies of the example service started side by side by loadgate (each with
 * its own PORT and LOADGATE_SIDE), measured in pairs of trials (a duet by default, interleaved on
 * request) and judged paired. These tests assert what was measured, so they run alone; the
 * behaviour on errors and signals is in ab-errors.test.ts.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedCpus } from '../../../src/service/cpu-affinity.js';
import { abArgs, abScenarioFiles, sideOf } from './ab-helpers.js';
import { eventually, newMarker, ownDatabase, processesWithMarker, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-ab-'));
const database = ownDatabase('lg_ab', { beforeAll, afterAll });
// The sides' own databases, created by the example service from DATABASE_URL's.
afterAll(async () => {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const name = new URL(database).pathname.slice(1);
    for (const side of ['base', 'head']) {
      await client.query(`DROP DATABASE IF EXISTS ${name}_${side} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
});
const { config, oneScenario } = abScenarioFiles(dir);

/** Whether a process runs without address randomisation (ADDR_NO_RANDOMIZE in its personality). */
function fixedLayoutOf(pid: number): boolean | undefined {
  try {
    const flags = Number.parseInt(readFileSync(`/proc/${pid}/personality`, 'utf8'), 16);
    return (flags & 0x0040000) !== 0;
  } catch {
    return undefined;
  }
}

/** The CPUs a process may run on (Cpus_allowed_list), while it runs. */
function cpusOf(pid: number): string | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1];
  } catch {
    return undefined;
  }
}

interface VerdictFile {
  mode: string;
  scenarios: { name: string; status: string; comparisons: { metric: string; outcome: string }[] }[];
}

describe('loadgate ab (base and head side by side)', () => {
  it('finds a slower search on the head only, in that scenario only, and stops both services', async () => {
    const marker = newMarker();
    const out = join(dir, 'fault.json');
    const json = join(dir, 'fault-verdict.json');
    const report = join(dir, 'fault.md');
    // The CPUs each service process may use and its address layout, read while they run.
    const pinned = new Set<string>();
    const layouts = new Set<boolean | undefined>();
    // Every service process seen, per side: a run of rounds restarts both between rounds.
    const seen: Record<string, Set<number>> = { base: new Set(), head: new Set() };
    const run = await runCli(
      // CPU work here; the action's base-commit test checks a fault that waits.
      abArgs(config, marker, 'busy-search:2ms', [
        // A fixed number of rounds (the default is a budget: rounds until each scenario is
        // decided), so the rounds asserted below are known in advance.
        '--rounds',
        '5',
        '--schedule',
        'duet',
        '--out',
        out,
        '--json',
        json,
        '--report',
        report,
        '--min-effect',
        '0.2',
      ]),
      {
        onStderr: (text) => {
          if (/ (trial \d+\/10|pair \d+) /.test(text)) {
            for (const pid of processesWithMarker(marker)) seen[sideOf(pid) ?? '?']?.add(pid);
          }
          if (pinned.size > 0 || !/ (trial 2\/10|pair 2) /.test(text)) return;
          for (const pid of processesWithMarker(marker)) {
            pinned.add(cpusOf(pid) ?? 'gone');
            layouts.add(fixedLayoutOf(pid));
          }
        },
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const verdict = JSON.parse(readFileSync(json, 'utf8')) as VerdictFile;
    expect(verdict.mode).toBe('paired');
    const status = Object.fromEntries(verdict.scenarios.map((s) => [s.name, s.status]));
    expect(status['search-admins']).toBe('regression');
    expect(status['list-admins']).not.toBe('regression');
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      scenarios: { solo?: { trials: unknown[] }; trials: { round?: number }[] }[];
      ab: {
        seed: number;
        rounds?: number;
        schedule: string;
        serviceCpus?: string;
        layout?: string;
        order: Record<string, string[]>;
        base: { scenarios: { solo?: { trials: unknown[] } }[] };
      };
    };
    expect(result.ab.seed).toBe(5);
    expect(result.ab.schedule).toBe('duet');
    expect(result.ab.order['search-admins']).toHaveLength(10);
    // 10 pairs in 5 rounds of 2, both services started 5 times.
    expect(result.ab.rounds).toBe(5);
    expect(result.scenarios[1]?.trials.map((t) => t.round)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(seen['base']?.size).toBeGreaterThanOrEqual(5);
    expect(seen['head']?.size).toBeGreaterThanOrEqual(5);
    expect(result.ab.base.scenarios).toHaveLength(2);
    // Both services pinned to one CPU, the last this machine gives (2+ CPUs here).
    const lastCpu = String(allowedCpus()?.at(-1));
    expect(result.ab.serviceCpus).toBe(lastCpu);
    expect([...pinned]).toEqual([lastCpu]);
    // Both started without address randomisation (setarch -R): the same code, the same layout.
    expect(result.ab.layout).toBe('fixed');
    expect([...layouts]).toEqual([true]);
    // Each side alone after the pairs: the head's for the SLA checks, the base's so both sides'
    // data stays the same size.
    expect(result.scenarios.map((s) => s.solo?.trials.length)).toEqual([3, 3]);
    expect(result.ab.base.scenarios.map((s) => s.solo?.trials.length)).toEqual([3, 3]);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/^base `[0-9a-f]{7}` → head `[0-9a-f]{7}`, side by side · /m);
    expect(text).toMatch(/<summary>Method: 10 pairs in 5 rounds, α [\d.]+, min effect \d+ %/);
    expect(text).toMatch(
      /^- Pairs: both sides at once on CPU \d+; the SLA checks on the head alone; .*; both services restarted between rounds\.$/m,
    );
    expect(await eventually(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  });

  it('passes when both sides run the same code; on Postgres each side keeps its own database', async () => {
    const marker = newMarker();
    const json = join(dir, 'same-verdict.json');
    const run = await runCli(
      abArgs(oneScenario, marker, undefined, [
        '--rounds',
        '5',
        '--out',
        join(dir, 'same.json'),
        '--json',
        json,
        '--min-effect',
        '0.2',
        '--postgres-url',
        `${database}_{side}`,
        '--schedule',
        'interleaved',
        '--rounds',
        '5',
      ]),
      { env: { DATABASE_URL: database } },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const verdict = JSON.parse(readFileSync(json, 'utf8')) as VerdictFile;
    expect(verdict.scenarios.every((s) => s.status !== 'regression')).toBe(true);
    expect(processesWithMarker(marker)).toEqual([]);
    // LOADGATE_SIDE in the example service's database name: each side wrote its own admins,
    // and each side's monitor counted the connections of its own database.
    for (const side of ['base', 'head']) {
      const client = new pg.Client({ connectionString: `${database}_${side}` });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM admins');
        expect(rows[0]?.n, side).toBeGreaterThan(0);
      } finally {
        await client.end();
      }
    }
    const result = JSON.parse(readFileSync(join(dir, 'same.json'), 'utf8')) as {
      scenarios: { resources: { pgConnectionsPeak?: number }; solo?: unknown }[];
      ab: {
        schedule: string;
        serviceCpus?: string;
        order: Record<string, string[]>;
        base: { scenarios: { resources: { pgConnectionsPeak?: number } }[] };
      };
    };
    // One side after the other, in the seeded order; no pinning, no head-alone trials.
    expect(result.ab.schedule).toBe('interleaved');
    expect(result.ab.serviceCpus).toBeUndefined();
    const order = Object.values(result.ab.order).flat();
    expect(order.length).toBe(10);
    expect(order.every((o) => o === 'base-first' || o === 'head-first')).toBe(true);
    expect(result.scenarios[0]?.solo).toBeUndefined();
    expect(result.scenarios[0]?.resources.pgConnectionsPeak).toBeGreaterThan(0);
    expect(result.ab.base.scenarios[0]?.resources.pgConnectionsPeak).toBeGreaterThan(0);
  });
});
