/**
 * Harness overhead: requests/s of a bare autocannon run vs loadgate's full recording path
 * (the client fix, per-request µs histograms, per-endpoint tags, Server-Timing parsing,
 * per-second series, resource monitor) on the same trivial server, interleaved in the same run.
 * Goal: ratio ≥ 0.9. Run it alone: anything else on the machine's two cores moves the ratio.
 *
 * Rounds alternate which path goes first (bare, loadgate | loadgate, bare | …) so slow drift of the
 * machine hits both alike; the ratio is of the medians. The server and this process (both paths
 * run in it) are pinned to different CPUs when the machine has two or more and `taskset` exists
 * (`--no-pin` to leave placement to the scheduler): on loopback, whether the two share a core
 * changes the cost of every write severalfold (unpinned, bare autocannon alone ranged 15k–36k
 * req/s from run to run on this 2-core machine while other work ran).
 *
 * To see where a difference goes, profile a short run of each path (`node --import tsx
 * --cpu-prof …`), keep the samples of the measured seconds and compare where they land.
 *
 *   npx tsx bench/overhead.ts [--seconds 5] [--rounds 5] [--connections 10] [--no-pin]
 */
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { createMonitor } from '../src/monitor/index.js';
import { runPlan } from '../src/run/run-plan.js';
import { arg, median, pinToCpu, startTrivialServer, trivialPlan } from './lib.js';

const seconds = arg('seconds', 5);
const rounds = arg('rounds', 5);
const connections = arg('connections', 10);

const server = await startTrivialServer();
const cpus = availableParallelism();
const pinned =
  !process.argv.includes('--no-pin') &&
  cpus >= 2 &&
  pinToCpu(server.child.pid as number, cpus - 1) &&
  pinToCpu(process.pid, 0);
try {
  const plan = trivialPlan({ connections, trials: 1, trialSeconds: seconds, warmupSeconds: 0 });
  const monitor = await createMonitor({ pid: server.child.pid as number });
  const bare: number[] = [];
  const loadgate: number[] = [];
  const runBare = async () => {
    const result = await autocannon({
      url: server.url,
      connections,
      duration: seconds,
      pipelining: 1,
    });
    bare.push(result.requests.total / (result.duration || seconds));
  };
  const runLoadgate = async (round: number) => {
    const [scenario] = await runPlan({
      plan,
      baseUrl: server.url,
      token: 'x',
      runId: `bench${round}`,
      monitor,
    });
    loadgate.push(scenario?.trials[0]?.metrics.throughput ?? 0);
  };
  // Warm both paths once so JIT and sockets are in the same state.
  await autocannon({ url: server.url, connections, duration: 1 });
  await runPlan({
    plan: trivialPlan({ connections, trials: 1, trialSeconds: 1, warmupSeconds: 0 }),
    baseUrl: server.url,
    token: 'x',
    runId: 'warm',
  });
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await runBare();
      await runLoadgate(round);
    } else {
      await runLoadgate(round);
      await runBare();
    }
    console.log(
      `round ${round + 1}: bare ${Math.round(bare[round] ?? 0)} req/s, loadgate ${Math.round(loadgate[round] ?? 0)} req/s`,
    );
  }
  await monitor.close();
  const ratio = median(loadgate) / median(bare);
  console.log(
    `\nconnections ${connections}, ${seconds} s a run, median of ${rounds} rounds, interleaved; ${pinned ? `server on CPU ${cpus - 1}, load generator on CPU 0` : 'not pinned'}`,
  );
  console.log(`bare autocannon   median ${Math.round(median(bare))} req/s`);
  console.log(`loadgate run      median ${Math.round(median(loadgate))} req/s`);
  console.log(`ratio loadgate/bare: ${ratio.toFixed(3)} (goal >= 0.9)`);
} finally {
  await server.stop();
}
