/**
 * How noisy is one pair of trials, by the way the pair is measured? The same code on both sides
 * (A/A), so every pair's true log ratio head/base is 0 and its spread is pure noise: the smaller,
 * the smaller the change a run of 14 pairs can see.
 *
 *   npx tsx bench/pair-spread.ts [--pairs 20] [--rounds 2] [--head-faults busy-search:0.06ms]
 *        [--out .loadgate/pair-spread]
 *
 * Schedules, each run `--rounds` times in turn (A, B, C, D, A, …) so drift hits them alike:
 * - duet, both services on the last CPU (the default of `baseline: base-commit`);
 * - duet, the services free to use every CPU (what a duet without pinning gets);
 * - interleaved: one side after the other, 1 s each, in a seeded random order;
 * - interleaved with 0.25 s trials and 4× the pairs (the same seconds of load).
 * Scenarios: list, search and get of the example service (SQLite), 10 connections.
 * Printed: per scenario and schedule, the mean and SD of the per-pair log ratio head/base of p95
 * and of throughput, and the standard error of the mean for 14 s of pairs (what a default run
 * buys). With `--head-faults` on the head only, the mean shows how much of a real change each
 * schedule sees. Run it alone on the machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { mean, sampleStandardDeviation as sd } from 'simple-statistics';
import type { AbSchedule, RunResult } from '../src/result/types.js';
import { executeAbRun } from '../src/run/ab-run.js';
import { installSignalCleanup } from '../src/service/index.js';
import { option, pairLogRatios } from './lib.js';

const pairs = Number(option('pairs', '20'));
const rounds = Number(option('rounds', '2'));
const headFaults = option('head-faults', '');
const outDir = option('out', `.loadgate/pair-spread${headFaults ? '-fault' : ''}`);
const cpus = availableParallelism();

interface Setup {
  label: string;
  schedule: AbSchedule;
  serviceCpus?: string;
  trialSeconds: number;
}
const SETUPS: Setup[] = [
  { label: `duet, both services on CPU ${cpus - 1}`, schedule: 'duet', trialSeconds: 1 },
  {
    label: `duet, services on any CPU (0-${cpus - 1})`,
    schedule: 'duet',
    serviceCpus: `0-${cpus - 1}`,
    trialSeconds: 1,
  },
  { label: 'interleaved, 1 s trials', schedule: 'interleaved', trialSeconds: 1 },
  { label: 'interleaved, 0.25 s trials', schedule: 'interleaved', trialSeconds: 0.25 },
];
const NEUTRAL = 'busy-health:0.001ms';
const start =
  `exec env ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults || NEUTRAL}' || echo '${NEUTRAL}')" ` +
  'node --import tsx examples/admin-service/src/main.ts';

installSignalCleanup();
await mkdir(outDir, { recursive: true });
const config = join(outDir, 'loadgate.yml');
await writeFile(
  config,
  'preset: admin\nexclude: [grant-permission, bulk-deactivate, concurrent-admins, create-admin]\n',
);

/** Per scenario, the per-pair log ratios head/base of p95 and throughput. */
function logRatios(result: RunResult): Map<string, { p95: number[]; throughput: number[] }> {
  const ratios = (name: string, metric: 'p95' | 'throughput') =>
    pairLogRatios(result, name, metric).map((p) => p.ratio);
  return new Map(
    result.scenarios
      .filter((s) => result.ab?.base.scenarios.some((b) => b.name === s.name))
      .map((s) => [
        s.name,
        { p95: ratios(s.name, 'p95'), throughput: ratios(s.name, 'throughput') },
      ]),
  );
}

const pooled = new Map<string, Map<string, { p95: number[]; throughput: number[] }>>();
const secondsOf = new Map(SETUPS.map((s) => [s.label, s.trialSeconds]));
for (let round = 1; round <= rounds; round++) {
  for (const setup of SETUPS) {
    const result = await executeAbRun({
      start,
      base: { cwd: process.cwd() },
      head: { cwd: process.cwd() },
      config,
      readyTimeoutSeconds: 60,
      schedule: setup.schedule,
      ...(setup.serviceCpus === undefined ? {} : { serviceCpus: setup.serviceCpus }),
      overrides: {
        trials: Math.round(pairs / setup.trialSeconds),
        trialSeconds: setup.trialSeconds,
      },
    });
    const bySetup = pooled.get(setup.label) ?? new Map();
    for (const [name, r] of logRatios(result)) {
      const acc = bySetup.get(name) ?? { p95: [], throughput: [] };
      acc.p95.push(...r.p95);
      acc.throughput.push(...r.throughput);
      bySetup.set(name, acc);
    }
    pooled.set(setup.label, bySetup);
    // Printed as it goes: a long setup (0.25 s trials) may be stopped before the table.
    for (const [name, r] of bySetup) {
      console.error(
        `round ${round}: ${setup.label}: ${name}: SD p95 ${(sd(r.p95) * 100).toFixed(1)} %, throughput ${(sd(r.throughput) * 100).toFixed(1)} %`,
      );
    }
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
/** Mean, SD and the standard error of the mean for 14 s of pairs, in log units as percent. */
const figures = (values: number[], seconds: number) =>
  `${pct(mean(values))} | ${pct(sd(values))} | ${pct(sd(values) / Math.sqrt(14 / seconds))}`;
const lines = [
  `Per-pair log ratio head/base (${headFaults ? `head: ${headFaults}` : 'same code both sides'}), ${rounds} rounds of ${pairs} s of pairs per schedule`,
  '',
  '| schedule | scenario | p95 mean | p95 SD | p95 SE (14 s) | throughput mean | throughput SD | throughput SE (14 s) |',
  '| :- | :- | -: | -: | -: | -: | -: | -: |',
];
for (const [label, byScenario] of pooled) {
  const seconds = secondsOf.get(label) ?? 1;
  for (const [name, r] of byScenario) {
    lines.push(
      `| ${label} | ${name} | ${figures(r.p95, seconds)} | ${figures(r.throughput, seconds)} |`,
    );
  }
}
console.log(lines.join('\n'));
await writeFile(join(outDir, 'summary.md'), `${lines.join('\n')}\n`);
