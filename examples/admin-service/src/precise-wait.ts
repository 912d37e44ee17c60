/**
 * Waits of any length, sub-millisecond ones included, that leave the event loop free and burn no
 * CPU: the `slow-<op>` knob. Node's timers count whole milliseconds (a `setTimeout` of 0.2 ms
 * waits about 1 ms), so a waiting fault sized at 10 % of a 2 ms request could not be injected
 * with them.
 *
 * One worker thread keeps the pending deadlines and sleeps in `Atomics.wait` (a futex: no CPU)
 * until the earliest one is due, or a new wait that ends sooner wakes it; it then posts the ids
 * of the waits that are due back.
 *
 * The kernel wakes a sleeping thread a little late (Linux's timer slack, 50 µs by default), so the
 * worker measures that lateness (a low quantile of its recent sleeps, at most 0.15 ms) and goes to
 * sleep that much early; a wait shorter than half of it ends at once. It never spins to make up
 * the rest: a spin would add CPU, and this knob is the shape of a regression that waits, not one
 * that computes. Measured (docs/measurements.md): 0.2 ms asked, 0.20-0.23 ms waited; about 6-16 µs
 * of the process's CPU per wait with ten at a time.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * The worker's loop, a plain script (the example also runs bundled, where a worker file path would
 * not exist). Messages in: [id, absolute deadline in ms], or null to stop; out: the ids due.
 */
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { port, shared, origin } = workerData;
// [0] bumped by every new wait; [1] when this thread plans to wake, in 10 µs since origin.
const words = new Int32Array(shared, 0, 2);
const lateness = new Float64Array(shared, 8, 1);
const IDLE = 0x7fffffff;
const MAX_EARLY = 0.15;
const now = () => performance.timeOrigin + performance.now();
const ids = [];
const deadlines = [];
// How late the kernel wakes this thread from a timed sleep, learnt from the recent ones.
const late = [];
let early = 0;
for (;;) {
  const seen = Atomics.load(words, 0);
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    if (m.message === null) process.exit(0);
    ids.push(m.message[0]);
    deadlines.push(m.message[1]);
  }
  const t = now();
  // Due: nearer now than the end of the shortest sleep (the kernel wakes this thread early ms late).
  const due = [];
  for (let i = deadlines.length - 1; i >= 0; i--) {
    if (deadlines[i] <= t + early / 2) {
      due.push([deadlines[i], ids[i]]);
      ids.splice(i, 1);
      deadlines.splice(i, 1);
    }
  }
  // In the order they were due, when a late wake-up finds several.
  if (due.length > 0) port.postMessage(due.sort((a, b) => a[0] - b[0]).map((d) => d[1]));
  if (deadlines.length === 0) {
    Atomics.store(words, 1, IDLE);
    Atomics.wait(words, 0, seen);
    continue;
  }
  const timeout = Math.max(0.001, Math.min(...deadlines) - t - early);
  Atomics.store(words, 1, Math.floor((t + timeout - origin) * 100));
  if (Atomics.wait(words, 0, seen, timeout) === 'timed-out') {
    late.push(now() - (t + timeout));
    if (late.length > 64) late.shift();
    // A low quantile, not the median: a wake-up that came early would not be measured again.
    const sorted = [...late].sort((a, b) => a - b);
    // Capped: a thread kept off the CPU by a busy machine wakes far later than the kernel's
    // slack, and an estimate that large would end short waits at once, never sleeping to learn.
    early = Math.min(MAX_EARLY, sorted[Math.floor(sorted.length / 5)]);
    lateness[0] = early;
  }
}
`;

export class PreciseWaiter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** The worker's words (a counter of waits, when it plans to wake), then how late the kernel wakes it, ms. */
  private readonly shared = new SharedArrayBuffer(16);
  private readonly words = new Int32Array(this.shared, 0, 2);
  private readonly lateness = new Float64Array(this.shared, 8, 1);
  /** The time the worker's wake-up word counts from (absolute ms). */
  private readonly origin = performance.timeOrigin + performance.now();
  private readonly pending = new Map<number, () => void>();
  private nextId = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, shared: this.shared, origin: this.origin },
      transferList: [port2],
    });
    // Neither keeps the process alive while nothing waits.
    this.worker.unref();
    this.port.unref();
    this.port.on('message', (due: number[]) => {
      for (const id of due) {
        this.pending.get(id)?.();
        this.pending.delete(id);
      }
      if (this.pending.size === 0) this.port.unref();
    });
  }

  /** Resolves `ms` milliseconds (fractions included) from now. */
  wait(ms: number): Promise<void> {
    const deadline = performance.timeOrigin + performance.now() + ms;
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (this.pending.size === 0) this.port.ref();
      this.pending.set(id, resolve);
      this.port.postMessage([id, deadline]);
      // Counted always (a worker about to sleep then does not), woken only when it would sleep
      // past this deadline: most waits end after one already pending, and a wake-up costs CPU.
      Atomics.add(this.words, 0, 1);
      if ((deadline - this.origin) * 100 < Atomics.load(this.words, 1)) {
        Atomics.notify(this.words, 0);
      }
    });
  }

  /** How early the worker goes to sleep: how late the kernel wakes it (a low quantile), ms. */
  get wakeLatenessMs(): number {
    return this.lateness[0] as number;
  }

  /** Stops the worker; waits still pending never resolve. */
  async close(): Promise<void> {
    this.port.postMessage(null);
    Atomics.add(this.words, 0, 1);
    Atomics.notify(this.words, 0);
    this.pending.clear();
    this.port.close();
    await this.worker.terminate();
  }
}
