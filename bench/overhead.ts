/**
 * Harness overhead: requests/s of a bare autocannon run vs loadgate's full recording path
 * (per-request µs histograms, per-endpoint tags, Server-Timing parsing, per-second series,
 * resource monitor) on the same trivial server, interleaved in the same run. Goal: ratio ≥ 0.9.
 *
 *   npx tsx bench/overhead.ts [--seconds 5] [--rounds 3] [--connections 10]
 */
import autocannon from 'autocannon';
import { createMonitor } from '../src/monitor/index.js';
import { runPlan } from '../src/run/run-plan.js';
import { arg, median, startTrivialServer, trivialPlan } from './lib.js';

const seconds = arg('seconds', 5);
const rounds = arg('rounds', 3);
const connections = arg('connections', 10);

const server = await startTrivialServer();
try {
  const plan = trivialPlan({ connections, trials: 1, trialSeconds: seconds, warmupSeconds: 0 });
  const monitor = await createMonitor({ pid: server.child.pid as number });
  const bare: number[] = [];
  const loadgate: number[] = [];
  // Warm both paths once so JIT and sockets are in the same state.
  await autocannon({ url: server.url, connections, duration: 1 });
  for (let round = 0; round < rounds; round++) {
    const result = await autocannon({
      url: server.url,
      connections,
      duration: seconds,
      pipelining: 1,
    });
    bare.push(result.requests.total / (result.duration || seconds));
    const [scenario] = await runPlan({
      plan,
      baseUrl: server.url,
      token: 'x',
      runId: `bench${round}`,
      monitor,
    });
    loadgate.push(scenario?.trials[0]?.metrics.throughput ?? 0);
    console.log(
      `round ${round + 1}: bare ${Math.round(bare[round] ?? 0)} req/s, loadgate ${Math.round(loadgate[round] ?? 0)} req/s`,
    );
  }
  await monitor.close();
  const ratio = median(loadgate) / median(bare);
  console.log(`\nconnections ${connections}, ${seconds} s a run, ${rounds} rounds, interleaved`);
  console.log(`bare autocannon   median ${Math.round(median(bare))} req/s`);
  console.log(`loadgate run      median ${Math.round(median(loadgate))} req/s`);
  console.log(`ratio loadgate/bare: ${ratio.toFixed(3)} (goal >= 0.9)`);
} finally {
  await server.stop();
}
