/**
 * Accuracy: loadgate's p50/p99 against wrk's at the same connections on the same server, in the
 * same run. Two servers: one answering at once (both tools at full speed, so wrk, being faster,
 * loads the server harder: a bound, not a like-for-like), and one answering after a fixed 5 ms
 * (both tools well under capacity: the like-for-like check). Goal: within 10 %.
 *
 *   npx tsx bench/accuracy.ts [--seconds 5] [--connections 10] [--rounds 3]      (needs wrk: apt-get install wrk)
 */
import { execFileSync } from 'node:child_process';
import { runPlan } from '../src/run/run-plan.js';
import { arg, median, startTrivialServer, trivialPlan } from './lib.js';

const seconds = arg('seconds', 5);
const connections = arg('connections', 10);
const rounds = arg('rounds', 3);

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrk(url: string): { p50: number; p99: number; rps: number } {
  const out = execFileSync('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    url,
  ]).toString();
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) throw new Error(`cannot read wrk's ${p}% from:\n${out}`);
    return toMs(m[1] as string, m[2] as string);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  return { p50: pct('50'), p99: pct('99'), rps };
}

try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error('wrk is not installed: apt-get install wrk');
    process.exit(2);
  }
}

const plan = trivialPlan({ connections, trials: 1, trialSeconds: seconds, warmupSeconds: 1 });

const rows: string[] = [];
for (const delayMs of [0, 5]) {
  const server = await startTrivialServer(delayMs);
  try {
    // Interleaved rounds (wrk, loadgate, wrk, loadgate…): the server warms up for both alike.
    const ws: ReturnType<typeof wrk>[] = [];
    const ls: { p50: number; p99: number; rps: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      ws.push(wrk(server.url));
      const [scenario] = await runPlan({
        plan,
        baseUrl: server.url,
        token: 'x',
        runId: `acc${delayMs}-${round}`,
      });
      const m = scenario?.trials[0]?.metrics;
      if (!m) throw new Error('loadgate recorded no trial');
      ls.push({ p50: m.p50, p99: m.p99, rps: m.throughput });
    }
    const med = (xs: { p50: number; p99: number; rps: number }[]) => ({
      p50: median(xs.map((x) => x.p50)),
      p99: median(xs.map((x) => x.p99)),
      rps: median(xs.map((x) => x.rps)),
    });
    const w = med(ws);
    const m = { ...med(ls), throughput: median(ls.map((x) => x.rps)) };
    const diff = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
    rows.push(
      `delay ${delayMs} ms | wrk p50 ${w.p50.toFixed(3)} p99 ${w.p99.toFixed(3)} ms at ${Math.round(w.rps)} req/s | ` +
        `loadgate p50 ${m.p50.toFixed(3)} p99 ${m.p99.toFixed(3)} ms at ${Math.round(m.throughput)} req/s | ` +
        `p50 ${diff(m.p50, w.p50)}, p99 ${diff(m.p99, w.p99)}`,
    );
  } finally {
    await server.stop();
  }
}
console.log(
  `connections ${connections}, ${seconds} s each, medians of ${rounds} interleaved rounds\n${rows.join('\n')}\n(goal: within 10 % on the 5 ms server)`,
);
