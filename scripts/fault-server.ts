/**
 * A fault-injecting HTTP server for tests and benchmarks: it fails a chosen share of requests in
 * the ways a broken service does (closes the connection without answering, resets it, stalls
 * forever, sends a truncated body, answers `Connection: close`) and counts exactly what it did,
 * with its own handling time, so a load generator's figures can be checked against the truth.
 *
 * Every request (but the control routes) waits `delayMs` after its body has arrived, then meets
 * its fate, drawn from a seeded generator: dropped, reset, stalled, truncated, or answered (201
 * for POST, 200 otherwise, a small JSON body). An `x-loadgate-request-id` request header is
 * echoed in the answer, so a client can check which request an answer belongs to.
 *
 * Control routes, never faulted nor counted: `GET /health`, `GET /__fault/counters` (JSON),
 * `POST /__fault/reset` (zero the counters).
 *
 * In-process:  const server = await startFaultServer({ dropPercent: 5, delayMs: 5 });
 * Own process: const server = await spawnFaultServer({ dropPercent: 5 });   (benchmarks)
 * CLI:         npx tsx scripts/fault-server.ts --drop 5 --delay-ms 5 [--port 0] [--reset 0]
 *                [--stall 0] [--truncate 0] [--close 0] [--seed 1]    (prints "listening <port>")
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { newHistogram, percentileMs } from '../src/load/histogram.js';
import { seededRandom } from '../src/stats/random.js';

export interface FaultOptions {
  /** Port to listen on (default 0: any free port); always on 127.0.0.1. */
  port?: number;
  /** Wait this long (ms) before each request's fate: the handler's working time. */
  delayMs?: number;
  /** Percent of requests whose connection is closed (FIN) without any response. */
  dropPercent?: number;
  /** Percent of requests whose connection is reset (RST) without any response. */
  resetPercent?: number;
  /** Percent of requests never answered (the connection stays open until the client gives up). */
  stallPercent?: number;
  /** Percent of requests answered with headers and half the body, then the connection is closed. */
  truncatePercent?: number;
  /** Percent of answers sent with `Connection: close` (100: every answer). */
  closePercent?: number;
  /** Seed of the fate draws (same seed, same sequence of fates). */
  seed?: number;
}

type Fate = 'answered' | 'dropped' | 'reset' | 'stalled' | 'truncated';

export interface RouteCounters {
  seen: number;
  answered: number;
  dropped: number;
  reset: number;
  stalled: number;
  truncated: number;
}

export interface FaultCounters extends RouteCounters {
  /** Answers sent with `Connection: close`. */
  closedAfterAnswer: number;
  /** Per `METHOD /path`. */
  byRoute: Record<string, RouteCounters>;
  /** Answered requests: from the request's arrival to the answer handed to the kernel, ms. */
  handling: { count: number; p50: number; p99: number; mean: number; max: number };
}

export interface FaultServer {
  url: string;
  counters(): Promise<FaultCounters>;
  /** Zero the counters (between rounds of a benchmark). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const REQUEST_ID_HEADER = 'x-loadgate-request-id';

const BODY = Buffer.from(JSON.stringify({ ok: true, items: [1, 2, 3], note: 'fault-server' }));

function emptyRoute(): RouteCounters {
  return { seen: 0, answered: 0, dropped: 0, reset: 0, stalled: 0, truncated: 0 };
}

/** Picks each request's fate: the shares are cumulative slices of one uniform draw. */
function fatePicker(options: FaultOptions): () => Fate {
  const random = seededRandom(options.seed ?? 1);
  const slices: Array<[number, Fate]> = [];
  let edge = 0;
  for (const [percent, fate] of [
    [options.dropPercent, 'dropped'],
    [options.resetPercent, 'reset'],
    [options.stallPercent, 'stalled'],
    [options.truncatePercent, 'truncated'],
  ] as Array<[number | undefined, Fate]>) {
    edge += (percent ?? 0) / 100;
    slices.push([edge, fate]);
  }
  if (edge > 1) throw new Error('fault shares add up to more than 100 %');
  return () => {
    const u = random();
    for (const [upTo, fate] of slices) if (u < upTo) return fate;
    return 'answered';
  };
}

/** Start the server in this process. */
export async function startFaultServer(options: FaultOptions = {}): Promise<FaultServer> {
  const pickFate = fatePicker(options);
  const closeRandom = seededRandom((options.seed ?? 1) ^ 0x5bd1e995);
  const delayMs = options.delayMs ?? 0;
  let total = emptyRoute();
  let closedAfterAnswer = 0;
  let byRoute = new Map<string, RouteCounters>();
  const handling = newHistogram();
  const held = new Set<Socket>();

  const count = (route: string, key: keyof RouteCounters) => {
    let counters = byRoute.get(route);
    if (!counters) byRoute.set(route, (counters = emptyRoute()));
    counters[key]++;
    total[key]++;
  };

  const snapshot = (): FaultCounters => ({
    ...total,
    closedAfterAnswer,
    byRoute: Object.fromEntries([...byRoute].map(([k, v]) => [k, { ...v }])),
    handling: {
      count: handling.totalCount,
      p50: percentileMs(handling, 50),
      p99: percentileMs(handling, 99),
      mean: handling.totalCount === 0 ? 0 : handling.mean / 1000,
      max: handling.totalCount === 0 ? 0 : handling.maxValue / 1000,
    },
  });

  const reset = () => {
    total = emptyRoute();
    closedAfterAnswer = 0;
    byRoute = new Map();
    handling.reset();
  };

  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/health' || path.startsWith('/__fault/')) {
      req.resume();
      if (path === '/__fault/reset' && req.method === 'POST') reset();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(path === '/__fault/counters' ? JSON.stringify(snapshot()) : '{"ok":true}');
      return;
    }
    const route = `${req.method} ${path}`;
    count(route, 'seen');
    const socket = req.socket;
    // The body is read before the fate, so closing never leaves unread bytes (which would turn a
    // FIN into an RST).
    req.resume();
    req.once('end', () => {
      const fate = pickFate();
      const act = () => {
        count(route, fate);
        const id = req.headers[REQUEST_ID_HEADER];
        const headers: http.OutgoingHttpHeaders = {
          'content-type': 'application/json',
          'content-length': BODY.length,
          ...(id === undefined ? {} : { [REQUEST_ID_HEADER]: id }),
        };
        const status = req.method === 'POST' ? 201 : 200;
        switch (fate) {
          case 'dropped':
            socket.destroy();
            return;
          case 'reset':
            socket.resetAndDestroy();
            return;
          case 'stalled':
            held.add(socket);
            socket.once('close', () => held.delete(socket));
            return;
          case 'truncated':
            res.writeHead(status, headers);
            res.write(BODY.subarray(0, BODY.length >> 1), () => socket.destroy());
            return;
          case 'answered': {
            const close = closeRandom() < (options.closePercent ?? 0) / 100;
            if (close) {
              headers.connection = 'close';
              closedAfterAnswer++;
            }
            res.once('finish', () => {
              handling.recordValue(Math.max(1, Math.round((performance.now() - arrived) * 1000)));
            });
            res.writeHead(status, headers);
            res.end(BODY);
          }
        }
      };
      if (delayMs > 0) setTimeout(act, delayMs);
      else act();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counters: async () => snapshot(),
    reset: async () => reset(),
    async stop() {
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FLAGS = {
  port: { type: 'string' },
  'delay-ms': { type: 'string' },
  drop: { type: 'string' },
  reset: { type: 'string' },
  stall: { type: 'string' },
  truncate: { type: 'string' },
  close: { type: 'string' },
  seed: { type: 'string' },
} as const;

function toFlags(options: FaultOptions): string[] {
  const pairs: Array<[string, number | undefined]> = [
    ['port', options.port],
    ['delay-ms', options.delayMs],
    ['drop', options.dropPercent],
    ['reset', options.resetPercent],
    ['stall', options.stallPercent],
    ['truncate', options.truncatePercent],
    ['close', options.closePercent],
    ['seed', options.seed],
  ];
  return pairs.flatMap(([flag, value]) => (value === undefined ? [] : [`--${flag}`, `${value}`]));
}

function fromFlags(args: string[]): FaultOptions {
  const values = parseArgs({ args, options: FLAGS, strict: true }).values;
  const number = (flag: keyof typeof FLAGS): number | undefined => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag}: expected a number ≥ 0`);
    return n;
  };
  const options: FaultOptions = {};
  const set = <K extends keyof FaultOptions>(key: K, value: FaultOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('port', number('port'));
  set('delayMs', number('delay-ms'));
  set('dropPercent', number('drop'));
  set('resetPercent', number('reset'));
  set('stallPercent', number('stall'));
  set('truncatePercent', number('truncate'));
  set('closePercent', number('close'));
  set('seed', number('seed'));
  return options;
}

/**
 * Start the server in its own process (so its work never shares the event loop or the core of the
 * load generator being measured); counters come over its control routes.
 */
export async function spawnFaultServer(options: FaultOptions = {}): Promise<FaultServer> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...toFlags(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fault server exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    counters: async () => (await (await fetch(`${url}/__fault/counters`)).json()) as FaultCounters,
    reset: async () => {
      await (await fetch(`${url}/__fault/reset`, { method: 'POST' })).arrayBuffer();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startFaultServer(fromFlags(process.argv.slice(2)));
  console.log(`listening ${new URL(server.url).port}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void server.stop().then(() => process.exit(0)));
  }
}
