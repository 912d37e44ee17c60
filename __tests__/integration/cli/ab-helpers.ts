/**
 * What the `loadgate ab` test files share: the example service started per side (the fault knob
 * switched on by LOADGATE_SIDE, so base and head run the same files and differ only by it), the
 * scenario files and the quick timing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { ROOT } from './helpers.js';

/** The example service; `headFaults` only on the head side (LOADGATE_SIDE=head). */
export function abStart(marker: string, headFaults = 'busy-health:0.001ms'): string {
  return (
    `exec env LOADGATE_TEST_MARKER=${marker} ` +
    `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults}' || echo 'busy-health:0.001ms')" ` +
    `node ${BUNDLED.example}`
  );
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
