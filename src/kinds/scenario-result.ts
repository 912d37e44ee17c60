import type { ResolvedScenario } from '../config/plan.js';
import { encodeHistogram, newHistogram } from '../load/histogram.js';
import { summarize } from '../monitor/index.js';
import { redact } from '../redact/index.js';
import type { ScenarioResult } from '../result/types.js';

/** The settings a result records for a scenario (what the judge compares between runs). */
export function settingsOf(scenario: ResolvedScenario): ScenarioResult['settings'] {
  return {
    connections: scenario.connections,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    warmupSeconds: scenario.warmupSeconds,
    trialSeconds: scenario.trialSeconds,
    trials: scenario.trials,
  };
}

/**
 * The result of a scenario that could not complete: no trials, the reason kept, redacted here
 * because reports cut it (a cut through a secret would leave a part no later redaction finds):
 * a setup request's rendered path holds `{{token}}` or `{{env.X}}`, a seed command's stderr
 * whatever it printed.
 */
export function failedScenario(scenario: ResolvedScenario, message: string): ScenarioResult {
  return {
    name: scenario.name,
    kind: scenario.kind,
    settings: settingsOf(scenario),
    sla: scenario.sla,
    trials: [],
    histogram: encodeHistogram(newHistogram()),
    endpointHistograms: {},
    resources: summarize([]),
    generatorSaturated: false,
    failure: redact(message),
  };
}
