/**
 * The CPU profile round through the ways services start (run/profile-round.ts): a Node service
 * started by `npm start` in its own package (npm is a Node process too, and its profile is not
 * the service's), and a service that is not Node (the Python example), which writes no profile:
 * the verdict is the judged rounds' and the report says why there is no profile. `--cpu-profile
 * always` so that one round of pairs suffices: what is checked is the profile, not the verdict.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../../src/profile/cpuprofile.js';
import type { RunResult } from '../../../src/result/types.js';
import { eventually, newMarker, processesWithMarker, ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-profile-start-'));
const config = join(dir, 'search.yml');
writeFileSync(
  config,
  [
    'preset: admin',
    'exclude: [list-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
    'defaults: { trialSeconds: 0.4, warmupSeconds: 0 }',
    '',
  ].join('\n'),
);

/** `command` on both sides (after `exec`), busy-search on the head only. */
function start(marker: string, command: string): string {
  return (
    `LOADGATE_TEST_MARKER=${marker} ` +
    `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo 'busy-search:2ms' || echo 'busy-health:0.001ms')" ` +
    `exec ${command}`
  );
}

async function ab(name: string, cwd: string, command: string) {
  const marker = newMarker();
  const out = join(dir, name);
  const run = await runCli(
    [
      'ab',
      '--cwd',
      cwd,
      '--base-cwd',
      cwd,
      '--start',
      start(marker, command),
      '--config',
      config,
      '--rounds',
      '1',
      '--trials',
      '2',
      '--seed',
      '5',
      '--cpu-profile',
      'always',
      '--out',
      join(out, 'result.json'),
      '--report',
      join(out, 'report.md'),
      '--json',
      join(out, 'verdict.json'),
    ],
    { timeoutMs: 90_000 },
  );
  expect(await eventually(() => processesWithMarker(marker).length === 0, 5000)).toBe(true);
  return {
    run,
    out,
    result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult,
    report: readFileSync(join(out, 'report.md'), 'utf8'),
    verdict: JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as {
      failsCheck: boolean;
      scenarios: { name: string; status: string }[];
    },
  };
}

describe('loadgate ab --cpu-profile always, however the service starts', () => {
  it('npm start in the example’s own package: the service’s profile, not npm’s, names spin', async () => {
    const { run, out, result, report, verdict } = await ab(
      'npm',
      join(ROOT, 'examples/admin-service'),
      'npm start',
    );
    // The exit code is the judged pairs' verdict (on a busy machine the head's search, 2 ms of
    // CPU more, can fall below its throughput SLA).
    expect(run.code, run.stderr).toBe(verdict.failsCheck ? 1 : 0);
    const searched = result.ab?.profile?.scenarios.find((s) => s.scenario === 'search-admins');
    expect(searched?.note, run.stderr).toBeUndefined();
    const spin = searched?.grown.slice(0, 3).find((f) => f.name === 'spin');
    expect(spin, JSON.stringify(searched?.grown.slice(0, 5))).toBeDefined();
    // The example's own source, relative to its package (tsx runs it as it is).
    expect(spin).toMatchObject({ origin: 'user', file: 'src/fault-hooks.ts' });
    expect(spin?.growthUs).toBeGreaterThan(1000);
    expect(report).toMatch(/per request in <code>spin<\/code> src\/fault-hooks\.ts:\d+/);
    for (const side of ['base', 'head'] as const) {
      // The service's own process counts (npm, itself a Node process, writes none when it is
      // stopped by the signal; one it wrote would hold no sample of the repository's code).
      expect(searched?.[side]?.profiles.counted, side).toBe(1);
      const file = join(out, searched?.[side]?.file ?? '');
      expect(parseCpuProfile(readFileSync(file, 'utf8')).samples.length).toBeGreaterThan(100);
    }
  });

  it('a Python service: the verdict is the judged rounds’, and the report says why there is no profile', async () => {
    const { run, out, result, report, verdict } = await ab(
      'python',
      ROOT,
      'python3 examples/admin-service-python/admin_service.py',
    );
    // The judged pairs decide, and the exit code is their verdict's.
    expect(run.code, run.stderr).toBe(verdict.failsCheck ? 1 : 0);
    expect(verdict.scenarios.map((s) => s.name)).toEqual(['search-admins']);
    expect(result.scenarios[0]?.trials).toHaveLength(2);
    const searched = result.ab?.profile?.scenarios[0];
    expect(searched?.base).toBeUndefined();
    expect(searched?.head).toBeUndefined();
    expect(searched?.grown).toEqual([]);
    expect(searched?.note).toMatch(
      /^no CPU profile: neither service wrote one\. Profiling needs a Node service/,
    );
    expect(report).toContain('<summary>Why slower: CPU profiles of base and head</summary>');
    expect(report).toContain('⚠️ no CPU profile: neither service wrote one.');
    const written = existsSync(join(out, 'loadgate-profiles'))
      ? readdirSync(join(out, 'loadgate-profiles'), { recursive: true }).map(String)
      : [];
    expect(written.filter((f) => f.endsWith('.cpuprofile'))).toEqual([]);
  });
});
