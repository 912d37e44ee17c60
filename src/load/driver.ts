import { installPacing } from './pacing.js';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import {
  AttributionCheck,
  attributionCheckEnabled,
  REQUEST_ID_HEADER,
  requestIdOf,
} from './attribution-check.js';
import {
  completedRequest,
  installClientFix,
  onConnectionOpened,
  onRequestCutOff,
  onRequestFailed,
  skipResponseBodies,
  tagSentRequests,
  type QueuedRequest,
} from './autocannon-client-fix.js';
import type { CompiledRequest, RenderContexts } from './compile.js';
import { renderRequest } from './compile.js';
import { weightedCycle } from './random.js';
import type { TrialRecorder } from './recorder.js';
import { parseServerTimingDb } from './recorder.js';

/**
 * Drives one phase (a warm-up or a trial) of a scenario with autocannon.
 *
 * autocannon's client is fixed at load time (autocannon-client-fix.ts): a request lost with its
 * connection is failed on its own instead of shifting every later answer onto an older request.
 * Each client is watched from `setupClient`: its `response` event (emitted synchronously as an
 * answer completes) comes with the queue entry the answer was credited to, whose request object
 * carries the index of the compiled request, so endpoint, expected status and Server-Timing are
 * read from the entry itself (no `onResponse`, which would convert every answer's headers to an
 * object first). Failed requests and those cut off when the phase stops come with their entry too.
 * With LOADGATE_CHECK_ATTRIBUTION=1 (tests) every request carries an id checked against the
 * server's echo (attribution-check.ts).
 *
 * autocannon's own latency histogram is whole milliseconds with no p95, so we record our own in
 * µs. Its coordinated-omission correction under a rate is wrong, so it is off and the result
 * reports the achieved ÷ target rate instead. No workers: they spawn files by path and emit no
 * events.
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

type AutocannonRequest = NonNullable<autocannon.Options['requests']>[number];

/** Property of each autocannon request object: the index of its compiled request. */
const INDEX = 'loadgateIndex';

/** How many slots the weighted cycle of a mixed scenario has. */
const MIX_CYCLE_LENGTH = 100;
/** How many times a lone request is listed (see buildRequests). */
const LONE_REQUEST_COPIES = 20;

function buildRequests(
  options: PhaseOptions,
  check: AttributionCheck | undefined,
): AutocannonRequest[] {
  const { requests, contexts } = options;
  if (requests.length === 1) {
    // autocannon deep-clones its per-client context each time it wraps around its request list:
    // with a list of one, on every request (a cost bench/overhead.ts shows). The same object
    // listed 20 times (one render; cloneDeep keeps shared references) wraps 20× less often, for
    // 20 builds of the request per connection when it starts.
    const [only] = buildEntries([0], options, check);
    return Array.from({ length: LONE_REQUEST_COPIES }, () => only as AutocannonRequest);
  }
  const cycle = weightedCycle(
    contexts.randomSource,
    requests.map((r) => r.weight),
    MIX_CYCLE_LENGTH,
  );
  return buildEntries(cycle, options, check);
}

function buildEntries(
  cycle: readonly number[],
  options: PhaseOptions,
  check: AttributionCheck | undefined,
): AutocannonRequest[] {
  const { requests, contexts } = options;
  return cycle.map((index) => {
    const request = requests[index] as CompiledRequest;
    const initial = renderRequest(request, contexts.next());
    const entry: Record<string, unknown> = {
      method: initial.method,
      path: initial.path,
      headers: initial.headers,
      ...(initial.body === undefined ? {} : { body: initial.body }),
      [INDEX]: index,
    };
    // Rebuilding a request is a large share of the generator's CPU (docs/measurements.md): only
    // per-request templates pay it (and the attribution check, which gives every request its own
    // id).
    if (request.perRequest || check) {
      entry.setupRequest = (req: Record<string, unknown>) => {
        const rendered = request.perRequest ? renderRequest(request, contexts.next()) : initial;
        req.path = rendered.path;
        req.headers = check
          ? { ...rendered.headers, [REQUEST_ID_HEADER]: check.issue(request.name) }
          : rendered.headers;
        if (rendered.body !== undefined) req.body = rendered.body;
        return req;
      };
    }
    return entry as unknown as AutocannonRequest;
  });
}

/** The Server-Timing header(s) of an answer, from the parser's raw [name, value, …] list. */
function serverTiming(raw: readonly string[] | undefined): string | string[] | undefined {
  if (raw === undefined) return undefined;
  let found: string | string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 13 || name.toLowerCase() !== 'server-timing') continue;
    const value = raw[i + 1] as string;
    found = found === undefined ? value : [...(Array.isArray(found) ? found : [found]), value];
  }
  return found;
}

function header(raw: readonly string[] | undefined, wanted: string): string | undefined {
  if (raw === undefined) return undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() === wanted) return raw[i + 1];
  }
  return undefined;
}

/** Records what each client answers, fails and has cut off into the recorder. */
function watchClients(
  recorder: TrialRecorder,
  requests: readonly CompiledRequest[],
  check: AttributionCheck | undefined,
): (client: autocannon.Client) => void {
  const requestOf = (entry: QueuedRequest) =>
    requests[entry.req[INDEX] as number] as CompiledRequest;
  return (client) => {
    skipResponseBodies(client);
    if (check) tagSentRequests(client);
    client.on('response', (status: number, _bytes: number, latencyMs: number) => {
      const entry = completedRequest(client) as QueuedRequest;
      const request = requestOf(entry);
      const raw = entry.headers.headers;
      recorder.response(
        request.name,
        status,
        request.expect,
        latencyMs,
        parseServerTimingDb(serverTiming(raw)),
        performance.now(),
      );
      check?.answered(request.name, requestIdOf(entry.sent), header(raw, REQUEST_ID_HEADER));
    });
    onRequestFailed(client, (entry, cause, elapsedMs) => {
      const request = requestOf(entry);
      recorder.requestFailed(request.name, cause, elapsedMs, performance.now());
      check?.settled(request.name, requestIdOf(entry.sent));
    });
    onConnectionOpened(client, (openingMs) => recorder.connectionOpened(openingMs));
    onRequestCutOff(client, (entry, elapsedMs) => {
      recorder.requestCutOff(elapsedMs);
      check?.settled(requestOf(entry).name, requestIdOf(entry.sent));
    });
  };
}

/** How often autocannon checks whether a phase's time is up (see runPhase). */
const STOP_TICK_MS = 50;

export async function runPhase(options: PhaseOptions): Promise<PhaseOutcome> {
  installClientFix();
  installPacing();
  const connections = options.rate
    ? Math.max(1, Math.min(options.connections, Math.floor(options.rate)))
    : options.connections;
  const { recorder } = options;
  const check = recorder && attributionCheckEnabled() ? new AttributionCheck() : undefined;
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
      // autocannon stops at the first sample tick after `duration` (sampleInt, 1 s by default), so
      // a 0.3 s phase ran a whole second and a 1 s one sometimes two; ticks of 50 ms end a phase
      // within 50 ms of its length.
      sampleInt: STOP_TICK_MS,
      timeout: options.timeoutSeconds,
      skipAggregateResult: true,
      requests: buildRequests(options, check),
      setupClient: recorder ? watchClients(recorder, options.requests, check) : skipResponseBodies,
      ...(options.rate ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}),
    } as autocannon.Options,
    (error) => finish(error ?? undefined),
  );
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
  recorder?.phaseEnded({
    connections,
    durationMs: elapsedMs,
    openLoop: options.rate !== undefined,
  });
  if (check) recorder?.noteAttribution(check.summary());
  return {
    durationSeconds: elapsedMs / 1000,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}
