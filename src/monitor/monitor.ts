/**
 * The resource monitor: samples the service's process tree (CPU, RSS), its Postgres connections
 * and its Redis memory about once a second during recording windows (trials).
 *
 * - The process tree is read continuously (every `intervalMs`, timer unref'd) even between
 *   windows, so that the CPU figure of the sample taken at begin() covers the moments just
 *   before it instead of an arbitrary gap. Each sample's CPU % covers the span since the newest
 *   reading at least half an interval older (see cpuOverWindow), so the end() sample is not a
 *   few-millisecond span measured in 10 ms ticks.
 * - The sources (process-source.ts, postgres-source.ts, redis-source.ts) each warn once when
 *   they fail; sampling goes on without them. Every external call is bounded (connect, query,
 *   close: warnings.ts), so a Redis or Postgres that accepts connections and never answers costs
 *   a few seconds and a warning, never the run.
 */
import type { ResourceSample, ResourceSummary } from '../result/types.js';
import { PostgresSource } from './postgres-source.js';
import { ProcessSource } from './process-source.js';
import { RedisSource } from './redis-source.js';
import { summarize } from './summarize.js';
import { errorMessage } from '../format/error-text.js';
import {
  MONITOR_TIMEOUTS,
  MonitorWarnings,
  settleWithin,
  type MonitorTimeouts,
} from './warnings.js';

export interface MonitorOptions {
  pid?: number;
  postgresUrl?: string;
  redisUrl?: string;
  /** Sampling interval, default 1000 ms. */
  intervalMs?: number;
  /** Bounds of the calls to Postgres and Redis (default MONITOR_TIMEOUTS; tests shorten them). */
  timeouts?: Partial<MonitorTimeouts>;
}

export interface Monitor {
  /** Begin a recording window (a trial); samples are timed relative to this call. */
  begin(): void;
  /**
   * End the window: its samples and summary, and the CPU seconds the service's process tree used
   * in it (read at begin() and here, not from the samples; undefined without a process).
   */
  end(): Promise<{ samples: ResourceSample[]; summary: ResourceSummary; cpuSeconds?: number }>;
  /**
   * Closes pg/redis connections and stops sampling. Idempotent, never rejects, and bounded: a
   * Redis or Postgres that stopped answering is dropped after `closeMs`.
   */
  close(): Promise<void>;
  /**
   * Problems met while sampling (one per source), for the result's `warnings`: a source that
   * could not connect or stopped answering is "not measured" from then on.
   */
  readonly warnings: readonly string[];
}

interface Window {
  start: number;
  /** The tree's CPU ticks when the window began. */
  startTicks: number | undefined;
  samples: ResourceSample[];
  timer: NodeJS.Timeout;
}

/** Tasks run one after another, in the order they were given; a failed one does not stop the rest. */
class SerialQueue {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const next = this.last.then(task);
    this.last = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every task given so far has ended. */
  settled(): Promise<unknown> {
    return this.last;
  }
}

/** One sample of every source into the window, timed from the window's start. */
async function sampleInto(
  window: Window,
  processes: ProcessSource,
  postgres: PostgresSource,
  redis: RedisSource,
): Promise<void> {
  const at = performance.now();
  const queries = Promise.all([postgres.read(), redis.read()]);
  const { cpuPercent, rssBytes } = processes.read();
  const [pgConnections, redisUsedBytes] = await queries;
  window.samples.push({
    t: Math.round(at - window.start) / 1000,
    cpuPercent,
    rssBytes,
    ...(pgConnections === undefined ? {} : { pgConnections }),
    ...(redisUsedBytes === undefined ? {} : { redisUsedBytes }),
  });
}

export async function createMonitor(opts: MonitorOptions): Promise<Monitor> {
  const intervalMs = Math.max(10, opts.intervalMs ?? 1000);
  const warnings = new MonitorWarnings();
  const processes = new ProcessSource(opts.pid, Math.max(intervalMs / 2, 20), warnings);
  // Each bounded (connectMs): an unreachable or silent one is a warning, never a hang.
  const timeouts: MonitorTimeouts = { ...MONITOR_TIMEOUTS, ...opts.timeouts };
  const [postgres, redis] = await Promise.all([
    PostgresSource.connect(opts.postgresUrl, warnings, timeouts),
    RedisSource.connect(opts.redisUrl, warnings, timeouts),
  ]);
  const readTree = () => processes.read();

  // Readings and samples run one at a time, in call order.
  const queue = new SerialQueue();
  const enqueue = <T>(task: () => Promise<T> | T): Promise<T> => queue.run(task);
  const sample = (window: Window) => sampleInto(window, processes, postgres, redis);

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
    warnings: warnings.list,
    begin(): void {
      if (closed) throw new Error('monitor is closed');
      if (window !== undefined) endWindow(window); // an unfinished window is dropped
      const w: Window = {
        start: performance.now(),
        // Read now, synchronously: the window's CPU is counted from this instant, not from the
        // first sample the queue gets to.
        startTicks: processes.read().cpuTicks,
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
      const endTicks = processes.read().cpuTicks;
      await enqueue(() => sample(w));
      const samples = [...w.samples].sort((a, b) => a.t - b.t);
      const cpuSeconds =
        w.startTicks === undefined || endTicks === undefined
          ? undefined
          : (endTicks - w.startTicks) / processes.clockTicks;
      return {
        samples,
        summary: summarize(samples),
        ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(background);
      if (window !== undefined) endWindow(window);
      // A sample in flight waits for its queries (each bounded by queryMs); no longer.
      await settleWithin(queue.settled(), timeouts.queryMs + timeouts.closeMs);
      try {
        processes.close();
        await Promise.all([postgres.close(), redis.close()]);
      } catch (error) {
        warnings.add('close', `closing the monitor failed: ${errorMessage(error)}`);
      }
    },
  };
}
