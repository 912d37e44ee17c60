export { judge, IncompatibleResultsError, describeMachine } from './judge.js';
export { checkSla, slaLabel, SLA_CHECK_ORDER } from './sla.js';
export {
  compareScenarios,
  changeText,
  minAchievableP,
  trialsNeeded,
  ERROR_RATE_MIN_PP,
  RATIO_FLOOR,
} from './compare.js';
export { regressionSeverity, slaSeverity, worstSeverity, severityRank } from './severity.js';
export * from './types.js';
