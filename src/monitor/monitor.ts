/**
 * The resource monitor: samples the service's process tree (CPU, RSS), its Postgres connections
 * and its Redis memory about once a second during recording windows (trials).
 *
 * - The process tree is read continuously (every `intervalMs`, timer unref'd) even between
 *   windows, so that the CPU figure of the sample taken at begin() covers the moments just
 *   before it instead of an arbitrary gap. Each sample's CPU % covers the span since the newest
 *   reading at least half an interval older (see cpuOverWindow), so the end() sample is not a
 *   few-millisecond span measured in 10 ms ticks.
 * - Postgres: `count(*)` of pg_stat_activity for the URL's database, all states (idle included:
 *   a pooled connection holds a server slot whether busy or not, and the SLA is on connections),
 *   the monitor's own connection excluded. Redis: `used_memory` from INFO memory.
 * - A failed or slow query leaves that field undefined in that sample and adds one warning per
 *   source; sampling goes on. A source that can't connect at all is a warning too, not an error.
 * - Without a pid (an external service), cpuPercent and rssBytes are 0: nothing to measure.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { ResourceSample, ResourceSummary } from '../result/types.js';
import { cpuOverWindow, treeTicksDelta, type CpuReading, type ProcTicks } from './cpu.js';
import { ProcessTree } from './proc-tree.js';
import { summarize } from './summarize.js';
import { systemConstants } from './system.js';

export interface MonitorOptions {
  pid?: number;
  postgresUrl?: string;
  redisUrl?: string;
  /** Sampling interval, default 1000 ms. */
  intervalMs?: number;
}

export interface Monitor {
  /** Begin a recording window (a trial); samples are timed relative to this call. */
  begin(): void;
  /** End the window: its samples and summary. */
  end(): Promise<{ samples: ResourceSample[]; summary: ResourceSummary }>;
  /** Closes pg/redis connections and stops sampling. Idempotent. */
  close(): Promise<void>;
  /** Problems met while sampling (one per source), for the report. */
  readonly warnings: readonly string[];
}

const PG_QUERY =
  'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
const QUERY_TIMEOUT_MS = 2000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Strip the password from a connection URL before it goes into a warning. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Window {
  start: number;
  samples: ResourceSample[];
  timer: NodeJS.Timeout;
}

export async function createMonitor(opts: MonitorOptions): Promise<Monitor> {
  const intervalMs = Math.max(10, opts.intervalMs ?? 1000);
  const minSpanMs = Math.max(intervalMs / 2, 20);
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warn = (source: string, text: string): void => {
    if (warned.has(source)) return;
    warned.add(source);
    warnings.push(text);
  };

  // --- process tree -------------------------------------------------------------------------
  const { clockTicks, pageSize } = systemConstants();
  const tree = opts.pid === undefined ? undefined : new ProcessTree(opts.pid);
  let previous: Map<number, ProcTicks> | undefined;
  let cumulativeTicks = 0;
  const readings: CpuReading[] = [];

  const readTree = (): { cpuPercent: number; rssBytes: number } => {
    if (tree === undefined) return { cpuPercent: 0, rssBytes: 0 };
    const at = performance.now();
    let stats;
    try {
      stats = tree.read();
    } catch (error) {
      warn('proc', `reading /proc for the service's processes failed: ${message(error)}`);
      return { cpuPercent: 0, rssBytes: 0 };
    }
    const now = new Map<number, ProcTicks>();
    let rssPages = 0;
    for (const s of stats) {
      now.set(s.pid, {
        startTime: s.startTime,
        ppid: s.ppid,
        own: s.utime + s.stime,
        reaped: s.cutime + s.cstime,
      });
      rssPages += s.rssPages;
    }
    if (previous !== undefined) cumulativeTicks += treeTicksDelta(previous, now);
    previous = now;
    readings.push({ at, ticks: cumulativeTicks });
    // Keep what the next minimum span can reach back to, and no more.
    while (readings.length > 2 && at - (readings[1] as CpuReading).at >= minSpanMs) {
      readings.shift();
    }
    return {
      cpuPercent: cpuOverWindow(readings, minSpanMs, clockTicks),
      rssBytes: rssPages * pageSize,
    };
  };

  // --- Postgres -----------------------------------------------------------------------------
  let pgClient: pg.Client | undefined;
  if (opts.postgresUrl !== undefined) {
    const client = new pg.Client({
      connectionString: opts.postgresUrl,
      application_name: 'loadgate-monitor',
      connectionTimeoutMillis: 5000,
    });
    client.on('error', (error) => {
      warn('pg', `Postgres monitoring connection lost: ${message(error)}`);
    });
    try {
      await client.connect();
      pgClient = client;
    } catch (error) {
      warn(
        'pg',
        `could not connect to Postgres at ${safeUrl(opts.postgresUrl)} to count connections: ${message(error)}`,
      );
      await client.end().catch(() => undefined);
    }
  }
  const queryPg = async (): Promise<number | undefined> => {
    if (pgClient === undefined) return undefined;
    try {
      const result = await withTimeout(
        pgClient.query<{ n: number }>(PG_QUERY),
        QUERY_TIMEOUT_MS,
        'the Postgres query',
      );
      const n = result.rows[0]?.n;
      return typeof n === 'number' ? n : undefined;
    } catch (error) {
      warn(
        'pg',
        `counting Postgres connections failed (missing from some samples): ${message(error)}`,
      );
      return undefined;
    }
  };

  // --- Redis --------------------------------------------------------------------------------
  let redis: Redis | undefined;
  if (opts.redisUrl !== undefined) {
    const client = new Redis(opts.redisUrl, {
      lazyConnect: true,
      connectionName: 'loadgate-monitor',
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
      retryStrategy: (times) => (times > 20 ? null : Math.min(times * 200, 2000)),
    });
    client.on('error', (error: unknown) => {
      warn('redis', `Redis monitoring connection error: ${message(error)}`);
    });
    try {
      await client.connect();
      redis = client;
    } catch (error) {
      warn(
        'redis',
        `could not connect to Redis at ${safeUrl(opts.redisUrl)} to read its memory: ${message(error)}`,
      );
      client.disconnect();
    }
  }
  const queryRedis = async (): Promise<number | undefined> => {
    if (redis === undefined) return undefined;
    try {
      const info = await withTimeout(
        redis.info('memory'),
        QUERY_TIMEOUT_MS,
        'the Redis INFO query',
      );
      const match = /^used_memory:(\d+)/m.exec(info);
      if (match === null) throw new Error('no used_memory in INFO memory');
      return Number(match[1]);
    } catch (error) {
      warn('redis', `reading Redis memory failed (missing from some samples): ${message(error)}`);
      return undefined;
    }
  };

  // --- sampling -----------------------------------------------------------------------------
  // Readings and samples run one at a time, in call order.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(task: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  const sample = async (window: Window): Promise<void> => {
    const at = performance.now();
    const queries = Promise.all([queryPg(), queryRedis()]);
    const { cpuPercent, rssBytes } = readTree();
    const [pgConnections, redisUsedBytes] = await queries;
    window.samples.push({
      t: Math.round(at - window.start) / 1000,
      cpuPercent,
      rssBytes,
      ...(pgConnections === undefined ? {} : { pgConnections }),
      ...(redisUsedBytes === undefined ? {} : { redisUsedBytes }),
    });
  };

  let window: Window | undefined;
  let closed = false;
  const background = setInterval(() => {
    if (window === undefined) void enqueue(readTree);
  }, intervalMs);
  background.unref();
  readTree(); // the first reading: CPU is measured from here

  const endWindow = (w: Window): void => {
    clearInterval(w.timer);
    if (window === w) window = undefined;
  };

  return {
    warnings,
    begin(): void {
      if (closed) throw new Error('monitor is closed');
      if (window !== undefined) endWindow(window); // an unfinished window is dropped
      const w: Window = {
        start: performance.now(),
        samples: [],
        timer: setInterval(() => void enqueue(() => sample(w)), intervalMs),
      };
      w.timer.unref();
      window = w;
      void enqueue(() => sample(w));
    },
    async end() {
      const w = window;
      if (w === undefined) throw new Error('monitor.end() without begin()');
      endWindow(w);
      await enqueue(() => sample(w));
      const samples = [...w.samples].sort((a, b) => a.t - b.t);
      return { samples, summary: summarize(samples) };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(background);
      if (window !== undefined) endWindow(window);
      await queue;
      tree?.close();
      await Promise.all([
        pgClient?.end().catch(() => undefined),
        redis?.quit().catch(() => redis?.disconnect()),
      ]);
    },
  };
}
