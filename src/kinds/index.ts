import type { ResolvedScenario } from '../config/plan.js';
import type { ScenarioResult } from '../result/types.js';
import type { KindContext } from './context.js';
import { runRecovery } from './recovery.js';
import { runSoak } from './soak.js';
import { runSpike } from './spike.js';
import { runStress } from './stress.js';
import { runVolume } from './volume.js';

/** Runs a scenario of a non-load kind (load stays on runPlan's own path). */
export function runKind(scenario: ResolvedScenario, ctx: KindContext): Promise<ScenarioResult> {
  switch (scenario.kind) {
    case 'stress':
      return runStress(scenario, ctx);
    case 'spike':
      return runSpike(scenario, ctx);
    case 'volume':
      return runVolume(scenario, ctx);
    case 'soak':
      return runSoak(scenario, ctx);
    case 'recovery':
      return runRecovery(scenario, ctx);
    case 'load':
      return ctx.runTrials(scenario);
  }
}

export type { KindContext } from './context.js';
