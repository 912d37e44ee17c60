/**
 * `loadgate ab` on the example services with a fault on one side (ab-shapes.test.ts,
 * ab-budget.test.ts): a config of some preset scenarios, a start command whose faults depend on
 * the side, and one run read back as its verdict and result.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { eventually, processesWithMarker, ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-ab-shapes-'));

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
