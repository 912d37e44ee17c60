/**
 * What the `loadgate ab` test files share: a service started per side (the fault knob switched on
 * by LOADGATE_SIDE, so base and head run the same files and differ only by it), the scenario
 * files, the quick timing, and one run read back as its verdict and result.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { eventually, processesWithMarker, ROOT, runCli } from './helpers.js';

/** The example service; `headFaults` only on the head side (LOADGATE_SIDE=head). */
export function abStart(marker: string, headFaults = 'busy-health:0.001ms'): string {
  return start(marker, `node ${BUNDLED.example}`, headFaults);
}

// A fixed five rounds of two pairs of 0.5 s trials, no warm-up: the faults the tests use are many
// times the noise (the budget's rounds until decided have their own test, ab-budget.test.ts).
export const QUICK = ['--rounds', '5', '--trials', '10', '--trial-seconds', '0.3', '--warmup', '0'];

/** Scenario files in `dir`: list and search (the fault is in search only), and list alone. */
export function abScenarioFiles(dir: string): { config: string; oneScenario: string } {
  const config = join(dir, 'loadgate.yml');
  // Two preset scenarios keep each run under a minute.
  writeFileSync(
    config,
    [
      'preset: admin',
      'exclude: [get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
    ].join('\n'),
  );
  // One scenario, for runs that check plumbing rather than which scenario a fault shows in.
  const oneScenario = join(dir, 'one.yml');
  writeFileSync(
    oneScenario,
    'preset: admin\nexclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]\n',
  );
  return { config, oneScenario };
}

export function abArgs(
  scenarios: string,
  marker: string,
  headFaults?: string,
  extra: string[] = [],
): string[] {
  return [
    'ab',
    '--base-cwd',
    ROOT,
    '--start',
    abStart(marker, headFaults),
    '--config',
    scenarios,
    ...QUICK,
    '--seed',
    '5',
    ...extra,
  ];
}

/** The side (LOADGATE_SIDE) of a process, from its environment. */
export function sideOf(pid: number): string | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return env.find((e) => e.startsWith('LOADGATE_SIDE='))?.slice('LOADGATE_SIDE='.length);
  } catch {
    return undefined;
  }
}

/** Where `config` and `abRun` write: one folder per test file, made when first asked for. */
let runDir: string | undefined;
const runsDir = (): string => (runDir ??= mkdtempSync(join(tmpdir(), 'lg-ab-runs-')));

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
export function config(name: string, keep: string[]): string {
  const all = ['list-admins', 'search-admins', 'get-admin', 'grant-permission', 'bulk-deactivate'];
  const path = join(runsDir(), `${name}.yml`);
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
export function start(
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

export async function abRun(name: string, args: string[], marker: string) {
  const out = join(runsDir(), `${name}.json`);
  const json = join(runsDir(), `${name}-verdict.json`);
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
