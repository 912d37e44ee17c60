/**
 * Memory: loadgate's own RSS while it drives a trivial server at full speed for a long run
 * (default 10 minutes as 10 trials of 60 s, all recording on). Goal: flat, under 150 MB.
 *
 *   npx tsx bench/memory.ts [--seconds 600] [--connections 10]
 */
import { createMonitor } from '../src/monitor/index.js';
import { runPlan } from '../src/run/run-plan.js';
import { linearTrend } from '../src/stats/index.js';
import { arg, startTrivialServer, trivialPlan } from './lib.js';

const seconds = arg('seconds', 600);
const connections = arg('connections', 10);
const trials = Math.max(1, Math.round(seconds / 60));
const mb = (bytes: number) => bytes / 2 ** 20;

const server = await startTrivialServer();
const samples: { x: number; y: number }[] = [];
const started = Date.now();
const timer = setInterval(() => {
  samples.push({ x: (Date.now() - started) / 60_000, y: mb(process.memoryUsage.rss()) });
}, 5000);
try {
  const plan = trivialPlan({
    connections,
    trials,
    trialSeconds: seconds / trials,
    warmupSeconds: 0,
  });
  const monitor = await createMonitor({ pid: server.child.pid as number });
  const [scenario] = await runPlan({
    plan,
    baseUrl: server.url,
    token: 'x',
    runId: 'mem',
    monitor,
    onProgress: (e) => {
      if (e.type === 'trial')
        console.log(
          `trial ${e.trial}/${e.trials}: ${Math.round(e.throughput)} req/s, loadgate RSS ${mb(process.memoryUsage.rss()).toFixed(1)} MB`,
        );
    },
  });
  await monitor.close();
  clearInterval(timer);
  const requests = scenario?.trials.reduce((n, t) => n + t.metrics.requests, 0) ?? 0;
  const later = samples.filter((s) => s.x >= samples[samples.length - 1]!.x / 3);
  const trend = later.length >= 3 ? linearTrend(later) : undefined;
  const rss = samples.map((s) => s.y);
  console.log(
    `\n${seconds} s at full speed, ${requests.toLocaleString('en-US')} requests recorded`,
  );
  console.log(
    `loadgate RSS: first ${rss[0]?.toFixed(1)} MB, last ${rss[rss.length - 1]?.toFixed(1)} MB, peak ${Math.max(...rss).toFixed(1)} MB (goal < 150 MB)`,
  );
  if (trend)
    console.log(
      `RSS slope over the last two thirds: ${trend.slope.toFixed(3)} MB/min [${trend.slopeLower.toFixed(3)}, ${trend.slopeUpper.toFixed(3)}], R² ${trend.r2.toFixed(2)}`,
    );
} finally {
  clearInterval(timer);
  await server.stop();
}
