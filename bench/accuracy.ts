/**
 * Accuracy against a failing service: loadgate's figures beside wrk's and hey's on the same fault
 * server (scripts/fault-server.ts, in its own process), one fault at a time, rounds interleaved
 * (wrk, loadgate, hey, wrk, …) so drift of the machine hits all three alike. For each tool:
 * answered requests, errors, error rate, p50/p99 of the answered requests; for loadgate also how
 * its failures split, the Little's-law ratio (and `suspect` if any) and the attribution check.
 *
 * The server answers after --delay ms (all three tools well under capacity: a like-for-like
 * check); "full speed" (no delay) is a bound only: wrk, being faster, loads the server harder.
 * Goals per fault: loadgate's error rate within 1 pp of the injected rate, p50 and p99 within 10 %
 * of wrk's, attribution exact, the Little's-law check quiet.
 *
 * loadgate runs its own driver and recorder (src/load) on a list 3 : create 1 mix with the request
 * id attribution check on (LOADGATE_CHECK_ATTRIBUTION=1: every request carries an id the server
 * echoes; it costs a few µs a request, nothing at this load); wrk and hey send GET /items (same
 * server work). Differences to expect: loadgate and hey count connecting in a new connection's
 * first request, wrk does not (visible with `Connection: close`); Go retries a GET whose reused
 * connection closed before any answer, so hey shows fewer errors on drops; wrk does not close a
 * connection whose request timed out, so on stalls its connections stay stuck.
 *
 *   npx tsx bench/accuracy.ts [--seconds 5] [--connections 10] [--rounds 3] [--delay 5]
 *   (needs wrk and hey: apt-get install -y wrk hey)
 */
import { performance } from 'node:perf_hooks';
import { spawnFaultServer, type FaultOptions } from '../scripts/fault-server.js';
import { compileRequest, RenderContexts } from '../src/load/compile.js';
import { runPhase } from '../src/load/driver.js';
import { TrialRecorder, type TrialRecording } from '../src/load/recorder.js';
import { arg, median, requireTool, runHey, runWrk, type ToolFigures } from './lib.js';

const seconds = arg('seconds', 5);
const connections = arg('connections', 10);
const rounds = arg('rounds', 3);
const delayMs = arg('delay', 5);

requireTool('wrk', ['--version'], 'apt-get install -y wrk');
requireTool('hey', [], 'apt-get install -y hey');
process.env.LOADGATE_CHECK_ATTRIBUTION = '1';

interface Knob {
  name: string;
  fault: FaultOptions;
  /** The fault's nominal share of requests, percent (0: none). */
  injected: number;
  timeoutSeconds: number;
}

const KNOBS: Knob[] = [
  { name: 'full speed (bound)', fault: { delayMs: 0 }, injected: 0, timeoutSeconds: 10 },
  { name: 'answers only', fault: {}, injected: 0, timeoutSeconds: 10 },
  { name: 'drop 5 %', fault: { dropPercent: 5 }, injected: 5, timeoutSeconds: 10 },
  { name: 'reset 5 %', fault: { resetPercent: 5 }, injected: 5, timeoutSeconds: 10 },
  { name: 'truncate 5 %', fault: { truncatePercent: 5 }, injected: 5, timeoutSeconds: 10 },
  { name: 'Connection: close', fault: { closePercent: 100 }, injected: 0, timeoutSeconds: 10 },
  { name: 'stall 1 %', fault: { stallPercent: 1 }, injected: 1, timeoutSeconds: 2 },
];

const requests = [
  compileRequest(
    { name: 'list', method: 'GET', path: '/items', headers: {}, expect: 200, weight: 3 },
    'list',
  ),
  compileRequest(
    {
      name: 'create',
      method: 'POST',
      path: '/items',
      headers: { 'content-type': 'application/json' },
      body: { name: 'item {{seq}}' },
      expect: 201,
      weight: 1,
    },
    'create',
  ),
];

interface LoadgateFigures extends ToolFigures {
  recording: TrialRecording;
}

async function loadgate(url: string, knob: Knob, round: number): Promise<LoadgateFigures> {
  const contexts = new RenderContexts(`acc-${round}`, 'x', new Map(), round + 1);
  const phase = {
    baseUrl: url,
    requests,
    contexts,
    connections,
    timeoutSeconds: knob.timeoutSeconds,
  };
  await runPhase({ ...phase, seconds: 1 });
  const recorder = new TrialRecorder(['list', 'create'], performance.now());
  const outcome = await runPhase({ ...phase, seconds, recorder });
  const recording = recorder.finish(outcome.durationSeconds);
  const m = recording.metrics;
  const answered = m.answered ?? m;
  return {
    answered: m.requests,
    errors: m.errors,
    p50: answered.p50,
    p99: answered.p99,
    recording,
  };
}

const pct = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : '–');
const diff = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;

function medianFigures(xs: ToolFigures[]): ToolFigures {
  return {
    answered: median(xs.map((x) => x.answered)),
    errors: median(xs.map((x) => x.errors)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
  };
}

function line(tool: string, f: ToolFigures): string {
  const rate = pct(f.errors, f.answered + f.errors);
  return `  ${tool.padEnd(9)} answered ${String(Math.round(f.answered)).padStart(7)}  errors ${String(Math.round(f.errors)).padStart(5)} (${rate.toFixed(2)} %)  p50 ${ms(f.p50)} ms  p99 ${ms(f.p99)} ms`;
}

const report: string[] = [];
for (const knob of KNOBS) {
  const server = await spawnFaultServer({ delayMs, seed: 1, ...knob.fault });
  const url = `${server.url}/items`;
  const tools = { timeoutSeconds: knob.timeoutSeconds, connections, seconds };
  const wrks: ToolFigures[] = [];
  const heys: ToolFigures[] = [];
  const ours: LoadgateFigures[] = [];
  const realized: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      wrks.push(runWrk(url, tools));
      await server.reset();
      ours.push(await loadgate(server.url, knob, round));
      const c = await server.counters();
      realized.push(pct(c.dropped + c.reset + c.truncated + c.stalled, c.seen));
      heys.push(runHey(url, tools));
    }
  } finally {
    await server.stop();
  }
  const w = medianFigures(wrks);
  const h = medianFigures(heys);
  const l = medianFigures(ours);
  const lRate = pct(l.errors, l.answered + l.errors);
  const recordings = ours.map((o) => o.recording);
  const closed = median(recordings.map((r) => r.metrics.closedBeforeResponse ?? 0));
  const timeouts = median(recordings.map((r) => r.metrics.timeouts));
  const mismatched = Math.max(...recordings.map((r) => r.metrics.attribution?.mismatched ?? -1));
  const unresolved = Math.max(...recordings.map((r) => r.metrics.attribution?.unresolved ?? -1));
  const ratios = recordings.map((r) => r.littlesLawRatio ?? Number.NaN);
  const suspects = recordings.flatMap((r) => (r.suspect ? [r.suspect.cause] : []));
  report.push(
    `${knob.name} (server delay ${knob.fault.delayMs ?? delayMs} ms, injected ${knob.injected} %, realized for loadgate ${median(realized).toFixed(2)} %)`,
    line('wrk', w),
    line('hey', h),
    line('loadgate', l),
    `  loadgate: ${closed} closed before response, ${timeouts} timeouts; attribution mismatched ${mismatched}, unresolved ${unresolved}; Little's-law ratio ${ratios.map((r) => r.toFixed(3)).join(', ')}${suspects.length ? `; SUSPECT: ${suspects.join(', ')}` : ''}`,
    `  loadgate vs goals: error rate ${(lRate - knob.injected).toFixed(2)} pp from injected (≤ 1 pp); p50 ${diff(l.p50, w.p50)}, p99 ${diff(l.p99, w.p99)} vs wrk (within 10 %)`,
    '',
  );
  console.error(`${knob.name}: done`);
}
console.log(
  `connections ${connections}, ${seconds} s a run, medians of ${rounds} interleaved rounds (wrk, loadgate, hey)\n\n${report.join('\n')}`,
);
