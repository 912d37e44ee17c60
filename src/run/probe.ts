/**
 * The machine probe: a short fixed CPU and memory workload, run before the first scenario and
 * after the last (run/execute.ts, run/ab-run.ts), so a result says how fast the machine was that
 * ran it, and the judge can tell "this runner is 18 % slower than the baseline's" from a change
 * in the code (judge/machine.ts).
 *
 * - CPU: one worker thread per core, each running the same fixed integer loop (xorshift and
 *   multiply, 8·10⁶ rounds, JIT-compiled); the score is the slowest worker's time. All cores at
 *   once on purpose: other work on the machine (a neighbour, a CPU hog) takes a core from one of
 *   them and shows, where a single-threaded probe would just use the idle core.
 * - Memory: one worker fills a 16 MiB table (4 Mi 32-bit entries, a full-period permutation),
 *   untimed, then follows 3·10⁵ dependent reads through it (each a likely cache miss): memory
 *   latency. (Version 1 timed the fill too: a fresh process's page faults made its first readings
 *   several times slower than later ones.)
 *
 * About 100–200 ms a reading on the machines loadgate was built on. The workloads are
 * deterministic; the times are not, and only their ratio between runs is ever used. Bump
 * PROBE_VERSION when the workload or the score changes: scores of different versions are never
 * compared. (Version 3 scores a run by the faster of its readings; version 2 took their geometric
 * mean, and one slow reading moved it.)
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MachineProbe, ProbeScore } from '../result/types.js';

export const PROBE_VERSION = 3;

const CPU_ROUNDS = 8_000_000;
const MEMORY_BITS = 22;
const MEMORY_STEPS = 300_000;

/** The worker's code (CommonJS, evaluated: no file to bundle). */
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
function cpu(rounds) {
  let x = 0x9e3779b9 | 0, acc = 0;
  for (let i = 0; i < rounds; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    acc = (acc + Math.imul(x, 0x85ebca6b)) | 0;
  }
  return acc;
}
function table(bits) {
  const size = 1 << bits, mask = size - 1;
  const next = new Int32Array(size);
  // i -> a·i + c mod 2^bits with a ≡ 1 (mod 4) and c odd: one cycle through every entry.
  for (let i = 0; i < size; i++) next[i] = (Math.imul(i, 0x2c9277b5) + 0x6b43a9b5) & mask;
  return next;
}
function walk(next, steps) {
  let p = 0;
  for (let i = 0; i < steps; i++) p = next[p];
  return p;
}
cpu(100000); walk(table(10), 1000);
parentPort.on('message', (m) => {
  // The table is built untimed: filling fresh pages costs page faults, whose price depends on
  // the process's allocation history (4-5x slower in a fresh process), not on the machine.
  const next = m.kind === 'memory' ? table(m.bits) : undefined;
  const t0 = performance.now();
  const r = next ? walk(next, m.steps) : cpu(m.rounds);
  parentPort.postMessage({ ms: performance.now() - t0, r });
});
parentPort.postMessage('ready');
`;

function ask(worker: Worker, message: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ms: number }) => resolve(m.ms));
    worker.once('error', reject);
    worker.postMessage(message);
  });
}

/** One reading: every core's CPU loop at once, then the memory walk. */
export async function probeOnce(cores = Math.max(1, os.cpus().length)): Promise<ProbeScore> {
  const workers = Array.from({ length: cores }, () => new Worker(WORKER_CODE, { eval: true }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
      ),
    );
    const times = await Promise.all(
      workers.map((w) => ask(w, { kind: 'cpu', rounds: CPU_ROUNDS })),
    );
    const memoryMs = await ask(workers[0] as Worker, {
      kind: 'memory',
      bits: MEMORY_BITS,
      steps: MEMORY_STEPS,
    });
    return { cpuMs: round(Math.max(...times)), memoryMs: round(memoryMs) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * The run's score: the faster of its readings (one or two), per workload. On an idle machine a
 * single reading is now and then far slow (`npx tsx bench/probe-spread.ts`; docs/measurements.md,
 * "Figures behind the code"): the fastest reading is the least disturbed one. Other work beside the whole run (a neighbour, a CPU hog) slows both readings,
 * so it still shows.
 */
export function probeScore(readings: readonly ProbeScore[]): ProbeScore {
  const fastest = (pick: (s: ProbeScore) => number) => round(Math.min(...readings.map(pick)));
  return { cpuMs: fastest((s) => s.cpuMs), memoryMs: fastest((s) => s.memoryMs) };
}

/**
 * The probe of a run from its readings; undefined without a `before` reading. A probe that fails
 * (no worker threads, say) is left out: it never fails the run.
 */
export function machineProbe(
  before: ProbeScore | undefined,
  after: ProbeScore | undefined,
): MachineProbe | undefined {
  if (before === undefined) return undefined;
  return {
    version: PROBE_VERSION,
    before,
    ...(after === undefined ? {} : { after }),
    score: probeScore(after === undefined ? [before] : [before, after]),
  };
}

/** A reading, or undefined when the probe cannot run here. */
export async function tryProbe(): Promise<ProbeScore | undefined> {
  try {
    return await probeOnce();
  } catch {
    return undefined;
  }
}

/** `{ probe }` for a result document, or nothing when there is no reading. */
export function probeField(
  before: ProbeScore | undefined,
  after: ProbeScore | undefined,
): { probe?: MachineProbe } {
  const probe = machineProbe(before, after);
  return probe === undefined ? {} : { probe };
}
