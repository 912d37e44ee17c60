import type { ResolvedScenario } from '../config/plan.js';
import type { ScenarioResult } from '../result/types.js';
import type { KindContext } from './context.js';
import { runLoad } from './load.js';
import { runRecovery } from './recovery.js';
import { runSoak } from './soak.js';
import { runSpike } from './spike.js';
import { runStress } from './stress.js';
import { runVolume } from './volume.js';

/** Runs one scenario by its kind. */
export function runKind(scenario: ResolvedScenario, ctx: KindContext): Promise<ScenarioResult> {
  switch (scenario.kind) {
    case 'load':
      return runLoad(scenario, ctx);
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
  }
}

export type { KindContext, ProgressEvent, RecorderFactory } from './context.js';
export { inPhase } from './context.js';
export { failedScenario, settingsOf } from './scenario-result.js';
