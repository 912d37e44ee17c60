// loadgate 1.0.0: the types of the result document (loadgate run --out, the action's
// results-path), generated from the schema the CLI validates it with. Types only.
export type AbBaseSide = {
  baseUrl: string;
  scenarios: ScenarioResult[];
  git?: { sha?: string | undefined; ref?: string | undefined } | undefined;
  origin?: string | undefined;
};
export type AbBlockOrder = "base-first" | "head-first";
export type AbLayout = "fixed" | "random";
export type AbSchedule = "duet" | "interleaved";
export type AbSection = {
  seed: number;
  base: AbBaseSide;
  head: AbSide;
  order: Record<string, ("base-first" | "head-first")[]>;
  schedule?: "duet" | "interleaved" | undefined;
  serviceCpus?: string | undefined;
  layout?: "fixed" | "random" | undefined;
  rounds?: number | undefined;
  sequential?: AbSequential | undefined;
  profile?: ProfileSection | undefined;
};
export type AbSequential = {
  budgetSeconds: number;
  maxRounds: number;
  familySize: number;
  looks: Record<string, { rounds: number; spent: number }[]>;
  finalLook: string[];
  decided: Record<string, "regression" | "within" | "unjudged" | "undecided">;
  spentSeconds: number;
  scenarioSeconds: Record<string, number>;
};
export type AbSide = {
  baseUrl: string;
  git?: { sha?: string | undefined; ref?: string | undefined } | undefined;
  origin?: string | undefined;
};
export type PartialRun = { completed: number; planned: number; reason?: string | undefined };
export type RunResult = {
  schemaVersion: 1;
  tool: { name: "loadgate"; version: string };
  startedAt: string;
  finishedAt: string;
  environment: EnvironmentFingerprint;
  config: { hash: string; profile: string; source: string };
  target: { baseUrl: string };
  scenarios: ScenarioResult[];
  git?: { sha?: string | undefined; ref?: string | undefined } | undefined;
  noiseFloor?:
    | Record<
        string,
        Partial<
          Record<
            | "throughput"
            | "p50"
            | "p95"
            | "p99"
            | "errorRate"
            | "dbP95"
            | "cpuPerRequest"
            | "steadyP50"
            | "steadyP95",
            number
          >
        >
      >
    | undefined;
  ab?: AbSection | undefined;
  warnings?: string[] | undefined;
  shard?: ShardInfo | undefined;
  merged?: MergedFrom | undefined;
  partial?: PartialRun | undefined;
  probe?: MachineProbe | undefined;
};
export type ScenarioResult = {
  name: string;
  kind: "load" | "stress" | "spike" | "volume" | "soak" | "recovery";
  settings: {
    connections: number;
    warmupSeconds: number;
    trialSeconds: number;
    trials: number;
    rate?: number | undefined;
  };
  sla: SlaThresholds;
  trials: TrialResult[];
  histogram: string;
  endpointHistograms: Record<string, string>;
  resources: ResourceSummary;
  generatorSaturated: boolean;
  description?: string | undefined;
  dbHistogram?: string | undefined;
  failure?: string | undefined;
  kindResult?: KindResult | undefined;
  shard?: ScenarioShare | undefined;
  solo?:
    | {
        name: string;
        kind: "load" | "stress" | "spike" | "volume" | "soak" | "recovery";
        settings: {
          connections: number;
          warmupSeconds: number;
          trialSeconds: number;
          trials: number;
          rate?: number | undefined;
        };
        sla: SlaThresholds;
        trials: TrialResult[];
        histogram: string;
        endpointHistograms: Record<string, string>;
        resources: ResourceSummary;
        generatorSaturated: boolean;
        description?: string | undefined;
        dbHistogram?: string | undefined;
        failure?: string | undefined;
        kindResult?: KindResult | undefined;
        shard?: ScenarioShare | undefined;
      }
    | undefined;
  steady?: SteadyPhase | undefined;
};
export type SlaThresholds = {
  p95Ms?: number | undefined;
  p99Ms?: number | undefined;
  minThroughput?: number | undefined;
  maxErrorRate?: number | undefined;
  dbP95Ms?: number | undefined;
  maxRequestMs?: number | undefined;
  maxRssMb?: number | undefined;
  maxCpuPercent?: number | undefined;
  maxPgConnections?: number | undefined;
  maxRedisMb?: number | undefined;
  maxBulkMs?: number | undefined;
  maxRecoverySeconds?: number | undefined;
  maxLeakMbPerMin?: number | undefined;
  maxP95SlopeMsPerMin?: number | undefined;
  maxServerErrors?: number | undefined;
  minValidSuccessRate?: number | undefined;
  healthAfter?: number | undefined;
  minKneeThroughput?: number | undefined;
};
export type SteadyPhase = { rate: number; trials: TrialResult[] };
export type TestKind = "load" | "stress" | "spike" | "volume" | "soak" | "recovery";
export type TrialResult = {
  index: number;
  startedAt: string;
  durationSeconds: number;
  metrics: TrialMetrics;
  endpoints: Record<string, EndpointMetrics>;
  series: SecondPoint[];
  resources: { samples: ResourceSample[]; summary: ResourceSummary };
  generatorCpuPercent: number;
  suspect?: TrialSuspicion | undefined;
  shard?: TrialShardDetail | undefined;
  round?: number | undefined;
};
export interface MetricInfo {
  label: string;
  unit: "ms" | "share" | "req/s" | "µs";
  higherIsWorse: boolean;
  scale: "ratio" | "pp";
  source: "trials" | "steady";
  decides: boolean;
  field: "throughput" | "p50" | "p95" | "p99" | "errorRate" | "dbP95" | "cpuPerRequest";
}
export type AnsweredLatency = {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
};
export type AttributionCheckSummary = { checked: number; mismatched: number; unresolved: number };
export type EncodedHistogram = string;
export type EndpointMetrics = {
  errors: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  dbP95?: number | undefined;
  timeouts?: number | undefined;
  closedBeforeResponse?: number | undefined;
};
export type GatedMetric =
  | "throughput"
  | "p50"
  | "p95"
  | "p99"
  | "errorRate"
  | "dbP95"
  | "cpuPerRequest"
  | "steadyP50"
  | "steadyP95";
export type ResourceSample = {
  t: number;
  cpuPercent: number;
  rssBytes: number;
  pgConnections?: number | undefined;
  redisUsedBytes?: number | undefined;
};
export type ResourceSummary = {
  samples: number;
  cpuPercentPeak: number;
  cpuPercentMean: number;
  rssBytesPeak: number;
  rssBytesMean: number;
  pgConnectionsPeak?: number | undefined;
  redisUsedBytesPeak?: number | undefined;
};
export type SecondPoint = { t: number; requests: number; p95: number; errors: number };
export type SuspectCause =
  "latency-exceeds-littles-law" | "latency-below-littles-law" | "no-completed-requests";
export type TrialMetrics = {
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  errorRate: number;
  errors: number;
  timeouts: number;
  unexpectedStatus: number;
  statusCodes: Record<string, number>;
  dbP95?: number | undefined;
  rateAchieved?: number | undefined;
  cpuPerRequest?: number | undefined;
  closedBeforeResponse?: number | undefined;
  answered?: AnsweredLatency | undefined;
  attribution?: AttributionCheckSummary | undefined;
};
export type TrialSuspicion = {
  cause: "latency-exceeds-littles-law" | "latency-below-littles-law" | "no-completed-requests";
  message: string;
  connections: number;
  throughput: number;
  expectedMeanMs: number;
  measuredMeanMs: number;
  ratio: number;
};
export type KindResult = StressResult | SpikeResult | VolumeResult | SoakResult | RecoveryResult;
export type PhaseMetrics = {
  errorRate: number;
  timeouts: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  connections: number;
  seconds: number;
  suspect?: TrialSuspicion | undefined;
};
export type RecoveryResult = {
  kind: "recovery";
  invalid: { requests: number; fourxx: number; fivexx: number; other: number };
  valid: { requests: number; succeeded: number; fivexx: number };
  validSuccessRate: number;
  healthAfter: { ok: boolean; status: number | null; ms: number | null };
};
export type SoakResult = {
  kind: "soak";
  seconds: number;
  connections: number;
  rateSource: "knee" | "config" | "none";
  windowSeconds: number;
  windows: SoakWindow[];
  rss: TrendSummary | null;
  p95: TrendSummary | null;
  leakThresholdMbPerMin: number | null;
  p95ThresholdMsPerMin: number | null;
  leak: boolean;
  degradation: boolean;
  rate?: number | undefined;
};
export type SoakWindow = {
  t: number;
  seconds: number;
  throughput: number;
  p95: number;
  errorRate: number;
  rssMb: number | null;
};
export type SpikeResult = {
  kind: "spike";
  base: PhaseMetrics;
  spike: PhaseMetrics;
  after: PhaseMetrics;
  series: SecondPoint[];
  spikeStartSecond: number;
  spikeEndSecond: number;
  recoveryThresholdMs: number;
  recoverySeconds: number | null;
};
export type StressResult = {
  kind: "stress";
  steps: StressStep[];
  knee: { connections: number; throughput: number; p95: number } | null;
  breakingPoint: { connections: number; reason: string } | null;
  peakRssBytes: number;
  pgConnectionsPeak?: number | undefined;
};
export type StressStep = {
  errorRate: number;
  timeouts: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  connections: number;
  seconds: number;
  rssPeakBytes: number;
  cpuPercentMean: number;
  generatorCpuPercent: number;
  withinSla: boolean;
  suspect?: TrialSuspicion | undefined;
  pgConnectionsPeak?: number | undefined;
};
export type TrendSummary = {
  slope: number;
  slopeLower: number;
  slopeUpper: number;
  r2: number;
  points: number;
  fromMinute: number;
  toMinute: number;
};
export type VolumeResult = {
  kind: "volume";
  seeded: {
    method: "api" | "command";
    admins: number;
    grants: number;
    seconds: number;
    failedRequests: number;
    adminSeconds?: number | undefined;
    grantSeconds?: number | undefined;
  };
  bulk: { users: number; action: string; durationMs: number; status: number; ok: boolean } | null;
};
export type CodeOrigin = "user" | "library" | "runtime";
export type CpuProfileMode = "auto" | "always" | "off";
export type FunctionCost = { selfUs: number; totalUs: number };
export type FunctionGrowth = {
  name: string;
  file: string;
  line: number;
  origin: "user" | "library" | "runtime";
  base: { selfUs: number; totalUs: number };
  head: { selfUs: number; totalUs: number };
  growthUs: number;
  share: { base: number; head: number };
};
export type ProfileSection = {
  mode: "auto" | "always" | "off";
  seconds: number;
  intervalUs: number;
  scenarios: ScenarioProfile[];
};
export type ScenarioProfile = {
  scenario: string;
  grown: FunctionGrowth[];
  base?: SideProfile | undefined;
  head?: SideProfile | undefined;
  note?: string | undefined;
};
export type SideProfile = {
  requests: number;
  cpuUs: number;
  profiles: { written: number; counted: number };
  file?: string | undefined;
};
export type EnvironmentFingerprint = {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  os: string;
  nodeVersion: string;
  hash: string;
  kernel?: string | undefined;
  runnerImage?: string | undefined;
  fingerprint?: string | undefined;
};
export type MachineProbe = {
  version: number;
  before: { cpuMs: number; memoryMs: number };
  score: { cpuMs: number; memoryMs: number };
  after?: { cpuMs: number; memoryMs: number } | undefined;
};
export type ProbeScore = { cpuMs: number; memoryMs: number };
export type MergedFrom = { count: number; shards: MergedShard[]; startAt?: string | undefined };
export type MergedShard = {
  index: number;
  environment: EnvironmentFingerprint;
  startedAt: string;
  scenarios: Record<string, MergedShardScenario>;
};
export type MergedShardScenario = {
  connections: number;
  generatorCpuPercent: number;
  maxLateMs: number;
  resources: ResourceSummary;
  rate?: number | undefined;
};
export type ScenarioShare = {
  connections: number;
  warmupSeconds: number;
  rate?: number | undefined;
};
export type ShardInfo = {
  index: number;
  count: number;
  scheduleStart: string;
  startAt?: string | undefined;
};
export type TrialShardDetail = {
  plannedAt: string;
  lateMs: number;
  histogram: string;
  endpointHistograms: Record<string, string>;
  seconds: string[];
  answeredHistogram?: string | undefined;
  dbHistogram?: string | undefined;
  endpointDbHistograms?: Record<string, string> | undefined;
};
