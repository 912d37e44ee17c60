/**
 * Prototype: does a duet at a paced, unsaturated rate see what a saturated duet dilutes or
 * misses? Both services on one CPU, same code, or a fault on the head only: busy-search (CPU,
 * diluted to about half by a saturated duet) and slow-search (waiting, which a saturated duet
 * shows as an improvement because the head frees the CPU for the base).
 *
 *   npx tsx bench/paced-duet.ts [--rounds 2] [--rate 250] [--busy 0.08ms] [--slow 2ms]
 *
 * Setups, in turn each round: saturated duet (10 connections flat out) and paced duet
 * (`rate` req/s a side, sent at even intervals: LOADGATE_PACED=1). Printed per setup, fault and
 * scenario: mean and SD of the per-pair log ratio head/base of p50 and p95. Run it alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adminPreset } from '../src/presets/admin/scenarios.js';
import { DEFAULT_ADMIN_BASE_PATH } from '../src/config/defaults.js';
import type { RunResult } from '../src/result/types.js';
import { executeAbRun } from '../src/run/ab-run.js';
import { installSignalCleanup } from '../src/service/index.js';
import { option } from './lib.js';

const rounds = Number(option('rounds', '2'));
const rate = Number(option('rate', '250'));
const busy = option('busy', '0.08ms');
const slow = option('slow', '2ms');
const outDir = option('out', '.loadgate/paced-duet');
const SCENARIOS = ['list-admins', 'search-admins'];
const NEUTRAL = 'busy-health:0.001ms';
const FAULTS = [NEUTRAL, `busy-search:${busy}`, `slow-search:${slow}`];

installSignalCleanup();
await mkdir(outDir, { recursive: true });
const picked = adminPreset(DEFAULT_ADMIN_BASE_PATH).filter((s) => SCENARIOS.includes(s.name));
const configs = {
  saturated: join(outDir, 'saturated.yml'),
  paced: join(outDir, 'paced.yml'),
};
await writeFile(configs.saturated, JSON.stringify({ preset: 'none', scenarios: picked }));
await writeFile(
  configs.paced,
  JSON.stringify({ preset: 'none', scenarios: picked.map((s) => ({ ...s, rate })) }),
);

const start = (fault: string) =>
  `exec env ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${fault}' || echo '${NEUTRAL}')" ` +
  'node --import tsx examples/admin-service/src/main.ts';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

type Ratios = { p50: number[]; p95: number[]; tput: number[] };
const pooled = new Map<string, Ratios>();
function collect(key: string, result: RunResult): void {
  for (const head of result.scenarios) {
    const base = result.ab?.base.scenarios.find((s) => s.name === head.name);
    if (!base) continue;
    const acc = pooled.get(`${key} | ${head.name}`) ?? { p50: [], p95: [], tput: [] };
    head.trials.forEach((t, i) => {
      const b = base.trials[i];
      if (!b) return;
      acc.p50.push(Math.log(t.metrics.p50 / b.metrics.p50));
      acc.p95.push(Math.log(t.metrics.p95 / b.metrics.p95));
      acc.tput.push(Math.log(t.metrics.throughput / b.metrics.throughput));
    });
    pooled.set(`${key} | ${head.name}`, acc);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
function table(): string {
  const lines = [
    '| setup | head | scenario | p50 mean | p50 SD | p95 mean | p95 SD | throughput mean |',
    '| :- | :- | :- | -: | -: | -: | -: | -: |',
  ];
  for (const [key, r] of pooled) {
    lines.push(
      `| ${key} | ${pct(mean(r.p50))} | ${pct(sd(r.p50))} | ${pct(mean(r.p95))} | ${pct(sd(r.p95))} | ${pct(mean(r.tput))} |`,
    );
  }
  return lines.join('\n');
}

for (let round = 1; round <= rounds; round++) {
  for (const fault of FAULTS) {
    for (const setup of ['saturated', 'paced'] as const) {
      process.env.LOADGATE_PACED = setup === 'paced' ? '1' : '0';
      const result = await executeAbRun({
        start: start(fault),
        base: { cwd: process.cwd() },
        head: { cwd: process.cwd() },
        config: configs[setup],
        readyTimeoutSeconds: 60,
        schedule: 'duet',
        overrides: { abTiming: true },
      });
      collect(`${setup} | ${fault === NEUTRAL ? 'same code' : fault}`, result);
      console.error(`round ${round}: ${setup}, ${fault}: done`);
    }
  }
  console.error(table());
}
console.log(table());
await writeFile(join(outDir, 'summary.md'), `${table()}\n`);
