import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnFaultServer, type FaultServer } from '../../../scripts/fault-server.js';
import { compileRequest, RenderContexts } from '../../../src/load/compile.js';
import { runPhase } from '../../../src/load/driver.js';
import { LITTLES_LAW_MAX_RATIO } from '../../../src/load/littles-law.js';
import { TrialRecorder } from '../../../src/load/recorder.js';

/**
 * The Little's-law check on real phases (the driver and the recorder, the fault server in its own
 * process): quiet, and close to 1, whatever the service does, because the time every request held
 * its connection is counted, answered, failed, timed out or cut off at the end, and so is the time
 * new connections took to open (with `Connection: close` on a busy 2-core machine that was 20 % of
 * the connections' time; unaccounted it put the ratio at 0.73–0.80).
 */

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
      body: { n: '{{seq}}' },
      expect: 201,
      weight: 1,
    },
    'create',
  ),
];

let server: FaultServer | undefined;
afterAll(async () => server?.stop());

async function phase(fault: Parameters<typeof spawnFaultServer>[0], timeoutSeconds = 5) {
  await server?.stop();
  server = await spawnFaultServer({ seed: 3, ...fault });
  const recorder = new TrialRecorder(['list', 'create'], performance.now());
  const outcome = await runPhase({
    baseUrl: server.url,
    requests,
    contexts: new RenderContexts('little', 't', new Map(), 1),
    connections: 10,
    seconds: 1.5,
    timeoutSeconds,
    recorder,
  });
  return recorder.finish(outcome.durationSeconds);
}

describe("Little's-law check on real phases", () => {
  it.each([
    ['an answering service, load generator flat out', { delayMs: 0 }],
    ['5 % of connections dropped', { delayMs: 5, dropPercent: 5 }],
    ['`Connection: close` on every answer', { delayMs: 5, closePercent: 100 }],
  ])('is quiet for %s', async (_name, fault) => {
    const recording = await phase(fault);
    expect(recording.suspect).toBeUndefined();
    expect(recording.littlesLawRatio).toBeGreaterThan(0.8);
    expect(recording.littlesLawRatio).toBeLessThanOrEqual(LITTLES_LAW_MAX_RATIO);
  });

  it('is quiet when most of the time goes to requests that time out or are cut off', async () => {
    // 10 % stall: each connection answers ~10 requests in 50 ms, then waits out a 1 s timeout.
    const recording = await phase({ delayMs: 5, stallPercent: 10 }, 1);
    expect(recording.metrics.timeouts).toBeGreaterThan(5);
    expect(recording.suspect).toBeUndefined();
    expect(recording.littlesLawRatio).toBeGreaterThan(0.8);
  });
});
