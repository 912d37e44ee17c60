import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { CompiledRequest, RenderContexts } from './compile.js';
import { renderRequest } from './compile.js';
import { weightedCycle } from './random.js';
import type { TrialRecorder } from './recorder.js';
import { parseServerTimingDb } from './recorder.js';

/**
 * Drives one phase (a warm-up or a trial) of a scenario with autocannon.
 *
 * autocannon facts this relies on (DESIGN.md): with `pipelining: 1` a request's `onResponse` is
 * called and then, synchronously, the instance's `response` event with the latency; so the last
 * `onResponse` tells which endpoint (and which Server-Timing) the `response` belongs to. Its own
 * latency histogram is whole milliseconds with no p95, so we record our own in µs. Its
 * coordinated-omission correction under a rate is wrong, so it is off and the result reports the
 * achieved ÷ target rate instead. No workers: they spawn files by path and emit no events.
 */

export interface PhaseOptions {
  baseUrl: string;
  requests: readonly CompiledRequest[];
  contexts: RenderContexts;
  connections: number;
  seconds: number;
  timeoutSeconds: number;
  rate?: number;
  /** Absent for a warm-up: nothing is recorded. */
  recorder?: TrialRecorder;
  /** Rejects when the phase must stop at once (the service crashed). */
  abort?: Promise<never>;
}

export interface PhaseOutcome {
  durationSeconds: number;
  /** CPU used by this process during the phase, percent of one core. */
  generatorCpuPercent: number;
}

interface LastResponse {
  endpoint: string;
  expect: number;
  serverTiming: string | string[] | undefined;
}

type AutocannonRequest = NonNullable<autocannon.Options['requests']>[number];

/** How many slots the shuffled weighted cycle of a mixed scenario has. */
const MIX_CYCLE_LENGTH = 100;

function buildRequests(options: PhaseOptions, last: LastResponse): AutocannonRequest[] {
  const { requests, contexts } = options;
  const cycle =
    requests.length === 1
      ? [0]
      : weightedCycle(
          contexts.randomSource,
          requests.map((r) => r.weight),
          MIX_CYCLE_LENGTH,
        );
  return cycle.map((index) => {
    const request = requests[index] as CompiledRequest;
    const onResponse = (
      _status: number,
      _body: string,
      _context: unknown,
      headers: Record<string, string | string[]>,
    ) => {
      last.endpoint = request.name;
      last.expect = request.expect;
      last.serverTiming =
        headers['server-timing'] ?? headers['Server-Timing'] ?? findHeader(headers);
    };
    const initial = renderRequest(request, contexts.next());
    const entry: Record<string, unknown> = {
      method: initial.method,
      path: initial.path,
      headers: initial.headers,
      ...(initial.body === undefined ? {} : { body: initial.body }),
      onResponse,
    };
    // Rebuilding a request costs ~13 % of the generator's CPU: only per-request templates pay it.
    if (request.perRequest) {
      entry.setupRequest = (req: Record<string, unknown>) => {
        const rendered = renderRequest(request, contexts.next());
        req.path = rendered.path;
        req.headers = rendered.headers;
        if (rendered.body !== undefined) req.body = rendered.body;
        return req;
      };
    }
    return entry as unknown as AutocannonRequest;
  });
}

function findHeader(headers: Record<string, string | string[]>): string | string[] | undefined {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === 'server-timing') return headers[key];
  }
  return undefined;
}

export async function runPhase(options: PhaseOptions): Promise<PhaseOutcome> {
  const last: LastResponse = { endpoint: '', expect: 200, serverTiming: undefined };
  const connections = options.rate
    ? Math.max(1, Math.min(options.connections, Math.floor(options.rate)))
    : options.connections;
  const { recorder } = options;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let finish: (error?: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: options.baseUrl,
      connections,
      pipelining: 1,
      duration: options.seconds,
      timeout: options.timeoutSeconds,
      skipAggregateResult: true,
      requests: buildRequests(options, last),
      ...(options.rate ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    } as autocannon.Options,
    (error) => finish(error ?? undefined),
  );
  if (recorder) {
    instance.on(
      'response',
      (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
        recorder.response(
          last.endpoint,
          statusCode,
          last.expect,
          responseTime,
          parseServerTimingDb(last.serverTiming),
          performance.now(),
        );
      },
    );
    instance.on('reqError', (error: Error) => {
      recorder.failure(error.message === 'request timed out', performance.now());
    });
  }
  if (options.abort) {
    // The abort promise lives for the whole run and its handlers cannot be removed: hold the
    // instance through a cell cleared after the phase, so finished phases are not retained.
    let stopThis: (() => void) | undefined = () => instance.stop();
    options.abort.catch(() => stopThis?.());
    try {
      await Promise.race([done, options.abort]);
    } finally {
      stopThis = undefined;
    }
  } else {
    await done;
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    durationSeconds: elapsedMs / 1000,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}
