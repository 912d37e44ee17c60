/**
 * The types of the RunResult document, what `loadgate run` writes and `loadgate compare` reads,
 * in one place to import from. Each follows from its zod schema (result/schema.ts and the
 * *-schema.ts files it assembles), where the fields are documented: the schema is the one
 * description of the document.
 */
export { RESULT_SCHEMA_VERSION } from './schema.js';
export { GATED_METRICS } from './measurement-schema.js';
export type {
  AbBaseSide,
  AbBlockOrder,
  AbLayout,
  AbSchedule,
  AbSection,
  AbSequential,
  AbSide,
  PartialRun,
  RunResult,
} from './schema.js';
export type {
  ScenarioResult,
  SlaThresholds,
  SteadyPhase,
  TestKind,
  TrialResult,
} from './scenario-schema.js';
export { METRICS, metricValue, trialsOf, type MetricInfo } from './metrics.js';
export type {
  AnsweredLatency,
  AttributionCheckSummary,
  EncodedHistogram,
  EndpointMetrics,
  GatedMetric,
  ResourceSample,
  ResourceSummary,
  SecondPoint,
  SuspectCause,
  TrialMetrics,
  TrialSuspicion,
} from './measurement-schema.js';
export type {
  KindResult,
  PhaseMetrics,
  RecoveryResult,
  SoakResult,
  SoakWindow,
  SpikeResult,
  StressResult,
  StressStep,
  TrendSummary,
  VolumeResult,
} from './kind-schema.js';
export type {
  CodeOrigin,
  CpuProfileMode,
  FunctionCost,
  FunctionGrowth,
  ProfileSection,
  ScenarioProfile,
  SideProfile,
} from './profile-schema.js';
export type { EnvironmentFingerprint, MachineProbe, ProbeScore } from './machine-schema.js';
export type {
  MergedFrom,
  MergedShard,
  MergedShardScenario,
  ScenarioShare,
  ShardInfo,
  TrialShardDetail,
} from './shard-schema.js';
