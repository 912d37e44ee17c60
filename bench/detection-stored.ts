/**
 * Detection quality of the gate on this machine, with the default PR profile on the example
 * service: the false-alarm rate of A/A comparisons and the detection rate of injected slowdowns
 * of one operation. Figures are printed, not asserted.
 *
 *   npx tsx bench/detection.ts --mode stored [--clean 6] [--faulted 3] [--levels 0.05,0.1,0.2] [--op search]
 *
 * The slowdown is CPU work (`busy-<op>` knob) sized from the clean runs: level × the CPU time
 * one request of that operation costs, so "10 %" means the operation's code got 10 % slower.
 * Every run, clean or not, has the fault hook installed (`busy-health`, a route the load never
 * calls) so the hook's own cost is not mistaken for a regression. Runs are interleaved (clean,
 * faulted, clean, …) so slow drift of the machine hits both sides alike.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { judge } from '../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../src/judge/types.js';
import type { RunResult } from '../src/result/types.js';
import { executeRun } from '../src/run/execute.js';
import { installSignalCleanup } from '../src/service/index.js';
import { freePort } from '../scripts/free-port.js';
import { OP_SCENARIO, option } from './lib.js';

const cleanRuns = Number(option('clean', '6'));
const faultedRuns = Number(option('faulted', '3'));
const levels = option('levels', '0.05,0.1,0.2').split(',').map(Number);
const op = option('op', 'search');
const target = OP_SCENARIO[op];
if (!target) throw new Error(`--op: expected one of ${Object.keys(OP_SCENARIO).join(', ')}`);
const outDir = option('out', '.loadgate/detection');

async function run(faults: string, label: string): Promise<{ result: RunResult; seconds: number }> {
  const port = await freePort();
  const started = Date.now();
  const result = await executeRun({
    start: `exec env PORT=${port} ADMIN_SERVICE_FAULTS='${faults}' node --import tsx examples/admin-service/src/main.ts`,
    cwd: process.cwd(),
    baseUrl: `http://127.0.0.1:${port}`,
    readyTimeoutSeconds: 60,
  });
  const seconds = (Date.now() - started) / 1000;
  await writeFile(`${outDir}/${label}.json`, JSON.stringify(result));
  console.error(`${label}: ${seconds.toFixed(0)} s (${faults})`);
  return { result, seconds };
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

function scenarioOf(result: RunResult, name: string) {
  const scenario = result.scenarios.find((s) => s.name === name);
  if (!scenario || scenario.trials.length === 0) throw new Error(`${name} missing from a run`);
  return scenario;
}

/** CPU ms one request of the target costs the service: its CPU share over its throughput. */
function cpuMsPerRequest(result: RunResult): number {
  const scenario = scenarioOf(result, target as string);
  const rps = median(scenario.trials.map((t) => t.metrics.throughput));
  return (scenario.resources.cpuPercentMean / 100) * (1000 / rps);
}

installSignalCleanup();
await mkdir(outDir, { recursive: true });
const NEUTRAL = 'busy-health:0.001ms';
const clean: RunResult[] = [];
const wall: number[] = [];

// First clean run sizes the slowdowns; the rest are interleaved with the faulted runs.
const first = await run(NEUTRAL, 'clean-1');
clean.push(first.result);
wall.push(first.seconds);
const perRequest = cpuMsPerRequest(first.result);
console.error(`${op}: ${perRequest.toFixed(3)} ms of service CPU per request`);

// Interleave the remaining clean runs with the faulted ones.
const cleanQueue = Array.from({ length: cleanRuns - 1 }, (_, i) => ({ level: 0, index: i + 2 }));
const faultedQueue = Array.from({ length: faultedRuns }, (_, i) =>
  levels.map((level) => ({ level, index: i + 1 })),
).flat();
const schedule: Array<{ level: number; index: number }> = [];
while (cleanQueue.length + faultedQueue.length > 0) {
  const next = faultedQueue.shift();
  if (next) schedule.push(next);
  const nextClean = cleanQueue.shift();
  if (nextClean) schedule.push(nextClean);
}
const faulted = new Map<number, RunResult[]>(levels.map((l) => [l, []]));
for (const { level, index } of schedule) {
  if (level === 0) {
    const r = await run(NEUTRAL, `clean-${index}`);
    clean.push(r.result);
    wall.push(r.seconds);
  } else {
    const busy = Math.max(0.001, level * perRequest).toFixed(4);
    const r = await run(
      `${NEUTRAL},busy-${op}:${busy}ms`,
      `slow-${Math.round(level * 100)}pct-${index}`,
    );
    faulted.get(level)?.push(r.result);
    wall.push(r.seconds);
  }
}

const options = DEFAULT_JUDGE_OPTIONS;
const lines: string[] = [];
// A/A: every pair of clean runs. A false alarm = any regression anywhere in the profile.
let aaPairs = 0;
let aaAlarms = 0;
const aaFlagged = new Map<string, number>();
for (let i = 0; i < clean.length; i++) {
  for (let j = i + 1; j < clean.length; j++) {
    const verdict = judge(clean[i], clean[j] as RunResult, options);
    aaPairs++;
    if (verdict.counts.regressions > 0) aaAlarms++;
    for (const s of verdict.scenarios)
      if (s.status === 'regression') aaFlagged.set(s.name, (aaFlagged.get(s.name) ?? 0) + 1);
  }
}
lines.push(
  `| A/A (no change) | – | ${aaPairs} | ${aaAlarms} false alarm(s) (${((aaAlarms / aaPairs) * 100).toFixed(1)} %) | ${[...aaFlagged].map(([n, c]) => `${n} ×${c}`).join(', ') || 'none'} |`,
);

for (const level of levels) {
  const runs = faulted.get(level) ?? [];
  let pairs = 0;
  let detected = 0;
  let elsewhere = 0;
  const ratios: number[] = [];
  for (const current of runs) {
    for (const base of clean) {
      const verdict = judge(base, current, options);
      pairs++;
      const hit = verdict.scenarios.find((s) => s.name === target);
      if (hit?.status === 'regression') detected++;
      if (verdict.scenarios.some((s) => s.name !== target && s.status === 'regression'))
        elsewhere++;
      ratios.push(
        median(scenarioOf(current, target).trials.map((t) => t.metrics.p95)) /
          median(scenarioOf(base, target).trials.map((t) => t.metrics.p95)),
      );
    }
  }
  const achieved = (median(ratios) - 1) * 100;
  lines.push(
    `| ${op} +${Math.round(level * 100)} % CPU | ${achieved >= 0 ? '+' : ''}${achieved.toFixed(1)} % | ${pairs} | ${detected} detected (${((detected / Math.max(pairs, 1)) * 100).toFixed(0)} %) | other scenarios flagged in ${elsewhere} |`,
  );
}

const report = [
  `Detection on this machine: PR profile (${clean[0]?.scenarios.length} scenarios, ${clean[0]?.scenarios[0]?.settings.trials} trials of ${clean[0]?.scenarios[0]?.settings.trialSeconds} s), alpha ${options.alpha}, min effect ${options.minEffect * 100} %`,
  `runs: ${clean.length} clean, ${faultedRuns} per level; wall time per run: median ${median(wall).toFixed(0)} s`,
  '',
  '| comparison | p95 change of the target (median) | comparisons | outcome | flagged elsewhere |',
  '| :- | -: | -: | :- | :- |',
  ...lines,
  '',
  'Comparisons share runs (all pairs), so they are not independent; with few of them the rates have wide intervals.',
];
console.log(report.join('\n'));
await writeFile(`${outDir}/summary.md`, `${report.join('\n')}\n`);
