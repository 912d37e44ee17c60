/**
 * Detection quality of the stored-baseline gate with a history of the default branch, against
 * one run of main alone, on the example service with the default PR profile. Figures are printed,
 * not asserted.
 *
 *   npx tsx bench/detection.ts --mode history [--main 20] [--aa 12] [--slow 12] [--level 0.1]
 *        [--op search] [--hog-every 4] [--hog-seconds 240] [--out .loadgate/detection-history]
 *        [--only analyze] [--alpha A] [--config FILE --trials N --trial-seconds S --warmup S (smoke runs only)]
 *
 * - Runs: `--main` runs of the unchanged service (the history of main), `--aa` more of the same
 *   code (pull requests that change nothing) and `--slow` with one operation slower (`busy-<op>`
 *   CPU work, `--level` × the CPU one request of `--op` costs, sized from the first main run and
 *   kept in sizing.json), interleaved (main, A/A, slow, main, …) so the machine's drift hits every
 *   kind alike. Every run has the fault hook installed (`busy-health`, never called by the load).
 * - Disturbance: every `--hog-every`-th run of each kind has a CPU hog beside it: one process
 *   spinning in a busy loop (`node -e`, pure arithmetic, one core), started before the run and
 *   stopped after it, and in any case after `--hog-seconds` (its loop checks the clock), so a
 *   crashed benchmark never leaves it spinning. That is the "other work beside it" of shared
 *   runners, here on purpose and bounded.
 * - Judgements (the gate's defaults: alpha 0.05 against one run, 0.01 against the history,
 *   fail on sla and regression; `--alpha A` judges at A throughout):
 *   - one run against one run: each pull-request run against every main run (all pairs), and
 *     each main run against every other;
 *   - with the history: each pull-request run against the history of all main runs (baseline:
 *     the newest main run), and each main run against the history of the others (leave one out);
 *     at the history's defaults (alpha 0.01, min effect 5 %), at alpha 0.05, and at 10 %.
 *   A false alarm is an A/A judgement that calls a regression; "machines differ" counts the A/A
 *   judgements whose check failed only because the machines differ (fail-on regression: the
 *   gate could not rule a regression out); a detection is a slow run whose target scenario is
 *   a regression.
 * - Every run is saved as it finishes and skipped when the benchmark starts again, so it can be
 *   spread over several sittings; `--only analyze` judges what is saved without running.
 *
 * Run it alone on the machine (no tests, builds or helpers beside it): the hog is the only
 * disturbance it means to measure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { judge } from '../src/judge/judge.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import type { JudgeOptions, Verdict } from '../src/judge/types.js';
import type { History } from '../src/result/history.js';
import { appendRun, emptyHistory, summarizeRun } from '../src/result/history-append.js';
import type { RunResult, ScenarioResult } from '../src/result/types.js';
import { executeRun } from '../src/run/execute.js';
import { installSignalCleanup } from '../src/service/index.js';
import { freePort } from '../scripts/free-port.js';
import { OP_SCENARIO, median, option, pct, wilson } from './lib.js';

const mainRuns = Number(option('main', '20'));
const aaRuns = Number(option('aa', '12'));
const slowRuns = Number(option('slow', '12'));
const level = Number(option('level', '0.1'));
const op = option('op', 'search');
const hogEvery = Number(option('hog-every', '4'));
const hogSeconds = Number(option('hog-seconds', '240'));
const outDir = option('out', '.loadgate/detection-history');
const analyzeOnly = option('only', '') === 'analyze';
// For a quick smoke run of the script itself, never for figures: a smaller plan.
const config = option('config', '');
const overrides = Object.fromEntries(
  (['trials', 'trial-seconds', 'warmup'] as const)
    .map((flag) => [flag, option(flag, '')] as const)
    .filter(([, v]) => v !== '')
    .map(([flag, v]) => [
      flag === 'trial-seconds' ? 'trialSeconds' : flag === 'warmup' ? 'warmupSeconds' : flag,
      Number(v),
    ]),
);
const target = OP_SCENARIO[op];
if (!target) throw new Error(`--op: expected one of ${Object.keys(OP_SCENARIO).join(', ')}`);
for (const [name, n] of Object.entries({ mainRuns, aaRuns, slowRuns, hogEvery, hogSeconds })) {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`${name}: expected a whole number ≥ 1`);
}
const NEUTRAL = 'busy-health:0.001ms';

interface Saved {
  label: string;
  result: RunResult;
  wallSeconds: number;
  hog: boolean;
}

/** One core busy until stopped, and never longer than `seconds` (the loop checks the clock). */
function startHog(seconds: number): ChildProcess {
  const code = `const end = Date.now() + ${Math.round(seconds * 1000)}; let x = 0; while (Date.now() < end) { for (let i = 0; i < 1e6; i++) x = (x * 31 + i) | 0; }`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function runOnce(label: string, faults: string, hog: boolean): Promise<Saved> {
  const file = `${outDir}/${label}.json`;
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Saved;
  if (analyzeOnly) throw new Error(`${file} is missing: run without --only analyze first`);
  const port = await freePort();
  const started = Date.now();
  const hogProcess = hog ? startHog(hogSeconds) : undefined;
  let result: RunResult;
  try {
    result = await executeRun({
      start: `exec env PORT=${port} ADMIN_SERVICE_FAULTS='${faults}' node --import tsx examples/admin-service/src/main.ts`,
      cwd: process.cwd(),
      baseUrl: `http://127.0.0.1:${port}`,
      readyTimeoutSeconds: 60,
      ...(config === '' ? {} : { config }),
      overrides,
    });
  } finally {
    hogProcess?.kill('SIGKILL');
  }
  const saved: Saved = { label, result, wallSeconds: (Date.now() - started) / 1000, hog };
  await writeFile(file, JSON.stringify(saved));
  console.error(
    `${label}: ${saved.wallSeconds.toFixed(0)} s (${faults}${hog ? ', CPU hog beside it' : ''})`,
  );
  return saved;
}

function scenarioOf(result: RunResult, name: string): ScenarioResult {
  const s = result.scenarios.find((x) => x.name === name);
  if (!s || s.trials.length === 0) throw new Error(`${name} missing from a run`);
  return s;
}

/** CPU ms one request of the target costs the service (its CPU share over its throughput). */
function cpuMsPerRequest(result: RunResult): number {
  const s = scenarioOf(result, target as string);
  const rps = median(s.trials.map((t) => t.metrics.throughput));
  return (s.resources.cpuPercentMean / 100) * (1000 / rps);
}

const rate = (k: number, n: number) => {
  const [lo, hi] = wilson(k, n);
  return `${k} of ${n} (${pct(k / Math.max(n, 1))}, 95 % CI ${pct(lo)}–${pct(hi)})`;
};

installSignalCleanup();
await mkdir(outDir, { recursive: true });

// Sizing of the slowdown from the first main run, kept for later sittings.
const disturbed = (i: number) => i % hogEvery === 0;
const main: Saved[] = [await runOnce('main-1', NEUTRAL, disturbed(1))];
const sizingFile = `${outDir}/sizing.json`;
if (!existsSync(sizingFile)) {
  const first = main[0] as Saved;
  await writeFile(sizingFile, JSON.stringify({ op, perRequestMs: cpuMsPerRequest(first.result) }));
}
const { perRequestMs } = JSON.parse(await readFile(sizingFile, 'utf8')) as { perRequestMs: number };
console.error(`${op}: ${perRequestMs.toFixed(3)} ms of service CPU per request`);
const slowFaults = `${NEUTRAL},busy-${op}:${Math.max(0.001, level * perRequestMs).toFixed(4)}ms`;

const aa: Saved[] = [];
const slow: Saved[] = [];
for (let i = 1; i <= Math.max(mainRuns, aaRuns, slowRuns); i++) {
  if (i > 1 && i <= mainRuns) main.push(await runOnce(`main-${i}`, NEUTRAL, disturbed(i)));
  if (i <= aaRuns) aa.push(await runOnce(`aa-${i}`, NEUTRAL, disturbed(i)));
  if (i <= slowRuns) {
    slow.push(await runOnce(`slow-${Math.round(level * 100)}pct-${i}`, slowFaults, disturbed(i)));
  }
}

// ---------------------------------------------------------------- analysis
const byStart = (a: Saved, b: Saved) =>
  Date.parse(a.result.startedAt) - Date.parse(b.result.startedAt);
main.sort(byStart);
const historyOf = (runs: Saved[]): History =>
  runs.reduce((h, r) => appendRun(h, summarizeRun(r.result)).history, emptyHistory());

interface Judged {
  verdict: Verdict;
  hog: boolean;
}

/** One run against one run: `current` against every main run but itself. */
function oneToOne(current: Saved, options: JudgeOptions): Judged[] {
  return main
    .filter((m) => m !== current)
    .map((m) => ({ verdict: judge(m.result, current.result, options), hog: current.hog || m.hog }));
}

/** Against the history of the main runs (but itself), the newest of them as the baseline. */
function againstHistory(current: Saved, options: JudgeOptions): Judged[] {
  const others = main.filter((m) => m !== current);
  const baseline = others[others.length - 1] as Saved;
  return [
    {
      verdict: judge(baseline.result, current.result, options, historyOf(others)),
      hog: current.hog,
    },
  ];
}

const flaggedTarget = (v: Verdict) =>
  v.scenarios.some((s) => s.name === target && s.status === 'regression');

function row(label: string, judgeRun: (r: Saved) => Judged[]): string {
  const aaJudged = [...aa, ...main].flatMap(judgeRun);
  const alarms = aaJudged.filter((j) => j.verdict.counts.regressions > 0).length;
  const machine = aaJudged.filter(
    (j) => j.verdict.counts.regressions === 0 && j.verdict.failsCheck && j.verdict.machine?.differs,
  ).length;
  const failed = aaJudged.filter((j) => j.verdict.failsCheck).length;
  const hogAlarms = aaJudged.filter((j) => j.hog && j.verdict.counts.regressions > 0).length;
  const slowJudged = slow.flatMap(judgeRun);
  const detected = slowJudged.filter((j) => flaggedTarget(j.verdict)).length;
  const slowFailed = slowJudged.filter((j) => j.verdict.failsCheck).length;
  const estimates = slowJudged.map(
    (j) =>
      j.verdict.scenarios
        .find((s) => s.name === target)
        ?.comparisons.find((c) => c.metric === 'p95')?.change.estimate ?? Number.NaN,
  );
  return `| ${label} | ${rate(alarms, aaJudged.length)} (with a hog: ${hogAlarms}) | ${machine} | ${rate(failed, aaJudged.length)} | ${rate(detected, slowJudged.length)} | ${rate(slowFailed, slowJudged.length)} | ${pct(median(estimates.filter(Number.isFinite)))} |`;
}

const alphaFlag = option('alpha', '');
const options = parseJudgeOptions(alphaFlag === '' ? {} : { alpha: alphaFlag }, CLI_JUDGE_FIELDS);
const lines = [
  row('one run against one run, min effect 10 %', (r) => oneToOne(r, options)),
  row('history, its defaults (α 0.01 unless --alpha, min effect 5 %)', (r) =>
    againstHistory(r, options),
  ),
  row('history, α 0.05, min effect 5 %', (r) =>
    againstHistory(r, { ...options, alpha: 0.05, alphaIsDefault: false }),
  ),
  row('history, its α, min effect 10 %', (r) =>
    againstHistory(r, { ...options, minEffect: 0.1, minEffectIsDefault: false }),
  ),
];
const walls = [...main, ...aa, ...slow].map((r) => r.wallSeconds);
const report = [
  `Stored baseline with history on this machine: PR profile (${main[0]?.result.scenarios.length} scenarios), alpha ${alphaFlag || '0.05 (one run), 0.01 (history)'}; ${main.length} main runs, ${aa.length} A/A and ${slow.length} ${op} +${Math.round(level * 100)} % CPU runs; a CPU hog beside every run numbered a multiple of ${hogEvery} (${[...main, ...aa, ...slow].filter((r) => r.hog).length} in all); wall time per run: median ${median(walls).toFixed(0)} s`,
  '',
  '| judged | A/A false alarms (a regression called) | A/A check failed as "machines differ" | A/A check failed (any reason) | slowdown detected (target a regression) | slow runs failing the check (any reason) | target p95 change (median estimate) |',
  '| :- | :- | -: | :- | :- | :- | -: |',
  ...lines,
  '',
  'A/A judgements: the A/A runs and each main run (against the others). One run against one run uses all pairs with the main runs, so its judgements share runs and are not independent; with the history each run is judged once.',
];
console.log(report.join('\n'));
await writeFile(`${outDir}/summary.md`, `${report.join('\n')}\n`);
