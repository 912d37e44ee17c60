import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { median as ssMedian } from 'simple-statistics';
import { parseConfig } from '../src/config/load-file.js';
import { buildPlan, type Plan } from '../src/config/plan.js';
import {
  metricValue,
  trialsOf,
  type AbBlockOrder,
  type GatedMetric,
  type RunResult,
} from '../src/result/types.js';

/** Start bench/trivial-server.mjs in its own process; resolves with its URL and a stop function. */
export async function startTrivialServer(
  delayMs = 0,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./trivial-server.mjs', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DELAY_MS: String(delayMs) },
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`trivial server exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/** simple-statistics' median, NaN for no values (a table cell with nothing to show, not a throw). */
export function median(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : ssMedian(values);
}

export function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name}: expected a positive number`);
  return value;
}

/** A plan of one scenario that GETs / of the trivial server. */
export function trivialPlan(options: {
  connections: number;
  trials: number;
  trialSeconds: number;
  warmupSeconds: number;
}): Plan {
  const scenario = { name: 'trivial', requests: [{ name: 'get', path: '/' }], ...options };
  return buildPlan(parseConfig({ preset: 'none', scenarios: [scenario] }, 'bench'), 'bench');
}

/** What a load tool reports of one run: answered requests and errors, latency of the answered. */
export interface ToolFigures {
  answered: number;
  errors: number;
  p50: number;
  p99: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** Exits with a hint when `tool` is not installed (`apt-get install -y <package>`). */
export function requireTool(tool: string, versionArgs: string[], install: string): void {
  try {
    execFileSync(tool, versionArgs, { stdio: 'ignore' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error(`${tool} is not installed: ${install}`);
      process.exit(2);
    }
  }
}

/** wrk, one thread: its errors are connect + read + write + timeout (socket errors). */
export function runWrk(
  url: string,
  options: { connections: number; seconds: number; timeoutSeconds?: number },
): ToolFigures {
  const out = execFileSync('wrk', [
    '-t1',
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    `--timeout`,
    `${options.timeoutSeconds ?? 10}s`,
    '--latency',
    url,
  ]).toString();
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) throw new Error(`cannot read wrk's ${p}% from:\n${out}`);
    return toMs(m[1] as string, m[2] as string);
  };
  const answered = Number(/(\d+) requests in/.exec(out)?.[1]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { answered, errors, p50: pct('50'), p99: pct('99') };
}

/**
 * hey (Go's HTTP client): latency of the answered requests only. Go retries an idempotent request
 * whose reused connection closed before any answer, so hey hides part of a GET's drops.
 */
export function runHey(
  url: string,
  options: { connections: number; seconds: number; timeoutSeconds?: number },
): ToolFigures {
  const out = execFileSync('hey', [
    '-z',
    `${options.seconds}s`,
    '-c',
    String(options.connections),
    '-t',
    String(Math.max(1, Math.round(options.timeoutSeconds ?? 10))),
    url,
  ]).toString();
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}% in ([\\d.]+) secs`, 'm').exec(out);
    return m ? Number(m[1]) * 1000 : Number.NaN;
  };
  const section = (title: string) => out.split(`${title}:`)[1]?.split(/\n\s*\n/)[0] ?? '';
  const sum = (text: string, pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((total, m) => total + Number(m[1]), 0);
  return {
    answered: sum(section('Status code distribution'), /\[\d+\]\s+(\d+) responses/g),
    errors: sum(section('Error distribution'), /\[(\d+)\]/g),
    p50: pct('50'),
    p99: pct('99'),
  };
}

/**
 * Pin a process, all its threads, to one CPU (taskset); false when that is not possible. A
 * loopback request/response benchmark on two cores is bimodal otherwise: whether the scheduler
 * keeps the server and the load generator on one core or two changes the cost of every write
 * (which wakes the other side) severalfold, and it may switch between rounds.
 */
export function pinToCpu(pid: number, cpu: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The scenario of the default PR profile each `--op` of the detection benchmarks slows down. */
export const OP_SCENARIO: Record<string, string> = {
  search: 'search-admins',
  list: 'list-admins',
  get: 'get-admin',
  grant: 'grant-permission',
  create: 'create-admin',
};

/** The value after `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Wilson 95 % interval of k in n ([0, 1] when n is 0). */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A share as a percentage with a space before the sign, as the measurement tables (docs/measurements.md) write it. */
export const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

/** One pair of an A/B run: its block, which side went first, and log(head / base) of a metric. */
export interface PairRatio {
  index: number;
  order: AbBlockOrder | undefined;
  ratio: number;
}

/** A scenario's per-pair log ratios head/base of `metric` (pairs lacking a positive value left out). */
export function pairLogRatios(
  result: RunResult,
  scenario: string,
  metric: GatedMetric,
): PairRatio[] {
  const head = result.scenarios.find((s) => s.name === scenario);
  const base = result.ab?.base.scenarios.find((s) => s.name === scenario);
  const order = result.ab?.order[scenario] ?? [];
  const out: PairRatio[] = [];
  (head ? trialsOf(head, metric) : []).forEach((t, index) => {
    const h = metricValue(t, metric);
    const b = base?.trials[index] && metricValue(base.trials[index], metric);
    if (typeof h !== 'number' || typeof b !== 'number' || h <= 0 || b <= 0) return;
    out.push({ index, order: order[index], ratio: Math.log(h / b) });
  });
  return out;
}
