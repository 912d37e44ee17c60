/**
 * Fault knobs (pure): parse `ADMIN_SERVICE_FAULTS` and decide, deterministically, which requests
 * get an injected 500. The side effects (timers, CPU spin, garbage, round trips, the leak) live
 * in `fault-hooks.ts`.
 *
 * Grammar: comma-separated knobs, whitespace around them ignored.
 *   slow-<op>:<n>ms     extra wait for that operation, fractions of a ms included (a worker
 *                       thread's precise timer, precise-wait.ts: the event loop stays free)
 *   busy-<op>:<n>ms     extra CPU-bound spin for that operation (blocks the event loop)
 *   alloc-<op>:<n>kb    about n KB of short-lived garbage per request of that operation (many
 *                       small objects, dropped at once: work for the young-generation GC)
 *   jitter-<op>:<n>ms   a CPU spin per request of that operation whose length each process draws
 *                       once at start, between 0 and n ms: the luck a process keeps for its life
 *                       (as memory placement or JIT decisions do). The same knob on both sides
 *                       of an A/B run makes a scenario noisy from one restart to the next.
 *   roundtrip-<op>:<n>  n extra database round trips (`SELECT 1`, one after another) per request
 *   leak:<n>kb          retain n KB per API request in a module-level array (a real leak)
 *   leak-<op>:<n>kb     the same, for one operation only (adds to `leak`)
 *   error-rate:<share>  answer that share (0..1) of API requests with 500, by fractional
 *                       accumulation: with 0.25 exactly every 4th request fails
 */

export const OPERATIONS = [
  'create',
  'list',
  'search',
  'get',
  'update',
  'delete',
  'grant',
  'revoke',
  'permissions',
  'bulk',
  'health',
] as const;

export type Operation = (typeof OPERATIONS)[number];

export interface FaultPlan {
  /** Extra timer delay per operation, ms. */
  slowMs: Partial<Record<Operation, number>>;
  /** Extra CPU spin per operation, ms. */
  busyMs: Partial<Record<Operation, number>>;
  /** The longest CPU spin per request of an operation a process may draw at start, ms. */
  jitterMs: Partial<Record<Operation, number>>;
  /** Short-lived garbage allocated per request of an operation, KB. */
  allocKb: Partial<Record<Operation, number>>;
  /** Extra sequential database round trips per request of an operation. */
  roundtrips: Partial<Record<Operation, number>>;
  /** KB retained on every API request. */
  leakKb: number;
  /** Extra KB retained per operation. */
  leakKbByOp: Partial<Record<Operation, number>>;
  /** Share of API requests answered with 500, 0..1. */
  errorRate: number;
}

export class FaultSpecError extends Error {
  constructor(
    readonly knob: string,
    reason: string,
  ) {
    super(`bad fault knob "${knob}" in ADMIN_SERVICE_FAULTS: ${reason}`);
    this.name = 'FaultSpecError';
  }
}

export function emptyFaultPlan(): FaultPlan {
  return {
    slowMs: {},
    busyMs: {},
    jitterMs: {},
    allocKb: {},
    roundtrips: {},
    leakKb: 0,
    leakKbByOp: {},
    errorRate: 0,
  };
}

export function hasFaults(plan: FaultPlan): boolean {
  return (
    Object.keys(plan.slowMs).length > 0 ||
    Object.keys(plan.busyMs).length > 0 ||
    Object.keys(plan.allocKb).length > 0 ||
    Object.keys(plan.jitterMs).length > 0 ||
    Object.keys(plan.roundtrips).length > 0 ||
    plan.leakKb > 0 ||
    Object.keys(plan.leakKbByOp).length > 0 ||
    plan.errorRate > 0
  );
}

const MAX_DELAY_MS = 60_000;
const MAX_LEAK_KB = 1024 * 1024;
/** Garbage is built and dropped within one request: 64 MB is already far beyond any real one. */
const MAX_ALLOC_KB = 64 * 1024;
const MAX_ROUNDTRIPS = 1000;

function isOperation(s: string): s is Operation {
  return (OPERATIONS as readonly string[]).includes(s);
}

function parseAmount(knob: string, raw: string, unit: 'ms' | 'kb', max: number): number {
  const m = new RegExp(`^(\\d+(?:\\.\\d+)?)${unit}$`, 'i').exec(raw);
  if (!m?.[1]) throw new FaultSpecError(knob, `expected a number followed by "${unit}"`);
  const n = Number(m[1]);
  if (!Number.isFinite(n) || n <= 0) throw new FaultSpecError(knob, `must be > 0`);
  if (n > max) throw new FaultSpecError(knob, `must be at most ${max}${unit}`);
  return n;
}

function parseCount(knob: string, raw: string, max: number): number {
  if (!/^\d+$/.test(raw)) throw new FaultSpecError(knob, 'expected a whole number, e.g. 3');
  const n = Number(raw);
  if (n <= 0) throw new FaultSpecError(knob, `must be > 0`);
  if (n > max) throw new FaultSpecError(knob, `must be at most ${max}`);
  return n;
}

function operationOf(knob: string, name: string, prefix: string): Operation {
  const op = name.slice(prefix.length);
  if (!isOperation(op)) {
    throw new FaultSpecError(knob, `unknown operation "${op}" (one of ${OPERATIONS.join(', ')})`);
  }
  return op;
}

/** Parse the knob list. Empty or undefined means no faults. Throws `FaultSpecError`. */
export function parseFaults(spec: string | undefined): FaultPlan {
  const plan = emptyFaultPlan();
  if (spec === undefined || spec.trim() === '') return plan;
  const seen = new Set<string>();
  for (const part of spec.split(',')) {
    const knob = part.trim();
    if (knob === '') throw new FaultSpecError(part, 'empty knob (stray comma?)');
    const colon = knob.indexOf(':');
    if (colon <= 0) throw new FaultSpecError(knob, 'expected <name>:<value>');
    const name = knob.slice(0, colon).trim().toLowerCase();
    const value = knob.slice(colon + 1).trim();
    if (seen.has(name)) throw new FaultSpecError(knob, `"${name}" given twice`);
    seen.add(name);

    if (name.startsWith('slow-')) {
      plan.slowMs[operationOf(knob, name, 'slow-')] = parseAmount(knob, value, 'ms', MAX_DELAY_MS);
    } else if (name.startsWith('busy-')) {
      plan.busyMs[operationOf(knob, name, 'busy-')] = parseAmount(knob, value, 'ms', MAX_DELAY_MS);
    } else if (name.startsWith('jitter-')) {
      plan.jitterMs[operationOf(knob, name, 'jitter-')] = parseAmount(
        knob,
        value,
        'ms',
        MAX_DELAY_MS,
      );
    } else if (name.startsWith('alloc-')) {
      const op = operationOf(knob, name, 'alloc-');
      plan.allocKb[op] = parseAmount(knob, value, 'kb', MAX_ALLOC_KB);
    } else if (name.startsWith('roundtrip-')) {
      const op = operationOf(knob, name, 'roundtrip-');
      plan.roundtrips[op] = parseCount(knob, value, MAX_ROUNDTRIPS);
    } else if (name === 'leak') {
      plan.leakKb = parseAmount(knob, value, 'kb', MAX_LEAK_KB);
    } else if (name.startsWith('leak-')) {
      plan.leakKbByOp[operationOf(knob, name, 'leak-')] = parseAmount(
        knob,
        value,
        'kb',
        MAX_LEAK_KB,
      );
    } else if (name === 'error-rate') {
      if (!/^(?:0|1|0?\.\d+|1\.0+)$/.test(value)) {
        throw new FaultSpecError(knob, 'expected a share between 0 and 1, e.g. 0.02');
      }
      plan.errorRate = Number(value);
    } else {
      throw new FaultSpecError(
        knob,
        `unknown knob "${name}" (slow-<op>, busy-<op>, jitter-<op>, alloc-<op>, roundtrip-<op>, leak, leak-<op>, error-rate)`,
      );
    }
  }
  return plan;
}

/**
 * Deterministic error gate: each call adds `rate` to an accumulator; when it reaches 1 the call
 * fails and 1 is taken off. Same sequence of calls, same answers; the share is exact over any
 * window of 1/rate calls.
 */
export class ErrorGate {
  private acc = 0;
  constructor(private readonly rate: number) {}

  next(): boolean {
    if (this.rate <= 0) return false;
    this.acc += this.rate;
    if (this.acc >= 1 - 1e-9) {
      this.acc -= 1;
      return true;
    }
    return false;
  }
}
