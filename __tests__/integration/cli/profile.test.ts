/**
 * The CPU profile round of `loadgate ab` (run/profile-round.ts): after the judged rounds, only
 * when a scenario regressed, both sides under V8's profiler, and the report names the function
 * whose own CPU per request grew. The example service's busy-search knob spins in `spin`
 * (examples/admin-service/src/fault-hooks.ts) on the head only.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { parseCpuProfile } from '../../../src/profile/cpuprofile.js';
import type { RunResult } from '../../../src/result/types.js';
import { eventually, newMarker, processesWithMarker, ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-profile-'));

/** Scenario files of the preset's `keep` scenarios, short trials, no warm-up. */
function config(name: string, keep: string): string {
  const path = join(dir, `${name}.yml`);
  const others = ['list-admins', 'search-admins'].filter((s) => s !== keep);
  writeFileSync(
    path,
    [
      'preset: admin',
      `exclude: [${[...others, 'get-admin', 'grant-permission', 'bulk-deactivate', 'concurrent-admins', 'create-admin'].join(', ')}]`,
      'defaults: { trialSeconds: 0.4, warmupSeconds: 0 }',
      '',
    ].join('\n'),
  );
  return path;
}

/** The bundled example on both sides, `headFaults` on the head only. */
function start(marker: string, headFaults: string): string {
  return (
    `exec env LOADGATE_TEST_MARKER=${marker} ` +
    `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults}' || echo 'busy-health:0.001ms')" ` +
    `node ${BUNDLED.example}`
  );
}

interface VerdictFile {
  scenarios: { name: string; status: string }[];
}

async function ab(name: string, args: string[], marker: string) {
  const out = join(dir, name, 'result.json');
  const report = join(dir, name, 'report.md');
  const json = join(dir, name, 'verdict.json');
  const run = await runCli(
    [
      'ab',
      '--base-cwd',
      ROOT,
      '--seed',
      '5',
      '--out',
      out,
      '--report',
      report,
      '--json',
      json,
      ...args,
    ],
    { timeoutMs: 90_000 },
  );
  expect(await eventually(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  return {
    run,
    out: join(dir, name),
    result: JSON.parse(readFileSync(out, 'utf8')) as RunResult,
    report: readFileSync(report, 'utf8'),
    verdict: JSON.parse(readFileSync(json, 'utf8')) as VerdictFile,
  };
}

describe('loadgate ab: a CPU profile of both sides when a scenario regressed', () => {
  it('names the function that burns the CPU among the top 3, and writes both profiles', async () => {
    const marker = newMarker();
    const { run, out, result, report, verdict } = await ab(
      'busy',
      [
        '--start',
        start(marker, 'busy-search:4ms'),
        '--config',
        config('busy', 'search-admins'),
        '--rounds',
        '5',
        '--trials',
        '5',
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(verdict.scenarios.find((s) => s.name === 'search-admins')?.status).toBe('regression');
    // One extra round, after the judged ones.
    expect(run.stderr.match(/CPU profile round/g)).toHaveLength(1);
    const judged = result.scenarios[0]?.trials ?? [];
    expect(judged.every((t) => t.round !== undefined && t.round < 5)).toBe(true);

    const profile = result.ab?.profile;
    expect(profile?.mode).toBe('auto');
    const searched = profile?.scenarios.find((s) => s.scenario === 'search-admins');
    expect(searched?.note).toBeUndefined();
    const top3 = (searched?.grown ?? []).slice(0, 3);
    const spin = top3.find((f) => f.name === 'spin');
    expect(spin, JSON.stringify(searched?.grown.slice(0, 5))).toBeDefined();
    expect(spin?.origin).toBe('user');
    expect(spin?.file).toBe(BUNDLED.example);
    // 4 ms of spinning per search request on the head, none on the base.
    expect(spin?.base.selfUs).toBeLessThan(100);
    expect(spin?.growthUs).toBeGreaterThan(2500);
    expect(spin?.growthUs).toBeLessThan(8000);

    // The report: collapsed, right under the table of what changed, naming it.
    expect(report).toMatch(
      /<details><summary>Why slower: \+[\d.]+ ms per request in spin \(search-admins\)/,
    );
    expect(report).toMatch(
      /per request in <code>spin<\/code> \.loadgate\/build\/admin-service\.mjs:\d+/,
    );

    // The terminal says it too, when spin grew most.
    if (searched?.grown[0]?.name === 'spin') {
      expect(run.stdout).toMatch(
        /^cpu profile: search-admins: \+[\d.]+ ms per request in spin \(/m,
      );
    }

    // Both profiles, in the format Chrome DevTools and speedscope open.
    for (const side of ['base', 'head'] as const) {
      const file = searched?.[side]?.file;
      expect(file).toBe(`loadgate-profiles/${side}/search-admins.cpuprofile`);
      const parsed = parseCpuProfile(readFileSync(join(out, file ?? ''), 'utf8'));
      expect(parsed.samples.length).toBeGreaterThan(100);
      // The base spins too, 1 µs per health check (its hook installed, doing nothing
      // measurable): a sample may land in it, hence the bound on its self time above.
      const spins = parsed.nodes.some((n) => n.callFrame.functionName === 'spin');
      if (side === 'head') expect(spins).toBe(true);
    }
    // The raw profiles (unredacted, as the services wrote them) are gone.
    expect(existsSync(join(out, 'loadgate-profiles', 'raw'))).toBe(false);
  });

  // The judged pairs decide alone: a run whose verdict holds no regression runs no extra round.
  it('no regression: no profile round runs', async () => {
    const marker = newMarker();
    const { run, out, result, verdict } = await ab(
      'quiet',
      [
        '--start',
        start(marker, 'busy-health:0.001ms'),
        '--config',
        config('quiet', 'list-admins'),
        '--rounds',
        '1',
        '--trials',
        '3',
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(verdict.scenarios.map((s) => s.status)).not.toContain('regression');
    expect(run.stderr).not.toContain('CPU profile round');
    expect(result.ab?.profile).toBeUndefined();
    expect(existsSync(join(out, 'loadgate-profiles'))).toBe(false);
  });
});
