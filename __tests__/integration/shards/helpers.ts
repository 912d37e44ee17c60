/**
 * One example service for shards to share, whose latency is mostly a fixed wait on a timer
 * (slow-health) at a light load, and a scenarios file of one scenario on /health: a sharded and
 * an unsharded run then see the same service time, and what differs between them is loadgate's
 * merging rather than four generators and the service sharing the test machine's two cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioResult } from '../../../src/result/types.js';
import { exampleCommand, freePort, newMarker, processesWithMarker, ROOT } from '../cli/helpers.js';

export interface SharedService {
  baseUrl: string;
  stop(): void;
}

/** The example service, each request waiting `delayMs` on a timer before it answers /health. */
export async function startSharedService(delayMs = 30): Promise<SharedService> {
  const port = await freePort();
  const marker = newMarker();
  const child: ChildProcess = spawn(
    'sh',
    ['-c', exampleCommand(port, marker, { ADMIN_SERVICE_FAULTS: `slow-health:${delayMs}ms` })],
    { cwd: ROOT, stdio: 'ignore' },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    for (const pid of processesWithMarker(marker)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  };
  let ready = false;
  const poll = async () => {
    ready = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
  };
  const deadline = Date.now() + 30_000;
  while (!ready && Date.now() < deadline) {
    await poll();
    if (!ready) await sleep(200);
  }
  if (!ready) {
    stop();
    throw new Error(`the example service did not answer on ${baseUrl}`);
  }
  return { baseUrl, stop };
}

/** In `dir`: `preset: none` and one scenario on /health, `connections` in all. */
export function healthConfig(
  dir: string,
  connections: number,
  trials: number,
  trialSeconds: number,
): string {
  const path = join(dir, 'loadgate.yml');
  writeFileSync(
    path,
    [
      'preset: none',
      `defaults: { trials: ${trials}, trialSeconds: ${trialSeconds}, warmupSeconds: 1, connections: ${connections} }`,
      'scenarios:',
      '  - name: health',
      '    requests: [{ name: health, path: /health }]',
      '',
    ].join('\n'),
  );
  return path;
}

/**
 * The run's p50 and p99 as loadgate reports them: the median trial's (a single trial's hiccup,
 * a GC pause on a shared 2-core machine, moves a pooled p99 by half).
 */
export function medianTrialPercentiles(scenario: ScenarioResult): { p50: number; p99: number } {
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1] ?? NaN;
  return {
    p50: median(scenario.trials.map((t) => t.metrics.p50)),
    p99: median(scenario.trials.map((t) => t.metrics.p99)),
  };
}
