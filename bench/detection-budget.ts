/**
 * Detection of `loadgate ab` at its defaults (rounds until decided within the time budget, the
 * group-sequential test, alpha 0.01, min effect 3 %) across services and fault shapes. Figures
 * are printed and saved, not asserted. Run it alone on the machine, for hours (a neighbour shows
 * up as a regression).
 *
 *   npx tsx bench/detection.ts --mode ab --service node|python|thirdparty --fault busy|slow|alloc
 *        [--aa 10] [--runs 10 for busy, 5 for slow and alloc] [--levels 0.1] [--op search]
 *        [--out bench/results] [--budget SECONDS] [--trial-seconds S] [--simulations 2000]
 *   npx tsx bench/detection.ts --mode ab --service S --fault F --only analyze   judge what is saved
 *   npx tsx bench/detection.ts --mode ab --only analyze --all                  every saved S × F
 *
 * The full measurement, one service × fault at a time (each about 5–6 minutes a run: the 300 s
 * budget, restarts included, plus starting; busy 20 runs ≈ 2 h, slow and alloc 15 runs ≈ 1.5 h
 * each, so about 5 h per service and 15 h for all nine; thirdparty busy with `--levels 0.05,0.1`
 * adds 10 runs):
 *
 *   for s in node python thirdparty; do for f in busy slow alloc; do
 *     npx tsx bench/detection.ts --mode ab --service $s --fault $f; done; done
 *   npx tsx bench/detection.ts --mode ab --service thirdparty --fault busy --levels 0.05,0.1
 *   npx tsx bench/detection.ts --mode ab --only analyze --all
 *
 * - Per service and fault: `--aa` runs with the same code on both sides and `--runs` runs per
 *   fault size (`--levels`, shares of the operation's cost) with the fault on the head only, in
 *   the scenario that calls `--op` alone, interleaved (A/A, faulted, A/A, …) so the machine's
 *   drift hits all alike. The size is measured from the first A/A run (budget/sizing.ts:
 *   CPU per request, the steady-rate p50, the allocation knob's measured cost) and kept in
 *   sizing.json.
 * - Each run's compact result goes to `<out>/<service>-<fault>/<label>.json` (budget/compact.ts):
 *   the verdict's summary and per scenario and metric the rounds' means. A run whose file exists
 *   is not run again: the benchmark resumes across sittings. The results under bench/results are
 *   committed; smoke tests go to a scratch `--out`.
 * - The resampled same-code false-alarm rate (budget/resample.ts): `--simulations` runs of whole
 *   rounds drawn from every saved A/A run of the service (all its fault directories), each put
 *   through the engine's looks, budget clock and final Holm.
 * - `--budget SECONDS` and `--trial-seconds S` are for smoke tests of the plumbing (e.g.
 *   `--aa 1 --runs 1 --budget 20 --trial-seconds 0.5 --simulations 50 --out /tmp/smoke`):
 *   the figures of such runs mean nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { judge } from '../src/judge/judge.js';
import { holdBackMixedImprovements } from '../src/judge/mixed-change.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import type { RunResult } from '../src/result/types.js';
import { executeAbRun } from '../src/run/ab-run.js';
import { installSignalCleanup } from '../src/service/index.js';
import { median, option } from './lib.js';
import { compactRun, type CompactRun } from './budget/compact.js';
import {
  flaggedScenarios,
  rejudge,
  resampledFalseAlarms,
  type ResampledRate,
} from './budget/resample.js';
import {
  BENCH_SERVICES,
  bundleServices,
  FAULTS,
  parseFault,
  parseService,
  SERVICES,
  startCommand,
  type BenchService,
  type FaultShape,
} from './budget/services.js';
import { faultKnob, measureSizing, type Sizing } from './budget/sizing.js';
import { table, type GroupInput } from './budget/table.js';

const outRoot = option('out', 'bench/results');
const analyzeOnly = option('only', '') === 'analyze';
const everything = process.argv.includes('--all');
const simulations = positive('simulations', '2000');
/** The judge options `loadgate ab` takes by default. */
const options = parseJudgeOptions({}, CLI_JUDGE_FIELDS, 'ab');

function positive(name: string, fallback: string): number {
  const value = Number(option(name, fallback));
  if (!(value > 0))
    throw new Error(`--${name}: expected a positive number, got "${option(name, fallback)}"`);
  return value;
}

async function readRuns(dir: string): Promise<CompactRun[]> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'sizing.json');
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as CompactRun),
  );
}

/** Every saved A/A run of a service, whichever fault directory holds it. */
async function sameCodeRuns(service: string): Promise<CompactRun[]> {
  const runs = await Promise.all(FAULTS.map((f) => readRuns(join(outRoot, `${service}-${f}`))));
  return runs.flat().filter((r) => r.fault === 'none');
}

/**
 * The service's resampled rate, kept in <out>/<service>-resampled.json for the A/A runs and the
 * number of simulations it was drawn from (a few minutes per thousand simulations).
 */
async function resampled(service: string): Promise<ResampledRate | undefined> {
  const aa = await sameCodeRuns(service);
  if (aa.length === 0) return undefined;
  const file = join(outRoot, `${service}-resampled.json`);
  const key = `${simulations}:${aa
    .map((r) => `${r.service}/${r.startedAt}`)
    .sort()
    .join(',')}`;
  if (existsSync(file)) {
    const kept = JSON.parse(await readFile(file, 'utf8')) as {
      key: string;
      rate: ResampledRate & { byScenario: Record<string, number> };
    };
    if (kept.key === key) {
      return { ...kept.rate, byScenario: new Map(Object.entries(kept.rate.byScenario)) };
    }
  }
  const rate = resampledFalseAlarms(aa, simulations, options);
  const saved = { ...rate, byScenario: Object.fromEntries(rate.byScenario) };
  await writeFile(file, `${JSON.stringify({ key, rate: saved })}\n`);
  return rate;
}

async function group(service: BenchService, fault: FaultShape): Promise<GroupInput> {
  return {
    service: service.name,
    fault,
    runs: await readRuns(join(outRoot, `${service.name}-${fault}`)),
    mixes: service.mixes,
    resampled: await resampled(service.name),
  };
}

function report(groups: GroupInput[]): string {
  const lines = [
    `A/B detection at the defaults of \`loadgate ab\`: a budget of rounds until decided, alpha ${options.alpha}, min effect ${options.minEffect * 100} %; same code resampled: whole rounds drawn from the service's A/A runs, judged by the engine's looks.`,
    '',
    ...table(groups),
  ];
  const runs = groups.flatMap((g) => g.runs);
  // Each run judged again once: the agreement check and the improvement count read it.
  const judgedAgain = new Map(runs.map((run) => [run, rejudge(run, options)]));
  const agree = runs.filter((run) => {
    const again = flaggedScenarios(judgedAgain.get(run) ?? new Map())
      .sort()
      .join();
    const saved = run.verdict.scenarios.filter((s) => s.status === 'regression');
    return (
      again ===
      saved
        .map((s) => s.name)
        .sort()
        .join()
    );
  }).length;
  lines.push(
    '',
    `Judged again from the compact results (the resampling's input): ${agree} of ${runs.length} runs flag the scenarios their saved verdict flagged.`,
  );
  // A faulted target read as faster is the worst error a gate can make: counted saved and again.
  const faulted = runs.filter((run) => run.fault !== 'none');
  const improvedSaved = faulted.filter(
    (run) => run.verdict.scenarios.find((s) => s.name === run.target)?.status === 'improvement',
  ).length;
  const improvedAgain = faulted.filter((run) => {
    const list = (run.target === null ? undefined : judgedAgain.get(run)?.get(run.target)) ?? [];
    holdBackMixedImprovements(list);
    return (
      list.some((c) => c.outcome === 'improvement') && !list.some((c) => c.outcome === 'regression')
    );
  }).length;
  lines.push(
    '',
    `Faulted target reported as an improvement: ${improvedSaved} of ${faulted.length} runs in their saved verdicts, ${improvedAgain} judged again by today's rules.`,
  );
  for (const g of groups) {
    const r = g.resampled;
    if (r && g === groups.find((x) => x.service === g.service)) {
      const flagged = [...r.byScenario].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none';
      lines.push(
        '',
        `${g.service}, resampled same code: ${r.alarms} of ${r.simulations} flagged (${flagged}); median rounds ${r.medianRounds} simulated, ${r.realRounds} real.`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

if (analyzeOnly && everything) {
  const groups: GroupInput[] = [];
  for (const s of SERVICES) {
    for (const f of FAULTS) {
      if (existsSync(join(outRoot, `${s}-${f}`))) groups.push(await group(BENCH_SERVICES[s], f));
    }
  }
  const text = report(groups);
  console.log(text);
  await writeFile(join(outRoot, 'summary.md'), text);
  process.exit(0);
}

const service = parseService(option('service', 'node'));
const fault = parseFault(option('fault', 'busy'));
const op = option('op', 'search');
const target = service.scenarioOf[op];
if (!target) {
  throw new Error(
    `--op: expected one of ${Object.keys(service.scenarioOf).join(', ')} for ${service.name}`,
  );
}
const aaRuns = positive('aa', '10');
const faultedRuns = positive('runs', fault === 'busy' ? '10' : '5');
const levels = option('levels', '0.1').split(',').map(Number);
if (levels.some((l) => !(l > 0 && l < 10)))
  throw new Error('--levels: expected shares such as 0.05,0.1');
const budget = option('budget', '');
const trialSeconds = option('trial-seconds', '');
const dir = join(outRoot, `${service.name}-${fault}`);

/** One A/B run, its compact result saved; skipped when saved already. */
async function runOnce(
  label: string,
  knob: string,
  size: number,
  afterRun?: (result: RunResult) => Promise<void>,
): Promise<CompactRun> {
  const file = join(dir, `${label}.json`);
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as CompactRun;
  const started = Date.now();
  const result = await executeAbRun({
    start: startCommand(service, knob),
    base: { cwd: process.cwd() },
    head: { cwd: process.cwd() },
    readyTimeoutSeconds: 60,
    ...(service.config === undefined ? {} : { config: service.config }),
    ...(budget === '' ? {} : { budgetSeconds: positive('budget', budget) }),
    ...(trialSeconds === ''
      ? {}
      : {
          overrides: {
            trialSeconds: positive('trial-seconds', trialSeconds),
            warmupSeconds: positive('trial-seconds', trialSeconds),
          },
        }),
    judged: { alpha: options.alpha, minEffect: options.minEffect },
  });
  await afterRun?.(result);
  const compact = compactRun(
    {
      label,
      service: service.name,
      fault: size === 0 ? 'none' : fault,
      size,
      knob,
      target: size === 0 ? null : (target ?? null),
      wallSeconds: (Date.now() - started) / 1000,
    },
    result,
    judge(undefined, result, options),
  );
  await writeFile(file, `${JSON.stringify(compact)}\n`);
  const flagged = compact.verdict.scenarios.filter((s) => s.status === 'regression');
  console.error(
    `${service.name}-${fault} ${label}: ${compact.loadSeconds.toFixed(0)} s of load, ${compact.rounds} rounds, flagged: ${flagged.map((s) => `${s.name} (${s.regressed.join(', ')})`).join('; ') || 'none'}${knob ? ` [head: ${knob}]` : ''}`,
  );
  return compact;
}

if (analyzeOnly) {
  const text = report([await group(service, fault)]);
  console.log(text);
  await writeFile(join(dir, 'summary.md'), text);
  process.exit(0);
}

installSignalCleanup();
await mkdir(dir, { recursive: true });
await bundleServices();

// The size of the fault, from the first same-code run (written before that run's file, so a
// saved first run always has its sizing).
const sizingFile = join(dir, 'sizing.json');
await runOnce('aa-1', '', 0, async (result) => {
  if (existsSync(sizingFile)) return;
  const sizing = measureSizing(service, fault, op, { label: 'aa-1', result });
  await writeFile(sizingFile, `${JSON.stringify(sizing, null, 2)}\n`);
});
const sizing = JSON.parse(await readFile(sizingFile, 'utf8')) as Sizing;
if (sizing.op !== op) throw new Error(`${sizingFile} sized "${sizing.op}", not --op ${op}`);
console.error(
  `${service.name}-${fault}: ${target} costs ${sizing.cpuPerRequestUs.toFixed(0)} µs of CPU per request, p50 ${sizing.steadyP50Ms.toFixed(3)} ms at the steady rate`,
);

for (let i = 1; i <= Math.max(aaRuns, faultedRuns); i++) {
  if (i > 1 && i <= aaRuns) await runOnce(`aa-${i}`, '', 0);
  if (i > faultedRuns) continue;
  for (const level of levels) {
    await runOnce(
      `${fault}-${Math.round(level * 100)}pct-${i}`,
      faultKnob(fault, sizing, level),
      level,
    );
  }
}

const text = report([await group(service, fault)]);
console.log(text);
await writeFile(join(dir, 'summary.md'), text);
console.error(
  `median wall time per run: ${median((await readRuns(dir)).map((r) => r.wallSeconds)).toFixed(0)} s`,
);
