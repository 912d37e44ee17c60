/**
 * How big a fault of a given share of the operation's cost is, measured once per service and
 * fault shape from its first same-code run and kept in sizing.json beside the results:
 * - CPU (`busy-<op>`): the share of the CPU one request of the op costs the service, its
 *   process tree's CPU per request in the pairs (cpuPerRequest, the head's median): what the
 *   gate's cpuPerRequest compares, so a 10 % fault is a 10 % change of it. Not the solo trials:
 *   the cost of a request depends on the rate it is served at (an event loop's fixed costs are
 *   shared by the requests of one wake-up), and the pairs run at their own rate;
 * - waiting (`slow-<op>`): the share of the op's latency at low load, the head's p50 in the
 *   steady-rate phase (half the base's capacity, little queueing);
 * - allocation (`alloc-<op>`): the KB of garbage whose CPU per call, garbage collection
 *   included, is the share of the op's CPU per request: the knob's cost measured at a range of
 *   sizes in a process of the service's runtime (alloc-cost.ts, alloc_cost.py) and interpolated
 *   (log-log; the cost is not linear in the size). The faulted runs' measured cpuPerRequest
 *   change of the target says how close that came inside the service.
 */
import { execFileSync } from 'node:child_process';
import { median } from '../lib.js';
import type { RunResult, ScenarioResult } from '../../src/result/types.js';
import type { BenchService, FaultShape } from './services.js';

export interface Sizing {
  op: string;
  scenario: string;
  /** From which run. */
  from: string;
  /** CPU per request of the op in the pairs, µs (the head's median). */
  cpuPerRequestUs: number;
  /** The op's p50 at the steady rate, ms. */
  steadyP50Ms: number;
  /** The allocation knob's CPU per call, [KB, µs], measured in the service's runtime. */
  allocCost?: [number, number][];
}

function scenarioOf(result: RunResult, name: string): ScenarioResult {
  const s = result.scenarios.find((x) => x.name === name);
  if (!s || s.trials.length === 0) throw new Error(`sizing: ${name} missing from the run`);
  return s;
}

const ALLOC_SIZES = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

function allocCost(service: BenchService): [number, number][] {
  const sizes = ALLOC_SIZES.map(String);
  const out =
    service.runtime === 'python'
      ? execFileSync('python3', ['bench/budget/alloc_cost.py', ...sizes])
      : execFileSync(process.execPath, ['--import', 'tsx', 'bench/budget/alloc-cost.ts', ...sizes]);
  return JSON.parse(out.toString()) as [number, number][];
}

/** The sizing measured from a same-code run (and, for allocation, the knob's own cost). */
export function measureSizing(
  service: BenchService,
  fault: FaultShape,
  op: string,
  from: { label: string; result: RunResult },
): Sizing {
  const scenario = service.scenarioOf[op];
  if (!scenario) throw new Error(`--op: ${service.name} has no scenario for "${op}"`);
  const head = scenarioOf(from.result, scenario);
  const cpu = head.trials.flatMap((t) =>
    t.metrics.cpuPerRequest ? [t.metrics.cpuPerRequest] : [],
  );
  const steady = (head.steady?.trials ?? []).map((t) => t.metrics.p50);
  const sizing: Sizing = {
    op,
    scenario,
    from: from.label,
    cpuPerRequestUs: median(cpu),
    steadyP50Ms: median(steady),
  };
  if (fault === 'alloc') sizing.allocCost = allocCost(service);
  if (!(sizing.cpuPerRequestUs > 0) && fault !== 'slow') {
    throw new Error(`sizing: ${scenario} has no CPU per request in ${from.label}`);
  }
  if (!(sizing.steadyP50Ms > 0) && fault === 'slow') {
    throw new Error(`sizing: ${scenario} has no steady-rate p50 in ${from.label}`);
  }
  return sizing;
}

/** KB whose measured cost is `us`, interpolated log-log between the sizes measured. */
export function allocKbFor(cost: readonly [number, number][], us: number): number {
  const points = [...cost].sort((a, b) => a[0] - b[0]);
  const first = points[0];
  const lastPoint = points.at(-1);
  if (!first || !lastPoint) throw new Error('sizing: no allocation cost measured');
  if (us <= first[1]) return (first[0] * us) / first[1];
  if (us >= lastPoint[1]) return (lastPoint[0] * us) / lastPoint[1];
  for (let i = 1; i < points.length; i++) {
    const [k0, c0] = points[i - 1] as [number, number];
    const [k1, c1] = points[i] as [number, number];
    if (us <= c1) {
      const f = Math.log(us / c0) / Math.log(c1 / c0);
      return Math.exp(Math.log(k0) + f * Math.log(k1 / k0));
    }
  }
  return lastPoint[0];
}

/** The head's knob for a fault of `share` of the op's cost. */
export function faultKnob(fault: FaultShape, sizing: Sizing, share: number): string {
  const op = sizing.op;
  if (fault === 'busy') {
    return `busy-${op}:${Math.max(0.001, (share * sizing.cpuPerRequestUs) / 1000).toFixed(4)}ms`;
  }
  if (fault === 'slow')
    return `slow-${op}:${Math.max(0.001, share * sizing.steadyP50Ms).toFixed(4)}ms`;
  const kb = allocKbFor(sizing.allocCost ?? [], share * sizing.cpuPerRequestUs);
  return `alloc-${op}:${Math.max(1, kb).toFixed(1)}kb`;
}
