/**
 * Where the false alarms of A/A runs come from: reads the A/A runs a `detection.ts --mode ab`
 * benchmark saved and splits each scenario's per-pair log ratios head/base into a run level and
 * a pair level. No load is run; it reads files only.
 *
 *   npx tsx bench/pair-bias.ts [--dir .loadgate/detection-ab-duet] [--prefix aa-]
 *
 * Printed per scenario and gated metric (log units shown as percent):
 * - mean and SD of all pairs pooled (a pooled mean far from 0 is a bias of one side);
 * - the SD of the runs' own means, against what pair noise alone gives (SD / √pairs): a ratio
 *   well above 1 is a run-level effect (a process's luck that lasts the whole run), which a
 *   paired test within one run cannot tell from a real change;
 * - the mean by block order (base first, head first) and for the first and second half of a
 *   run's pairs: a difference is an order or drift effect the balanced order should cancel;
 * - the mean by the scenario's lead (the side that filled its pools, warmed up and ran alone
 *   first, ab-plan.ts `leadSide`): a difference is an effect of the place in the run. Runs made
 *   before the lead existed (commit f7d4353) had the base in every one of those places.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { GATED_METRICS, type RunResult } from '../src/result/types.js';
import { leadSide } from '../src/run/ab-plan.js';
import { option, pairLogRatios, type PairRatio } from './lib.js';

const dir = option('dir', '.loadgate/detection-ab-duet');
const prefix = option('prefix', 'aa-');

const files = (await readdir(dir))
  .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
  .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const runs = await Promise.all(
  files.map(
    async (f) => (JSON.parse(await readFile(join(dir, f), 'utf8')) as { result: RunResult }).result,
  ),
);
if (runs.length === 0) throw new Error(`no ${prefix}*.json runs in ${dir}`);

/** Sample SD, NaN below two values (printed as –). */
const sd = (v: number[]) => (v.length < 2 ? Number.NaN : sampleStandardDeviation(v));
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '–');

type Pair = PairRatio & { run: number; lead: 'base' | 'head' };

const lines = [
  `Per-pair log ratio head/base of ${runs.length} A/A runs in ${dir}`,
  '',
  '| scenario | metric | pairs | mean | SD | SD of run means | pair noise alone | ratio | base first | head first | 1st half | 2nd half | base led | head led |',
  '| :- | :- | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: |',
];
for (const scenario of runs[0]?.scenarios ?? []) {
  for (const metric of GATED_METRICS) {
    if (metric === 'errorRate') continue;
    const pairs: Pair[] = runs.flatMap((run, r) =>
      pairLogRatios(run, scenario.name, metric).map((p) => ({
        ...p,
        run: r,
        lead: leadSide(run.ab?.order[scenario.name] ?? []),
      })),
    );
    if (pairs.length < 4) continue;
    const ratios = pairs.map((p) => p.ratio);
    const byRun = runs.map((_, r) => pairs.filter((p) => p.run === r).map((p) => p.ratio));
    const perRun = byRun.filter((v) => v.length > 0);
    const runMeans = perRun.map(mean);
    const pairsPerRun = mean(perRun.map((v) => v.length));
    const withinSd = Math.sqrt(mean(perRun.map((v) => sd(v) ** 2)));
    const noiseAlone = withinSd / Math.sqrt(pairsPerRun);
    const of = (keep: (p: Pair) => boolean) => mean(pairs.filter(keep).map((p) => p.ratio));
    lines.push(
      `| ${scenario.name} | ${metric} | ${pairs.length} | ${pct(mean(ratios))} | ${pct(sd(ratios))} | ${pct(sd(runMeans))} | ${pct(noiseAlone)} | ${(sd(runMeans) / noiseAlone).toFixed(2)} | ${pct(of((p) => p.order === 'base-first'))} | ${pct(of((p) => p.order === 'head-first'))} | ${pct(of((p) => p.index < pairsPerRun / 2))} | ${pct(of((p) => p.index >= pairsPerRun / 2))} | ${pct(of((p) => p.lead === 'base'))} | ${pct(of((p) => p.lead === 'head'))} |`,
    );
  }
}
console.log(lines.join('\n'));
