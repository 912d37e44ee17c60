import { hodgesLehmannRatio } from '../stats/index.js';
import type { GatedMetric, RunResult } from '../result/types.js';
import { RATIO_FLOOR, valuesOf } from './two-sample.js';

/** Metrics whose noise floor is a ratio; error rate is judged in percentage points instead. */
const RATIO_METRICS: readonly GatedMetric[] = ['p95', 'p99', 'throughput', 'dbP95'];

/**
 * The A/A noise floor: two runs of the same code on the same machine, per scenario and metric,
 * as the relative shift between them (|Hodges-Lehmann ratio − 1|). The judge then never calls
 * a change a regression unless it exceeds twice this floor.
 */
export function noiseFloor(a: RunResult, b: RunResult): NonNullable<RunResult['noiseFloor']> {
  const floors: NonNullable<RunResult['noiseFloor']> = {};
  for (const scenarioA of a.scenarios) {
    const scenarioB = b.scenarios.find((s) => s.name === scenarioA.name);
    if (!scenarioB || scenarioA.failure !== undefined || scenarioB.failure !== undefined) continue;
    const perMetric: Partial<Record<GatedMetric, number>> = {};
    for (const metric of RATIO_METRICS) {
      const x = valuesOf(scenarioB, metric);
      const y = valuesOf(scenarioA, metric);
      if (!x || !y || x.length < 2 || y.length < 2) continue;
      const floor = (v: number) => Math.max(v, RATIO_FLOOR);
      const ratio = hodgesLehmannRatio(x.map(floor), y.map(floor)).estimate;
      perMetric[metric] = Math.abs(ratio - 1);
    }
    floors[scenarioA.name] = perMetric;
  }
  return floors;
}
