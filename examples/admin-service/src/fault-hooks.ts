/**
 * The side effects of the fault knobs (see `faults.ts`): waits (precise-wait.ts), CPU spin, short-lived garbage,
 * extra database round trips, a real leak, 500s.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { churn } from './churn.js';
import { ErrorGate, hasFaults } from './faults.js';
import type { FaultPlan, Operation } from './faults.js';
import { PreciseWaiter } from './precise-wait.js';
import type { Storage } from './storage/types.js';
import { timeDb } from './timing.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Operation name for fault knobs; `list` turns into `search` when `search` is given. */
    op?: Operation;
  }
}

/** Retained on purpose: the `leak` knob. Module-level, never cleared. */
const leaked: Buffer[] = [];

export function leakedBytes(): number {
  return leaked.reduce((n, b) => n + b.length, 0);
}

export function operationOf(req: FastifyRequest): Operation | undefined {
  const op = req.routeOptions.config.op;
  if (op === 'list') {
    const search = (req.query as { search?: string } | undefined)?.search;
    return search !== undefined && search !== '' ? 'search' : 'list';
  }
  return op;
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

/** `n` round trips one after another, as a handler issuing n small queries would; timed as db. */
async function roundtrips(req: FastifyRequest, storage: Storage, n: number): Promise<void> {
  await timeDb(req, async () => {
    for (let i = 0; i < n; i++) await storage.ping();
  });
}

export function registerFaults(app: FastifyInstance, plan: FaultPlan, storage: Storage): void {
  if (!hasFaults(plan)) return; // nothing on the hot path
  const gate = new ErrorGate(plan.errorRate);
  // Drawn once per process: what this process's luck makes each request of the operation cost.
  const drawn: Partial<Record<Operation, number>> = Object.fromEntries(
    Object.entries(plan.jitterMs).map(([op, ms]) => [op, Math.random() * (ms as number)]),
  );
  let fill = 0;
  // Started with the service, so its worker is up before the first request waits.
  const waiter = Object.keys(plan.slowMs).length > 0 ? new PreciseWaiter() : undefined;
  if (waiter) app.addHook('onClose', () => waiter.close());
  app.addHook('preHandler', async (req, reply) => {
    const op = operationOf(req);
    if (op === undefined) return;
    if (op !== 'health' && gate.next()) {
      return reply.code(500).send({ detail: 'Injected fault (error-rate)' });
    }
    const leakKb = (op !== 'health' ? plan.leakKb : 0) + (plan.leakKbByOp[op] ?? 0);
    if (leakKb > 0) {
      // Filled, so the pages are really touched and show up in RSS.
      leaked.push(Buffer.allocUnsafe(Math.round(leakKb * 1024)).fill(++fill & 0xff));
    }
    const allocKb = plan.allocKb[op];
    if (allocKb !== undefined) churn(allocKb);
    const busy = plan.busyMs[op];
    if (busy !== undefined) spin(busy);
    const luck = drawn[op];
    if (luck !== undefined) spin(luck);
    const trips = plan.roundtrips[op];
    if (trips !== undefined) await roundtrips(req, storage, trips);
    const slow = plan.slowMs[op];
    if (slow !== undefined && waiter) await waiter.wait(slow);
  });
}
