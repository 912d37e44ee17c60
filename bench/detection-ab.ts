/**
 * Detection quality of the interleaved A/B mode (`baseline: base-commit`, `loadgate ab`) on the
 * example service with the default PR profile and the mode's default judge options (alpha 0.01,
 * min effect 3 %; `--alpha A` judges at another level). Figures are printed, not asserted.
 *
 *   npx tsx bench/detection.ts --mode ab [--aa 20] [--runs 10] [--levels 0.05,0.1] [--op search]
 *        [--series-blocks 140] [--simulations 5000] [--out .loadgate/detection-ab-<schedule>]
 *        [--only analyze] [--schedule duet|interleaved] [--service-cpus LIST]
 *        [--layout no-aslr|random|fixed] [--rounds N] [--alpha A]
 *
 * - Real runs: `--aa` runs with the same code on both sides and `--runs` runs per slowdown level
 *   with the fault on the head only, interleaved (A/A, 5 %, 10 %, A/A, …) so the machine's drift
 *   hits every kind alike. The slowdown is CPU work added to every request of `--op`
 *   (`busy-<op>`), sized as a share of the CPU one such request costs, measured on the head side
 *   of the first A/A run and kept in sizing.json; both sides always have the fault hook installed.
 * - A long A/A series: one run with `--series-blocks` blocks per scenario. Its blocks are
 *   subsampled (without replacement) into `--simulations` simulated runs of the default block
 *   count, each judged like a real run: the false-alarm rate with a tight interval.
 *   `--series-blocks 0` records no series and resamples the blocks of the real A/A runs instead,
 *   pooled per scenario (a pair's log ratio carries no run level, so pooling is sound; it also
 *   brings in the run-to-run spread of the ratios, which a single series lacks).
 * - Every run is saved as it finishes and skipped when the benchmark is started again, so it can
 *   be spread over several sittings; `--only analyze` judges what is saved without running.
 *
 * - `--layout`: `no-aslr` is loadgate's default (both services without address randomisation,
 *   `setarch -R`, so the same code gets the same memory layout); `random` gives each its own, as
 *   before; `fixed` also fixes V8's seeds (`--random-seed=1 --hash-seed=1`: where its heap goes,
 *   its hash tables). To see how much of the run-level spread of A/A runs is layout luck.
 *
 * - `--rounds N`: both services restarted between N rounds of each scenario's pairs, judged by
 *   Student's t over the rounds' means (run/ab-plan.ts, judge/paired.ts); default 1.
 *
 * Run it alone on the machine (no tests, builds or helpers beside it).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parseAbSchedule } from '../src/config/ab-schedule.js';
import { DEFAULT_AB_TIMING } from '../src/config/defaults.js';
import { judge } from '../src/judge/judge.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import type { Verdict } from '../src/judge/types.js';
import { seededRandom } from '../src/stats/random.js';
import type { AbLayout, RunResult, ScenarioResult } from '../src/result/types.js';
import { executeAbRun } from '../src/run/ab-run.js';
import { installSignalCleanup } from '../src/service/index.js';
import { OP_SCENARIO, median, option, pct, wilson } from './lib.js';

const aaRuns = Number(option('aa', '20'));
const faultedRuns = Number(option('runs', '10'));
const levels = option('levels', '0.05,0.1').split(',').map(Number);
const op = option('op', 'search');
const seriesBlocks = Number(option('series-blocks', '140'));
const simulations = Number(option('simulations', '5000'));
const schedule = parseAbSchedule(option('schedule', 'duet'), '--schedule') ?? 'duet';
const layout = option('layout', 'no-aslr');
const rounds = Number(option('rounds', '1'));
/** Per `--layout`: the services' memory layout (ab-run.ts) and the node command that starts them. */
const LAYOUTS: Record<string, { layout: AbLayout; node: string }> = {
  random: { layout: 'random', node: 'node' },
  'no-aslr': { layout: 'fixed', node: 'node' },
  fixed: { layout: 'fixed', node: 'node --random-seed=1 --hash-seed=1' },
};
const chosenLayout =
  LAYOUTS[layout] ??
  (() => {
    throw new Error(`--layout: expected one of ${Object.keys(LAYOUTS).join(', ')}`);
  })();
const outDir = option(
  'out',
  `.loadgate/detection-ab-${schedule}${layout === 'random' ? '' : `-${layout}`}${rounds > 1 ? `-rounds${rounds}` : ''}`,
);
const analyzeOnly = option('only', '') === 'analyze';
/** `--service-cpus 1`: both services on those CPUs (a duet pins them to the last by default). */
const serviceCpus = option('service-cpus', '');
const target = OP_SCENARIO[op];
if (!target) throw new Error(`--op: expected one of ${Object.keys(OP_SCENARIO).join(', ')}`);
/** The judge options `loadgate ab` takes by default; `--alpha` to see another level on the same runs. */
const options = parseJudgeOptions(
  { alpha: option('alpha', '') || undefined },
  CLI_JUDGE_FIELDS,
  'ab',
);
const NEUTRAL = 'busy-health:0.001ms';

interface Saved {
  label: string;
  result: RunResult;
  wallSeconds: number;
}

/** Both sides run this repository's example service; only the head gets `headFaults`. */
function startCommand(headFaults: string): string {
  const faults = `ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${headFaults}' || echo '${NEUTRAL}')"`;
  return `exec env ${faults} ${chosenLayout.node} --import tsx examples/admin-service/src/main.ts`;
}

async function runOnce(label: string, headFaults: string, blocks?: number): Promise<Saved> {
  const file = `${outDir}/${label}.json`;
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Saved;
  if (analyzeOnly) throw new Error(`${file} is missing: run without --only analyze first`);
  const started = Date.now();
  const result = await executeAbRun({
    start: startCommand(headFaults),
    base: { cwd: process.cwd() },
    head: { cwd: process.cwd() },
    readyTimeoutSeconds: 60,
    schedule,
    layout: chosenLayout.layout,
    rounds,
    ...(serviceCpus ? { serviceCpus } : {}),
    ...(blocks === undefined ? {} : { overrides: { trials: blocks } }),
  });
  const saved: Saved = { label, result, wallSeconds: (Date.now() - started) / 1000 };
  await writeFile(file, JSON.stringify(saved));
  console.error(`${label}: ${saved.wallSeconds.toFixed(0)} s (head: ${headFaults})`);
  return saved;
}

function scenarioOf(result: RunResult, name: string): ScenarioResult {
  const s = result.scenarios.find((x) => x.name === name);
  if (!s || s.trials.length === 0) throw new Error(`${name} missing from a run`);
  return s;
}

/**
 * CPU ms one request of the target costs the service alone (head side of an A/A run; in a duet
 * its solo trials, since two services sharing a CPU each spend more per request).
 */
function cpuMsPerRequest(result: RunResult): number {
  const pairs = scenarioOf(result, target as string);
  const s = pairs.solo ?? pairs;
  const rps = median(s.trials.map((t) => t.metrics.throughput));
  return (s.resources.cpuPercentMean / 100) * (1000 / rps);
}

/**
 * Seconds of load of both sides: warm-ups (one per round), trials and each side's solo trials; a
 * duet's pairs count once.
 */
function loadSeconds(result: RunResult): number {
  const together = result.ab?.schedule === 'duet';
  const warmups = result.ab?.rounds ?? 1;
  const seconds = (trials: ScenarioResult['trials']) =>
    trials.reduce((t, x) => t + x.durationSeconds, 0);
  const head = result.scenarios.reduce(
    (sum, s) =>
      sum + warmups * s.settings.warmupSeconds + seconds(s.trials) + seconds(s.solo?.trials ?? []),
    0,
  );
  // A duet's base: only its solo trials run on their own (its warm-up and pairs ran with the head's).
  const base = (result.ab?.base.scenarios ?? []).reduce(
    (sum, s) =>
      sum +
      (together ? 0 : warmups * s.settings.warmupSeconds + seconds(s.trials)) +
      seconds(s.solo?.trials ?? []),
    0,
  );
  return head + base;
}

function flagged(v: Verdict): string[] {
  return v.scenarios.filter((s) => s.status === 'regression').map((s) => s.name);
}

/** A run made of `blocks` of a long series' blocks (same blocks on both sides, in order). */
function subsample(
  series: RunResult,
  pick: (trials: ScenarioResult['trials']) => number[],
): RunResult {
  const ab = series.ab;
  if (!ab) throw new Error('the series has no paired section');
  const chosen = new Map<string, number[]>();
  const trialsOf = (s: ScenarioResult): ScenarioResult => {
    const idx = chosen.get(s.name) ?? pick(s.trials);
    chosen.set(s.name, idx);
    const trials = idx.map((i, k) => ({
      ...(s.trials[i] as ScenarioResult['trials'][number]),
      index: k,
    }));
    return { ...s, trials, settings: { ...s.settings, trials: trials.length } };
  };
  const scenarios = series.scenarios.map(trialsOf);
  return {
    ...series,
    scenarios,
    ab: {
      ...ab,
      base: { ...ab.base, scenarios: ab.base.scenarios.map(trialsOf) },
      order: Object.fromEntries(
        Object.entries(ab.order).map(([name, order]) => [
          name,
          (chosen.get(name) ?? []).map((i) => order[i] ?? 'base-first'),
        ]),
      ),
    },
  };
}

/** The blocks of several A/B runs, concatenated per scenario and side, as one long run. */
function pooled(runs: RunResult[]): RunResult {
  const [first, ...rest] = runs;
  if (!first?.ab) throw new Error('no A/A runs with a paired section to pool');
  const join = (pick: (r: RunResult) => ScenarioResult[]) =>
    pick(first).map((s) => {
      // Rounds keep their own label per run: a round is one pair of processes.
      const trials = runs
        .flatMap((r, k) =>
          (pick(r).find((x) => x.name === s.name)?.trials ?? []).map((t) =>
            t.round === undefined ? t : { ...t, round: k * 1000 + t.round },
          ),
        )
        .map((t, index) => ({ ...t, index }));
      return { ...s, trials, settings: { ...s.settings, trials: trials.length } };
    });
  return {
    ...first,
    scenarios: join((r) => r.scenarios),
    ab: {
      ...first.ab,
      base: { ...first.ab.base, scenarios: join((r) => r.ab?.base.scenarios ?? []) },
      order: Object.fromEntries(
        Object.keys(first.ab.order).map((name) => [
          name,
          [first, ...rest].flatMap((r) => r.ab?.order[name] ?? []),
        ]),
      ),
    },
  };
}

installSignalCleanup();
await mkdir(outDir, { recursive: true });

// Sizing of the slowdowns, from the first A/A run, kept for later sittings.
const first = await runOnce('aa-1', NEUTRAL);
const sizingFile = `${outDir}/sizing.json`;
if (!existsSync(sizingFile)) {
  await writeFile(sizingFile, JSON.stringify({ op, perRequestMs: cpuMsPerRequest(first.result) }));
}
const { perRequestMs } = JSON.parse(await readFile(sizingFile, 'utf8')) as { perRequestMs: number };
console.error(`${op}: ${perRequestMs.toFixed(3)} ms of service CPU per request`);
const faultOf = (level: number) =>
  `${NEUTRAL},busy-${op}:${Math.max(0.001, level * perRequestMs).toFixed(4)}ms`;

// Real runs, interleaved.
const aa: Saved[] = [first];
const faulted = new Map<number, Saved[]>(levels.map((l) => [l, []]));
for (let i = 1; i <= Math.max(aaRuns, faultedRuns); i++) {
  if (i > 1 && i <= aaRuns) aa.push(await runOnce(`aa-${i}`, NEUTRAL));
  if (i <= faultedRuns) {
    for (const level of levels) {
      faulted
        .get(level)
        ?.push(await runOnce(`slow-${Math.round(level * 100)}pct-${i}`, faultOf(level)));
    }
  }
}
// The long A/A series for the resampled false-alarm rate, or the real A/A runs' blocks pooled.
const series =
  seriesBlocks > 0
    ? (await runOnce(`aa-series-${seriesBlocks}`, NEUTRAL, seriesBlocks)).result
    : pooled(aa.map((r) => r.result));
const seriesText =
  seriesBlocks > 0
    ? `one ${seriesBlocks}-block series`
    : `the ${series.scenarios[0]?.trials.length ?? 0} blocks per scenario of the ${aa.length} real A/A runs, pooled`;

// ---------------------------------------------------------------- analysis
const lines: string[] = [];
const aaVerdicts = aa.map((r) => judge(undefined, r.result, options));
const aaAlarms = aaVerdicts.filter((v) => v.counts.regressions > 0);
const aaNames = aaVerdicts.flatMap(flagged);
lines.push(
  `| A/A (same code) | – | ${aa.length} runs | **${aaAlarms.length} false alarm(s)** | ${aaNames.join(', ') || 'none'} |`,
);
for (const level of levels) {
  const runs = faulted.get(level) ?? [];
  const verdicts = runs.map((r) => judge(undefined, r.result, options));
  const detected = verdicts.filter((v) => flagged(v).includes(target)).length;
  const elsewhere = verdicts.filter((v) => flagged(v).some((n) => n !== target));
  const estimates = verdicts.map(
    (v) =>
      v.scenarios.find((s) => s.name === target)?.comparisons.find((c) => c.metric === 'p95')
        ?.change.estimate ?? Number.NaN,
  );
  lines.push(
    `| ${op} +${Math.round(level * 100)} % CPU | ${pct(median(estimates))} | ${runs.length} runs | **${detected} of ${runs.length} detected** | ${elsewhere.length} run(s): ${elsewhere.flatMap((v) => flagged(v).filter((n) => n !== target)).join(', ') || 'none'} |`,
  );
}

// Resampled A/A: blocks of the long series, the default count per simulated run.
const blocks = DEFAULT_AB_TIMING.trials;
const random = seededRandom(20261129);
const shuffled = <T>(all: T[]): T[] => {
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as T, all[i] as T];
  }
  return all;
};
// Blocks drawn one by one; in a run of rounds, whole rounds (each one pair of processes, so the
// simulated run keeps the round-level luck a real one has).
const pick = (trials: ScenarioResult['trials']): number[] => {
  if (rounds <= 1) {
    return shuffled(trials.map((_, i) => i))
      .slice(0, blocks)
      .sort((a, b) => a - b);
  }
  const byRound = new Map<number, number[]>();
  trials.forEach((t, i) => byRound.set(t.round ?? 0, [...(byRound.get(t.round ?? 0) ?? []), i]));
  return shuffled([...byRound.values()])
    .slice(0, rounds)
    .flat()
    .sort((a, b) => a - b);
};
let simAlarms = 0;
const simFlagged = new Map<string, number>();
for (let k = 0; k < simulations; k++) {
  const v = judge(undefined, subsample(series, pick), options);
  const names = flagged(v);
  if (names.length > 0) simAlarms++;
  for (const n of names) simFlagged.set(n, (simFlagged.get(n) ?? 0) + 1);
}
const [lo, hi] = wilson(simAlarms, simulations);

// What a run could detect, and what it cost.
const detectable = aaVerdicts.map(
  (v) =>
    v.scenarios.find((s) => s.name === target)?.comparisons.find((c) => c.metric === 'p95')
      ?.detectable ?? Number.NaN,
);
const loads = [...aa, ...[...faulted.values()].flat()].map((r) => loadSeconds(r.result));
const walls = [...aa, ...[...faulted.values()].flat()].map((r) => r.wallSeconds);
const family = aaVerdicts[0]?.scenarios.reduce(
  (n, s) => n + s.comparisons.filter((c) => c.inFamily).length,
  0,
);

const report = [
  `A/B detection on this machine: PR profile, ${first.result.scenarios.length} scenarios × ${blocks} pairs of ${DEFAULT_AB_TIMING.trialSeconds} s trials, alpha ${options.alpha}, min effect ${pct(options.minEffect, 0)}, ${family} tests in the Holm family`,
  `load of both sides per run: median ${median(loads).toFixed(0)} s (goal ≤ 210 s); wall time per run (with setup): median ${median(walls).toFixed(0)} s`,
  `${target} p95 could detect (median over A/A runs): ≥ ${pct(median(detectable))}`,
  '',
  '| comparison | p95 change of the target (median estimate) | runs | outcome | other scenarios flagged |',
  '| :- | -: | -: | :- | :- |',
  ...lines,
  `| A/A resampled (${simulations} runs of ${rounds > 1 ? `${rounds} whole rounds (${blocks} blocks)` : `${blocks} blocks`} from ${seriesText}) | – | ${simulations} | **${simAlarms} false alarms (${pct(simAlarms / simulations, 2)}, 95 % CI ${pct(lo, 2)}–${pct(hi, 2)})** | ${[...simFlagged].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none'} |`,
];
console.log(report.join('\n'));
await writeFile(`${outDir}/summary.md`, `${report.join('\n')}\n`);
