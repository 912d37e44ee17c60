import { afterEach, describe, expect, it } from 'vitest';
import {
  startFaultServer,
  type FaultCounters,
  type FaultOptions,
  type FaultServer,
  type RouteCounters,
} from '../../../scripts/fault-server.js';
import type { TrialResult } from '../../../src/result/types.js';
import { mixConfig, runLoadgate } from './helpers.js';

/**
 * Each fault of scripts/fault-server.ts driven through `loadgate run` (a list 3 : create 1 mix,
 * 10 connections, the request-id attribution check on), compared with what the server did.
 * loadgate stops its connections mid-request when a trial ends: each may leave one request the
 * server counted and loadgate did not (cut off), hence the slack of CONNECTIONS.
 */

const CONNECTIONS = 10;
const ROUTES = { list: 'GET /items', create: 'POST /items' } as const;
const DELAY_MS = 10;

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function run(fault: FaultOptions, trialSeconds = 1.5, timeoutSeconds = 5) {
  server = await startFaultServer({ delayMs: DELAY_MS, seed: 7, ...fault });
  const { trial } = await runLoadgate(
    mixConfig({ trialSeconds, timeoutSeconds, connections: CONNECTIONS }),
    server.url,
  );
  return { trial, counters: await server.counters() };
}

type Fate = Exclude<keyof RouteCounters, 'seen' | 'answered'>;

/** Every answer and failure credited to its own request and endpoint, counts as the server's. */
function expectExactAccounting(
  trial: TrialResult,
  counters: FaultCounters,
  fate: Fate | undefined,
  failedOf: (e: TrialResult['endpoints'][string]) => number,
) {
  expect(trial.metrics.attribution?.checked).toBeGreaterThan(100);
  expect(trial.metrics.attribution).toMatchObject({ mismatched: 0, unresolved: 0 });
  // Each endpoint got only its own status: a list answer credited to a create would be unexpected.
  expect(trial.metrics.unexpectedStatus).toBe(0);
  let slack = 0;
  for (const [name, route] of Object.entries(ROUTES)) {
    const mine = trial.endpoints[name];
    const theirs = counters.byRoute[route];
    if (!mine || !theirs) throw new Error(`no figures for ${name}`);
    const answeredGap = theirs.answered - mine.requests;
    const failedGap = (fate ? theirs[fate] : 0) - failedOf(mine);
    expect(answeredGap, `${name} answers`).toBeGreaterThanOrEqual(0);
    expect(failedGap, `${name} failures`).toBeGreaterThanOrEqual(0);
    slack += answeredGap + failedGap;
  }
  expect(slack).toBeLessThanOrEqual(CONNECTIONS);
  expect(trial.metrics.statusCodes).toEqual({
    '200': trial.endpoints.list?.requests,
    '201': trial.endpoints.create?.requests,
  });
  // The mix's weights show in what was sent.
  const list = counters.byRoute[ROUTES.list]?.seen ?? 0;
  const create = counters.byRoute[ROUTES.create]?.seen ?? 1;
  expect(list / create).toBeGreaterThan(2);
  expect(list / create).toBeLessThan(4.5);
}

/** The error rate is the injected one, within 4 standard errors (and the cut-off slack). */
function expectInjectedRate(trial: TrialResult, percent: number) {
  const p = percent / 100;
  const attempts = trial.metrics.requests + trial.metrics.errors;
  const tolerance = 4 * Math.sqrt((p * (1 - p)) / attempts) + CONNECTIONS / attempts;
  expect(Math.abs(trial.metrics.errorRate - p)).toBeLessThanOrEqual(tolerance);
}

/**
 * Answered requests took what the server says it took, plus a little transport (`extraMs` more
 * when every request opens a connection: the connect and the server's accept come before the
 * server's clock starts). Crediting answers to earlier requests adds whole request cycles.
 */
function expectServerLatency(trial: TrialResult, counters: FaultCounters, extraMs = 0) {
  const mine = trial.metrics.answered?.p50 ?? trial.metrics.p50;
  const theirs = counters.handling.p50;
  expect(theirs).toBeGreaterThanOrEqual(DELAY_MS);
  expect(mine).toBeGreaterThanOrEqual(theirs * 0.98);
  expect(mine).toBeLessThanOrEqual(theirs + Math.max(3, theirs * 0.3) + extraMs);
}

describe('loadgate run against a failing service', () => {
  it('measures a healthy service as the service measures itself', async () => {
    const { trial, counters } = await run({});
    expect(trial.metrics.errors).toBe(0);
    expectExactAccounting(trial, counters, undefined, () => 0);
    expectServerLatency(trial, counters);
  });

  it('counts connections closed without an answer as failures of their own endpoint', async () => {
    const { trial, counters } = await run({ dropPercent: 5 });
    expect(counters.dropped).toBeGreaterThan(20);
    expect(trial.metrics.closedBeforeResponse).toBe(trial.metrics.errors);
    expectExactAccounting(trial, counters, 'dropped', (e) => e.closedBeforeResponse ?? 0);
    expectInjectedRate(trial, 5);
    expectServerLatency(trial, counters);
  });

  it('counts reset connections the same way', async () => {
    const { trial, counters } = await run({ resetPercent: 5 });
    expect(counters.reset).toBeGreaterThan(20);
    expect(trial.metrics.closedBeforeResponse).toBe(trial.metrics.errors);
    expectExactAccounting(trial, counters, 'reset', (e) => e.closedBeforeResponse ?? 0);
    expectInjectedRate(trial, 5);
    expectServerLatency(trial, counters);
  });

  it('counts a truncated body as a failure, and parses the next answer cleanly', async () => {
    const { trial, counters } = await run({ truncatePercent: 5 });
    expect(counters.truncated).toBeGreaterThan(20);
    expectExactAccounting(trial, counters, 'truncated', (e) => e.closedBeforeResponse ?? 0);
    expectInjectedRate(trial, 5);
    expectServerLatency(trial, counters);
  });

  it('sends on a new connection after `Connection: close`, losing nothing', async () => {
    const { trial, counters } = await run({ closePercent: 100 });
    expect(counters.closedAfterAnswer).toBe(counters.answered);
    expect(trial.metrics.errors).toBe(0);
    expectExactAccounting(trial, counters, undefined, () => 0);
    expectServerLatency(trial, counters, 5);
  });

  it('counts stalled requests at the timeout, apart from the answered latency', async () => {
    const { trial, counters } = await run({ stallPercent: 2 }, 2.5, 1);
    expect(trial.metrics.timeouts).toBeGreaterThan(3);
    expect(trial.metrics.errors).toBe(trial.metrics.timeouts);
    expectExactAccounting(trial, counters, 'stalled', (e) => e.timeouts ?? 0);
    expect(trial.metrics.max).toBeGreaterThanOrEqual(1000);
    expect(trial.metrics.p999).toBeGreaterThanOrEqual(1000);
    expect(trial.metrics.answered?.max).toBeLessThan(1000);
    expectServerLatency(trial, counters);
  });
});
