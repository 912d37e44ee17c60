/**
 * `loadgate ab`: two copies of the example service started side by side by loadgate (each with
 * its own PORT and LOADGATE_SIDE), measured in pairs of trials (a duet by default, interleaved on
 * request) and judged paired. The fault
 * knob is switched on by LOADGATE_SIDE, so base and head run the same files and differ only by it.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedCpus } from '../../../src/service/cpu-affinity.js';
import {
  eventually,
  newMarker,
  ownDatabase,
  processesWithMarker,
  ROOT,
  runCli,
} from './helpers.js';

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
const config = join(dir, 'loadgate.yml');
// Two preset scenarios keep each run under a minute; the fault is in search only.
writeFileSync(
  config,
  [
    'preset: admin',
    'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
  ].join('\n'),
);

/** The example service; `headFaults` only on the head side (LOADGATE_SIDE=head). */
function start(marker: string, headFaults = 'busy-health:0.001ms'): string {
  return (
    `exec env LOADGATE_TEST_MARKER=${marker} ` +
    `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults}' || echo 'busy-health:0.001ms')" ` +
    'node --import tsx examples/admin-service/src/main.ts'
  );
}

// Ten pairs of 1 s trials, no warm-up: the fault below is many times the noise.
const QUICK = ['--trials', '10', '--trial-seconds', '1', '--warmup', '0'];

// One scenario, for runs that check plumbing rather than which scenario a fault shows in.
const oneScenario = join(dir, 'one.yml');
writeFileSync(
  oneScenario,
  'preset: admin\nexclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]\n',
);

function abArgs(
  marker: string,
  headFaults?: string,
  extra: string[] = [],
  scenarios = config,
): string[] {
  return [
    'ab',
    '--base-cwd',
    ROOT,
    '--start',
    start(marker, headFaults),
    '--config',
    scenarios,
    ...QUICK,
    '--seed',
    '5',
    ...extra,
  ];
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

/** The side (LOADGATE_SIDE) of a process, from its environment. */
function sideOf(pid: number): string | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return env.find((e) => e.startsWith('LOADGATE_SIDE='))?.slice('LOADGATE_SIDE='.length);
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
    // The CPUs each service process may use, read while they run.
    const pinned = new Set<string>();
    const run = await runCli(
      // CPU work here; the action's base-commit test checks a fault that waits.
      abArgs(marker, 'busy-search:2ms', [
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
          if (pinned.size > 0 || !/trial 2\/10/.test(text)) return;
          for (const pid of processesWithMarker(marker)) pinned.add(cpusOf(pid) ?? 'gone');
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
      scenarios: { solo?: { trials: unknown[] } }[];
      ab: {
        seed: number;
        schedule: string;
        serviceCpus?: string;
        order: Record<string, string[]>;
        base: { scenarios: { solo?: { trials: unknown[] } }[] };
      };
    };
    expect(result.ab.seed).toBe(5);
    expect(result.ab.schedule).toBe('duet');
    expect(result.ab.order['search-admins']).toHaveLength(10);
    expect(result.ab.base.scenarios).toHaveLength(2);
    // Both services pinned to one CPU, the last this machine gives (2+ CPUs here).
    const lastCpu = String(allowedCpus()?.at(-1));
    expect(result.ab.serviceCpus).toBe(lastCpu);
    expect([...pinned]).toEqual([lastCpu]);
    // Each side alone after the pairs: the head's for the SLA checks, the base's so both sides'
    // data stays the same size.
    expect(result.scenarios.map((s) => s.solo?.trials.length)).toEqual([3, 3]);
    expect(result.ab.base.scenarios.map((s) => s.solo?.trials.length)).toEqual([3, 3]);
    expect(readFileSync(report, 'utf8')).toMatch(
      /and head side by side · 10 pairs of trials per scenario · both sides at once on CPU \d+/,
    );
    expect(await eventually(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  });

  it('passes when both sides run the same code; on Postgres each side keeps its own database', async () => {
    const marker = newMarker();
    const json = join(dir, 'same-verdict.json');
    const run = await runCli(
      abArgs(
        marker,
        undefined,
        [
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
        ],
        oneScenario,
      ),
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

  it('a crash of the base side mid-run ends the run (exit 3) and stops the head too', async () => {
    const marker = newMarker();
    let killed = false;
    const run = await runCli(abArgs(marker, undefined, ['--out', join(dir, 'crash.json')]), {
      onStderr: (text) => {
        if (killed || !/trial 2\/10/.test(text)) return;
        const base = processesWithMarker(marker).filter((pid) => sideOf(pid) === 'base');
        for (const pid of base) process.kill(pid, 'SIGKILL');
        killed = base.length > 0;
      },
    });
    expect(killed).toBe(true);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /the base service was killed by signal SIGKILL while loadgate was running/,
    );
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('SIGTERM to loadgate stops both services', async () => {
    const marker = newMarker();
    const run = await runCli(abArgs(marker, undefined, ['--out', join(dir, 'term.json')]), {
      onStderr: (text, child) => {
        if (/trial 1\/10/.test(text)) child.kill('SIGTERM');
      },
    });
    expect(run.code ?? 128 + 15).toBe(143);
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('a service that ignores PORT is a clear error naming the fix, before any load', async () => {
    const marker = newMarker();
    const started = Date.now();
    const fixed = `exec env PORT=18997 LOADGATE_TEST_MARKER=${marker} node --import tsx examples/admin-service/src/main.ts`;
    const run = await runCli([
      'ab',
      '--base-cwd',
      ROOT,
      '--start',
      fixed,
      '--config',
      config,
      ...QUICK,
      '--out',
      join(dir, 'port.json'),
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /the (base|head) service listens on 18997, not on the port it was given \(PORT=\d+\)/,
    );
    expect(run.stderr).toMatch(/listen on the PORT environment variable, or put \{port\}/);
    expect(run.stderr).not.toMatch(/trial 1\//);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('a base URL without {port} is refused before anything starts (exit 2)', async () => {
    const run = await runCli([
      'ab',
      '--base-cwd',
      ROOT,
      '--start',
      'node -e 0',
      '--base-url',
      'http://127.0.0.1:8000',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--base-url: "http:\/\/127.0.0.1:8000" has no \{port\}/);
  });

  it('a bad --schedule or --service-cpus is refused before anything starts (exit 2)', async () => {
    const schedule = await runCli([
      'ab',
      '--base-cwd',
      ROOT,
      '--start',
      'node -e 0',
      '--schedule',
      'both',
    ]);
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toMatch(
      /--schedule: expected "auto", "duet" or "interleaved", got "both"/,
    );
    const cpus = await runCli([
      'ab',
      '--base-cwd',
      ROOT,
      '--start',
      'node -e 0',
      '--service-cpus',
      'last',
    ]);
    expect(cpus.code).toBe(2);
    expect(cpus.stderr).toMatch(
      /--service-cpus: expected a CPU list for taskset like "1" or "2-3", got "last"/,
    );
  });
});
