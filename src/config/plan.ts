import { createHash } from 'node:crypto';
import type { SlaThresholds, TestKind } from '../result/types.js';
import { GENERIC_SLA, KIND_SLA_DEFAULTS, LOAD_PROFILES } from './defaults.js';
import { ConfigError } from './errors.js';
import { modeDefaults, type MeasureMode } from './mode.js';
import { formatIssues } from './load-file.js';
import { checkRequestPath } from './urls.js';
import type { Preset, PresetCatalog } from './preset.js';
import {
  DEFAULT_PRESET,
  recoverySettingsSchema,
  scenarioSchema,
  soakSettingsSchema,
  spikeSettingsSchema,
  stressSettingsSchema,
  volumeSettingsSchema,
  type ConfigFile,
  type RecoverySettings,
  type RequestConfig,
  type ScenarioConfig,
  type SetupStepConfig,
  type SoakSettings,
  type SpikeSettings,
  type StressSettings,
  type VolumeSettings,
} from './schema.js';

/** A scenario with every default applied: what the load driver runs. */
export interface ResolvedScenario {
  name: string;
  kind: TestKind;
  description?: string;
  setup: SetupStepConfig[];
  requests: ResolvedRequest[];
  connections: number;
  rate?: number;
  warmupSeconds: number;
  trialSeconds: number;
  trials: number;
  timeoutSeconds: number;
  sla: SlaThresholds;
  // Only the settings of the scenario's own kind are present (load has none, so its hash is unchanged).
  stress?: StressSettings;
  spike?: SpikeSettings;
  /** `adminBasePath`: the preset API's base path it seeds through (a field of the hashed plan). */
  volume?: VolumeSettings & { adminBasePath: string };
  soak?: SoakSettings;
  recovery?: RecoverySettings;
}

export interface ResolvedRequest extends RequestConfig {
  headers: Record<string, string>;
}

export interface Plan {
  profile: string;
  seed: number;
  scenarios: ResolvedScenario[];
  /** Hash of everything that shapes the measurement (not the target URL, never the token). */
  hash: string;
  source: string;
  /**
   * The preset a volume scenario seeds through and whose hints the setup steps use: the file's,
   * or with `preset: none` the one `preset` defaults to. Absent when no catalogue was passed in.
   */
  preset?: Preset;
}

export interface PlanOverrides {
  profile?: string;
  trials?: number;
  trialSeconds?: number;
  warmupSeconds?: number;
  connections?: number;
  /**
   * `--duration`: the length of the phase a kind centres on: a soak's length, a spike's burst,
   * a stress step. Load, volume and recovery measure in trials (`trialSeconds`).
   */
  duration?: number;
  /** How the run measures (config/mode.ts): its trial defaults. Default: a single service. */
  mode?: MeasureMode;
}

export const DEFAULT_PROFILE = 'pr';
/** Selects every scenario, whatever its profiles. */
export const FULL_PROFILE = 'full';
const KIND_PROFILE_ORDER = ['stress', 'spike', 'volume', 'soak', 'recovery', FULL_PROFILE];

function profilesOf(scenario: ScenarioConfig): string[] {
  if (scenario.profiles) return scenario.profiles;
  // A non-load kind is long or destructive: not on PRs unless asked for.
  return scenario.kind === 'load' ? [...LOAD_PROFILES] : [scenario.kind, FULL_PROFILE];
}

/** Sorted, with the kind profiles and `full` last, in a fixed order. */
export function knownProfiles(scenarios: readonly ScenarioConfig[]): string[] {
  const all = new Set([...scenarios.flatMap(profilesOf), FULL_PROFILE]);
  const plain = [...all].filter((p) => !KIND_PROFILE_ORDER.includes(p)).sort();
  return [...plain, ...KIND_PROFILE_ORDER.filter((p) => all.has(p))];
}

const KIND_SETTINGS = ['stress', 'spike', 'volume', 'soak', 'recovery'] as const;

/** The settings of the scenario's own kind, defaults applied; settings of another kind are an error. */
function kindSettings(
  scenario: ScenarioConfig,
  config: ConfigFile,
  overrides: PlanOverrides,
  preset: Preset | undefined,
): Partial<ResolvedScenario> {
  for (const key of KIND_SETTINGS) {
    if (scenario[key] !== undefined && scenario.kind !== key) {
      throw new ConfigError(
        `scenarios.${scenario.name}: "${key}" settings on a scenario of kind ${scenario.kind}`,
      );
    }
  }
  const d = overrides.duration;
  switch (scenario.kind) {
    case 'load':
      return {};
    case 'stress': {
      const s = stressSettingsSchema.parse(scenario.stress ?? {});
      return { stress: d === undefined ? s : { ...s, stepSeconds: d } };
    }
    case 'spike': {
      const s = spikeSettingsSchema.parse(scenario.spike ?? {});
      return { spike: d === undefined ? s : { ...s, spikeSeconds: d } };
    }
    case 'soak': {
      const s = soakSettingsSchema.parse(scenario.soak ?? {});
      return { soak: d === undefined ? s : { ...s, seconds: d } };
    }
    case 'volume': {
      const s = volumeSettingsSchema.parse(scenario.volume ?? {});
      return { volume: { ...s, adminBasePath: basePath(config, seedingPreset(scenario, preset)) } };
    }
    case 'recovery':
      return { recovery: recoverySettingsSchema.parse(scenario.recovery ?? {}) };
  }
}

/** A volume scenario seeds through a preset's API: without one it cannot run. */
function seedingPreset(scenario: ScenarioConfig, preset: Preset | undefined): Preset {
  if (preset === undefined) {
    throw new ConfigError(
      `scenarios.${scenario.name}: a volume scenario seeds through a preset's API, and no preset is available here`,
    );
  }
  return preset;
}

function kindSla(
  scenario: ScenarioConfig,
  resolved: Partial<ResolvedScenario>,
  preset: Preset | undefined,
): SlaThresholds {
  const sla: SlaThresholds = { ...KIND_SLA_DEFAULTS[scenario.kind] };
  if (resolved.volume && resolved.volume.bulkUsers > 0) {
    const perHundred = seedingPreset(scenario, preset).bulkMsPer100Users;
    sla.maxBulkMs = (perHundred * resolved.volume.bulkUsers) / 100;
  }
  return sla;
}

/**
 * One scenario with every default applied. `running` is the preset that runs (absent with
 * `preset: none`): its headers and SLA go to every scenario, the file's own included; `preset`
 * is the one whose seeding and hints serve a volume scenario either way.
 */
function resolveScenario(
  scenario: ScenarioConfig,
  config: ConfigFile,
  overrides: PlanOverrides,
  preset: Preset | undefined,
  running: Preset | undefined,
): ResolvedScenario {
  const defaults = config.defaults;
  const baseHeaders: Record<string, string> = {
    ...(running?.headers ?? {}),
    ...lowerKeys(defaults.headers ?? {}),
  };
  const kind = kindSettings(scenario, config, overrides, preset);
  const timing = modeDefaults(overrides.mode ?? 'single').timing;
  const requests = scenario.requests.map((request) => ({
    ...request,
    headers: {
      ...baseHeaders,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...lowerKeys(request.headers ?? {}),
    },
  }));
  return {
    name: scenario.name,
    kind: scenario.kind,
    ...(scenario.description === undefined ? {} : { description: scenario.description }),
    setup: scenario.setup,
    requests,
    connections:
      overrides.connections ?? scenario.connections ?? defaults.connections ?? timing.connections,
    ...(scenario.rate === undefined ? {} : { rate: scenario.rate }),
    warmupSeconds:
      overrides.warmupSeconds ??
      scenario.warmupSeconds ??
      defaults.warmupSeconds ??
      timing.warmupSeconds,
    trialSeconds:
      overrides.trialSeconds ??
      scenario.trialSeconds ??
      defaults.trialSeconds ??
      timing.trialSeconds,
    trials: overrides.trials ?? scenario.trials ?? defaults.trials ?? timing.trials,
    timeoutSeconds: scenario.timeoutSeconds ?? defaults.timeoutSeconds ?? timing.timeoutSeconds,
    sla: {
      ...(running?.sla ?? GENERIC_SLA),
      ...kindSla(scenario, kind, preset),
      ...defaults.sla,
      ...scenario.sla,
    },
    ...kind,
  };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Whether a preset runs, and which: the file's `preset:`; without one, a file that has scenarios
 * of its own runs only those (it describes its own API, which is rarely the preset's), and one
 * without (or no file at all) runs the default preset, the only thing it could mean.
 */
export function presetOf(config: ConfigFile): string {
  return config.preset ?? (config.scenarios.length > 0 ? 'none' : DEFAULT_PRESET);
}

/**
 * The preset the plan runs with: the file's, or with `preset: none` the one `preset` defaults to,
 * whose seeding and hints the file's own volume scenarios and setup steps still use. The engine
 * knows no preset itself: run/ passes the catalogue in (none: no preset).
 */
function choosePreset(config: ConfigFile, presets: PresetCatalog): Preset | undefined {
  const name = presetOf(config);
  if (name === 'none') return presets[DEFAULT_PRESET];
  const preset = presets[name];
  if (preset === undefined) {
    throw new ConfigError(
      `preset: "${name}" is not available here (known: ${Object.keys(presets).join(', ') || 'none'})`,
    );
  }
  return preset;
}

/** The base path of the preset's API: the file's `adminBasePath`, else the preset's own. */
function basePath(config: ConfigFile, preset: Preset): string {
  return config.adminBasePath ?? preset.basePath;
}

function presetScenarios(config: ConfigFile, preset: Preset | undefined): ScenarioConfig[] {
  if (presetOf(config) === 'none' || preset === undefined) return [];
  return preset.scenarios(basePath(config, preset)).map((input) => {
    const parsed = scenarioSchema.safeParse(input);
    if (!parsed.success) throw new Error(formatIssues(`preset ${input.name}`, parsed.error));
    return parsed.data;
  });
}

/** Preset scenarios, then the file's: one with a preset's name replaces it in place. */
function mergeScenarios(config: ConfigFile, preset: Preset | undefined): ScenarioConfig[] {
  const fromPreset = presetScenarios(config, preset);
  const unknownExcludes = config.exclude.filter((name) => !fromPreset.some((s) => s.name === name));
  if (unknownExcludes.length > 0) {
    throw new ConfigError(
      fromPreset.length === 0
        ? `exclude: no preset runs, so there is nothing to leave out (${unknownExcludes.join(', ')}); a file with scenarios of its own runs the admin preset only with \`preset: admin\``
        : `exclude: no preset scenario named ${unknownExcludes.join(', ')} (preset scenarios: ${fromPreset.map((s) => s.name).join(', ')})`,
    );
  }
  const merged = fromPreset.filter((s) => !config.exclude.includes(s.name));
  for (const scenario of config.scenarios) {
    const at = merged.findIndex((s) => s.name === scenario.name);
    if (at >= 0) merged[at] = scenario;
    else merged.push(scenario);
  }
  const names = new Set<string>();
  for (const scenario of config.scenarios) {
    if (names.has(scenario.name))
      throw new ConfigError(`scenarios: the name "${scenario.name}" is used twice`);
    names.add(scenario.name);
  }
  return merged;
}

export function buildPlan(
  config: ConfigFile,
  source: string,
  overrides: PlanOverrides = {},
  presets: PresetCatalog = {},
): Plan {
  const preset = choosePreset(config, presets);
  const running = presetOf(config) === 'none' ? undefined : preset;
  const all = mergeScenarios(config, preset);
  const profile = overrides.profile ?? DEFAULT_PROFILE;
  const wanted = profile
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const known = knownProfiles(all);
  const unknown = wanted.filter((p) => !known.includes(p));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new ConfigError(
      `profile: unknown profile ${unknown.join(', ') || '(empty)'}; expected one of ${known.join(', ') || '(no scenarios)'}`,
    );
  }
  const chosen = wanted.includes(FULL_PROFILE)
    ? all
    : all.filter((s) => profilesOf(s).some((p) => wanted.includes(p)));
  if (chosen.length === 0) throw new ConfigError(`profile ${profile} selects no scenario`);
  const scenarios = chosen.map((s) => resolveScenario(s, config, overrides, preset, running));
  for (const scenario of scenarios) {
    checkPools(scenario);
    checkPaths(scenario);
  }
  const hash = createHash('sha256')
    .update(JSON.stringify({ seed: config.seed, scenarios }))
    .digest('hex')
    .slice(0, 12);
  return { profile, seed: config.seed, scenarios, hash, source, ...(preset ? { preset } : {}) };
}

/** Every `{{pool.X}}` a request reads must be filled by a setup step of the same scenario. */
function checkPools(scenario: ResolvedScenario): void {
  const filled = new Set(scenario.setup.map((step) => step.pool));
  const text = JSON.stringify(scenario.requests);
  for (const match of text.matchAll(/\{\{\s*pool\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const pool = match[1] as string;
    if (!filled.has(pool)) {
      throw new ConfigError(
        `scenarios.${scenario.name}: requests read {{pool.${pool}}} but no setup step fills pool "${pool}"`,
      );
    }
  }
}

/**
 * Every request a scenario sends, setup steps included, stays on the service's host: a path
 * that names another host (`//evil.example/x`) would take the token and `{{env.X}}` values there.
 */
function checkPaths(scenario: ResolvedScenario): void {
  const where = `scenarios.${scenario.name}`;
  scenario.requests.forEach((request, i) =>
    checkRequestPath(request.path, `${where}.requests[${i}].path`),
  );
  for (const step of scenario.setup) {
    checkRequestPath(step.request.path, `${where}.setup.${step.pool}.request.path`);
  }
}

/** What a run will measure, in the figures its plan line gives (report/plan-line.ts). */
export interface PlanSummary {
  mode: MeasureMode;
  scenarios: number;
  /** Trials (pairs in A/B) of each scenario with trials, when they all have the same count. */
  trials: number | null;
  trialSeconds: number | null;
  warmupSeconds: number | null;
  /** A/B: a fixed number of rounds with both services restarted between them. */
  rounds: number;
  /** A/B without a fixed number: rounds until decided within this budget, of so many pairs. */
  budget?: { seconds: number; pairsPerRound: number };
}

/** The plan's summary; the timing figures are null when the scenarios with trials disagree. */
export function summarizePlan(
  plan: Plan,
  mode: MeasureMode,
  rounds: { fixed: number } | { budgetSeconds: number; pairsPerRound: number } = { fixed: 1 },
): PlanSummary {
  const load = plan.scenarios.filter((s) => s.kind === 'load');
  const common = (pick: (s: ResolvedScenario) => number): number | null => {
    const values = new Set(load.map(pick));
    return values.size === 1 ? ([...values][0] as number) : null;
  };
  return {
    mode,
    scenarios: plan.scenarios.length,
    trials: common((s) => s.trials),
    trialSeconds: common((s) => s.trialSeconds),
    warmupSeconds: common((s) => s.warmupSeconds),
    ...('fixed' in rounds
      ? { rounds: rounds.fixed }
      : {
          rounds: 0,
          budget: { seconds: rounds.budgetSeconds, pairsPerRound: rounds.pairsPerRound },
        }),
  };
}
