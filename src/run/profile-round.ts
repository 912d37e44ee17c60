/**
 * The CPU profile round of an A/B run: after the judged rounds, so it cannot change the verdict,
 * each scenario to profile gets both services started afresh under the profiler
 * (profile/node-options.ts), the same load on each in turn (a fixed rate, so both serve alike),
 * then both stopped: a Node service writes its profile as it exits. The profiles are read
 * (bounded: the code under test wrote them), reduced to the functions whose cost per request
 * grew (profile/diff.ts), and written redacted beside the result for the report artifact.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Plan, ResolvedScenario } from '../config/plan.js';
import { errorLine } from '../format/error-text.js';
import type { Side } from '../config/side-template.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import type { KindContext, ProgressEvent } from '../kinds/context.js';
import { LoadTrials } from '../kinds/load.js';
import {
  costTable,
  overlaps,
  serviceProfiles,
  sumTables,
  type CostTable,
  type SampleWindow,
} from '../profile/costs.js';
import { parseCpuProfile } from '../profile/cpuprofile.js';
import { rankGrowth } from '../profile/diff.js';
import {
  PROFILE_INTERVAL_US,
  profileFileStem,
  profilerPreload,
  profilingNodeOptions,
} from '../profile/node-options.js';
import type {
  CpuProfileMode,
  ProfileSection,
  ScenarioProfile,
  SideProfile,
} from '../result/profile-schema.js';
import { readTextBounded } from '../result/read-bounded.js';
import type { ScenarioResult } from '../result/types.js';
import { linuxToolWorks } from '../service/linux-tool.js';
import type { SideTarget } from './ab-plan.js';
import { fillPools, newPoolState, scenarioSeed, type PoolState } from './run-plan.js';

/** The most of a profile loadgate reads: a few seconds of samples are a few MiB. */
const MAX_PROFILE_BYTES = 64 * 1024 * 1024;
/** The folder (under the run's output folder) the profiles go to, one folder per side. */
export const PROFILE_DIR = 'loadgate-profiles';
/** The shortest profiled trial: fewer samples than a second's would be mostly noise. */
const MIN_PROFILE_SECONDS = 1;

export interface StartedForProfile {
  sides: Record<Side, SideTarget>;
  abort?: Promise<never>;
}

export interface ProfileRoundOptions {
  mode: Exclude<CpuProfileMode, 'off'>;
  /** The run's output folder: profiles go to `<dir>/loadgate-profiles/<side>/`. */
  dir: string;
  plan: Plan;
  /** The scenarios to profile (load scenarios: their judged trials give the rate). */
  scenarios: readonly ResolvedScenario[];
  /** The base's judged results, for the rate of the profiled load. */
  baseResults: readonly ScenarioResult[];
  /** Each side's checkout: its own code is told apart from its packages'. */
  roots: Record<Side, string>;
  token: string;
  runId: string;
  /** The environment both services got, to add NODE_OPTIONS to. */
  nodeOptions: string | undefined;
  /** Start both services with these variables added (each side its own). */
  start: (env: Record<Side, Record<string, string>>) => Promise<StartedForProfile>;
  /** Stop both (SIGTERM, so a Node service exits and writes its profile). */
  stop: () => Promise<void>;
  onProgress?: (event: ProgressEvent & { side?: Side }) => void;
}

export async function runProfileRound(options: ProfileRoundOptions): Promise<ProfileSection> {
  const started = Date.now();
  const out = join(options.dir, PROFILE_DIR);
  const stems = new Set<string>();
  const scenarios: ScenarioProfile[] = [];
  for (const scenario of options.scenarios) {
    const stem = profileFileStem(scenario.name, stems);
    stems.add(stem);
    scenarios.push(await profileScenario(scenario, stem, out, options));
  }
  // What the services wrote, unredacted, is read and gone (each scenario's own, and this).
  await rm(join(out, 'raw'), { recursive: true, force: true }).catch(() => undefined);
  return {
    mode: options.mode,
    seconds: (Date.now() - started) / 1000,
    intervalUs: PROFILE_INTERVAL_US,
    scenarios,
  };
}

interface SideOutcome {
  requests: number;
  /** Profiles the side's processes wrote (read or not). */
  written: number;
  /** Profiles with no sample in the trial's time (another clock): counted whole. */
  wholeProfiles: number;
  tables: CostTable[];
  /** The profile of the service's process (the most CPU in its code), as written. */
  chosen?: string;
  /** Profiles that could not be read, and why. */
  unreadable: string[];
}

async function profileScenario(
  scenario: ResolvedScenario,
  stem: string,
  out: string,
  options: ProfileRoundOptions,
): Promise<ScenarioProfile> {
  const raw = { base: join(out, 'raw', stem, 'base'), head: join(out, 'raw', stem, 'head') };
  try {
    for (const side of ['base', 'head'] as const) {
      await rm(raw[side], { recursive: true, force: true });
      await mkdir(raw[side], { recursive: true });
    }
    const preload = {
      base: join(out, 'raw', stem, 'base-profiler.cjs'),
      head: join(out, 'raw', stem, 'head-profiler.cjs'),
    };
    for (const side of ['base', 'head'] as const) {
      await writeFileAtomic(preload[side], profilerPreload(raw[side], PROFILE_INTERVAL_US));
    }
    const env = (side: Side) => ({
      NODE_OPTIONS: profilingNodeOptions(preload[side], options.nodeOptions),
    });
    options.onProgress?.({
      type: 'kind',
      scenario: scenario.name,
      message: 'CPU profile round: both services restarted under the profiler',
    });
    let measured: Record<Side, ProfiledTrial>;
    try {
      const services = await options.start({ base: env('base'), head: env('head') });
      measured = await profiledLoad(scenario, services, options);
    } finally {
      await options.stop();
    }
    const outcome = {
      base: await readSide(raw.base, resolve(options.roots.base), measured.base),
      head: await readSide(raw.head, resolve(options.roots.head), measured.head),
    };
    return await compare(scenario.name, stem, out, outcome);
  } catch (error) {
    return {
      scenario: scenario.name,
      grown: [],
      note: `no CPU profile: the profile round failed (${errorLine(error)}); the verdict is the judged rounds' alone.`,
    };
  } finally {
    await rm(join(out, 'raw', stem), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The profiled trial of one side: the requests it served, and when (monotonic clock, µs). */
interface ProfiledTrial {
  requests: number;
  window: SampleWindow;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Both sides, one after the other, at one fixed rate: half what the base served in its judged trials. */
async function profiledLoad(
  scenario: ResolvedScenario,
  services: StartedForProfile,
  options: ProfileRoundOptions,
): Promise<Record<Side, ProfiledTrial>> {
  const judgedBase = options.baseResults.find((s) => s.name === scenario.name);
  const served = (judgedBase?.trials ?? []).map((t) => t.metrics.throughput).sort((a, b) => a - b);
  const median = served[Math.floor(served.length / 2)] ?? 0;
  const rate = scenario.rate ?? (median >= 2 ? Math.round(median / 2) : undefined);
  const profiled: ResolvedScenario = {
    ...scenario,
    ...(rate === undefined ? {} : { rate }),
    trials: 1,
    trialSeconds: Math.max(MIN_PROFILE_SECONDS, scenario.trialSeconds),
  };
  const ctxOf = (side: Side, pools: PoolState['pools']): KindContext => {
    const target = services.sides[side];
    return {
      baseUrl: target.baseUrl,
      token: options.token,
      runId: `${options.runId}${side === 'base' ? 'b' : 'h'}p`,
      seed: scenarioSeed(options.plan.seed, scenario.name),
      pools,
      earlier: [],
      ...(options.plan.preset === undefined ? {} : { preset: options.plan.preset }),
      ...(services.abort === undefined ? {} : { abort: services.abort }),
    };
  };
  const run = async (side: Side): Promise<ProfiledTrial> => {
    const state = newPoolState();
    const ctx = ctxOf(side, state.pools);
    await fillPools(
      scenario,
      {
        ...ctx,
        planSeed: options.plan.seed,
        ...(options.plan.preset ? { preset: options.plan.preset } : {}),
      },
      state,
    );
    const trials = new LoadTrials(profiled, ctx);
    await trials.warmup();
    const fromUs = monotonicUs();
    const trial = await trials.trial(0);
    return { requests: trial.metrics.requests, window: { fromUs, toUs: monotonicUs() } };
  };
  // One side after the other: with both services on one CPU, a profile at once would count
  // the time the other side held the CPU as the running function's.
  const base = await run('base');
  const head = await run('head');
  return { base, head };
}

async function readSide(dir: string, root: string, trial: ProfiledTrial): Promise<SideOutcome> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const tables: CostTable[] = [];
  const texts: string[] = [];
  const unreadable: string[] = [];
  let wholeProfiles = 0;
  for (const file of files) {
    try {
      const text = await readTextBounded(join(dir, file), MAX_PROFILE_BYTES);
      const profile = parseCpuProfile(text);
      // The trial's samples alone; a profile whose clock is not loadgate's counts whole.
      const window = overlaps(profile, trial.window) ? trial.window : undefined;
      if (window === undefined) wholeProfiles++;
      tables.push(costTable(profile, root, window));
      texts.push(text);
    } catch (error) {
      unreadable.push(`${file}: ${errorLine(error)}`);
    }
  }
  const counted = serviceProfiles(tables);
  const main = counted.reduce<number | undefined>(
    (best, i) =>
      best === undefined || (tables[i]?.cpuUs ?? 0) > (tables[best]?.cpuUs ?? 0) ? i : best,
    undefined,
  );
  return {
    requests: trial.requests,
    written: files.length,
    wholeProfiles,
    tables: counted.map((i) => tables[i] as CostTable),
    ...(main === undefined ? {} : { chosen: texts[main] }),
    unreadable,
  };
}

async function compare(
  scenario: string,
  stem: string,
  out: string,
  outcome: Record<Side, SideOutcome>,
): Promise<ScenarioProfile> {
  const sides: Partial<Record<Side, SideProfile>> = {};
  const tables: Partial<Record<Side, CostTable>> = {};
  for (const side of ['base', 'head'] as const) {
    const o = outcome[side];
    if (o.chosen === undefined) continue;
    const table = sumTables(o.tables);
    tables[side] = table;
    const file = `${PROFILE_DIR}/${side}/${stem}.cpuprofile`;
    // Through the one writer: every registered secret is redacted, the JSON kept valid.
    await writeFileAtomic(join(out, side, `${stem}.cpuprofile`), o.chosen);
    sides[side] = {
      requests: o.requests,
      cpuUs: o.requests > 0 ? table.cpuUs / o.requests : 0,
      file,
      profiles: { written: o.written, counted: o.tables.length },
    };
  }
  const missing = (['base', 'head'] as const).filter((side) => tables[side] === undefined);
  const whole = (['base', 'head'] as const).filter(
    (side) => tables[side] !== undefined && outcome[side].wholeProfiles > 0,
  );
  const notes = [
    ...(missing.length === 0
      ? []
      : [noProfileNote(missing, outcome[missing[0] as Side].unreadable)]),
    ...(whole.length === 0
      ? []
      : [
          `the ${whole.join(' and ')} profile had no sample in the profiled trial's time (another clock): counted whole, the service's start included.`,
        ]),
  ];
  const note = notes.length === 0 ? undefined : notes.join(' ');
  const grown =
    tables.base && tables.head
      ? rankGrowth(tables.base, tables.head, {
          base: outcome.base.requests,
          head: outcome.head.requests,
        })
      : [];
  return {
    scenario,
    ...(sides.base ? { base: sides.base } : {}),
    ...(sides.head ? { head: sides.head } : {}),
    grown,
    ...(note === undefined ? {} : { note }),
  };
}

/** The other profilers on this machine: looked up once per process (a note per scenario reads it). */
let profilers: string[] | undefined;
function profilersHere(): string[] {
  profilers ??= ['perf', 'py-spy'].filter((tool) => linuxToolWorks(tool, ['--version']));
  return profilers;
}

/** Why a side (or both) has no profile, in one line. */
export function noProfileNote(missing: Side[], unreadable: string[]): string {
  const [one] = missing;
  if (unreadable.length > 0) {
    return missing.length === 2
      ? `no CPU profile: neither service wrote a profile loadgate could read (${unreadable[0]}).`
      : `no CPU profile of the ${one}: its profile could not be read (${unreadable[0]}), so there is nothing to compare.`;
  }
  const exits =
    'A Node service writes its profile when it exits on SIGTERM; one killed by a signal (or after the grace period) writes none.';
  if (missing.length === 1) {
    return `no CPU profile of the ${one}: its service wrote none, so there is nothing to compare. ${exits}`;
  }
  const tools = profilersHere();
  const found =
    tools.length > 0 ? ` (${tools.join(' and ')} found here: loadgate does not use them yet)` : '';
  return `no CPU profile: neither service wrote one. Profiling needs a Node service: V8's profiler, preloaded through NODE_OPTIONS${found}. ${exits}`;
}
