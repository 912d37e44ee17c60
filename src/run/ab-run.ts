/**
 * An A/B run: the base and the head of a change started side by side on this machine, each on
 * its own free port with `PORT`, `LOADGATE_SIDE` and `{port}` / `{side}` in its templates,
 * measured in pairs of trials (ab-plan.ts: at once on a shared CPU, or one after the other),
 * always both stopped. The result is the head's run with the base's in its `ab` section
 * (result/ab.ts).
 *
 * One plan for both sides (the head's scenarios file): the pairs differ by the code under test,
 * never by what is asked of it.
 */
import { DEFAULT_TOKEN } from '../config/defaults.js';
import { ConfigError } from '../config/errors.js';
import { summarizePlan, type Plan, type ResolvedScenario } from '../config/plan.js';
import { AUTO_PAIRS_PER_ROUND } from '../config/ab-rounds.js';
import { MAX_AB_ROUNDS } from '../config/defaults.js';
import { modeDefaults } from '../config/mode.js';
import { judge } from '../judge/judge.js';
import { judgeLook } from '../judge/look.js';
import { DEFAULT_JUDGE_OPTIONS } from '../judge/types.js';
import type { CpuProfileMode, ProfileSection } from '../result/profile-schema.js';
import { FIRST_LOOK_ROUNDS } from '../judge/sequential.js';
import {
  AB_DEFAULT_BASE_URL,
  checkSideAddress,
  fillSideTemplate,
  type Side,
} from '../config/side-template.js';
import { checkHttpUrl } from '../config/urls.js';
import { createMonitor, type Monitor } from '../monitor/index.js';
import type { AbLayout, AbSchedule, AbSide } from '../result/types.js';
import { fixedLayoutWorks } from '../service/address-layout.js';
import { defaultDuetCpus } from '../service/cpu-affinity.js';
import type { RunResult } from '../result/types.js';
import { ServiceError } from '../service/errors.js';
import { startService, type RunningService } from '../service/index.js';
import { freePort } from '../service/free-port.js';
import {
  freshOrderSeed,
  runAbPlan,
  type AbPlanResult,
  type AbProgressEvent,
  type RestartedSides,
  type SideTarget,
} from './ab-plan.js';
import { gitInfo, localGitInfo } from './environment.js';
import { runProfileRound } from './profile-round.js';
import { probeField, tryProbe } from './probe.js';
import {
  newRunId,
  partialDocument,
  preparePlan,
  resultDocument,
  stopBoth,
  type RunSettings,
} from './execute.js';

export interface AbSideSettings {
  cwd: string;
  /** How this side's commit was chosen, for the report. */
  origin?: string;
  /**
   * How the front end prepares this side's checkout (the base's): its field's name
   * (`setup-command`, `--setup`) and the command when one was given, so a base that cannot start
   * while the head can is told to use it.
   */
  setup?: { field: string; command?: string };
}

export interface AbRunSettings extends Omit<
  RunSettings,
  'start' | 'cwd' | 'baseUrl' | 'onProgress' | 'onServiceReady'
> {
  /** The start command of both sides; `{port}` and `{side}` are filled per side. */
  start: string;
  base: AbSideSettings;
  head: AbSideSettings;
  /** Where each side listens: must hold `{port}` (default http://127.0.0.1:{port}). */
  baseUrl?: string;
  /** Seed of the block order; a fresh one (recorded in the result) when absent. */
  orderSeed?: number;
  /**
   * Both sides at once or one after the other (ab-plan.ts). Default: a duet where both services
   * can share one CPU (Linux with taskset and 2+ CPUs, or `serviceCpus` given), else interleaved.
   */
  schedule?: AbSchedule;
  /** CPUs both services are pinned to (taskset list); default in a duet: the last CPU. */
  serviceCpus?: string;
  /**
   * `fixed` (default where `setarch -R` works): both services start without address
   * randomisation, so the same code gets the same memory layout (service/address-layout.ts).
   */
  layout?: AbLayout;
  /**
   * A fixed number of rounds: both services are restarted between rounds, and each scenario's
   * pairs (trials) are split among them (ab-plan.ts), so a process pair's luck becomes spread
   * the test counts; 1 = no restarts. Not given: rounds until decided within `budgetSeconds`.
   */
  rounds?: number;
  /**
   * Rounds until decided (ab-plan.ts, judge/sequential.ts), within this many seconds of
   * measuring; default config/mode.ts. Not used with a fixed number of `rounds`.
   */
  budgetSeconds?: number;
  /** The judge's level and min effect, for the looks of a run with a budget. */
  judged?: { alpha: number; minEffect: number };
  /**
   * The CPU profile round after the judged rounds (run/profile-round.ts): `auto` when a scenario
   * regressed, `always`, or `off` (the default when absent); profiles go under `dir`.
   */
  cpuProfile?: { mode: CpuProfileMode; dir: string };
  onProgress?: (event: AbProgressEvent) => void;
}

interface StartedSide {
  service: RunningService;
  baseUrl: string;
  monitor?: Monitor;
}

/**
 * The plan of an A/B run and its rounds, before anything starts: what the settings leave open
 * takes the A/B mode's defaults (config/mode.ts), whichever front end asked. The plan is the
 * head's (its scenarios file), checked at the head's address on `headPort`.
 */
export async function prepareAbPlan(
  settings: AbRunSettings,
  headPort: number,
): Promise<{ plan: Plan; rounds: AbRounds }> {
  const url = (template: string) => fillSideTemplate(template, { port: headPort, side: 'head' });
  const plan = await preparePlan({
    ...settings,
    cwd: settings.head.cwd,
    baseUrl: url(settings.baseUrl ?? AB_DEFAULT_BASE_URL),
    ...(settings.readyUrl === undefined ? {} : { readyUrl: url(settings.readyUrl) }),
    overrides: { ...settings.overrides, mode: 'ab' },
  });
  if (settings.rounds !== undefined) {
    return { plan, rounds: { fixed: checkRounds(settings.rounds, plan) } };
  }
  const defaults = modeDefaults('ab');
  return {
    plan,
    rounds: {
      budgetSeconds: settings.budgetSeconds ?? defaults.budgetSeconds ?? 300,
      pairsPerRound: defaults.pairsPerRound ?? AUTO_PAIRS_PER_ROUND,
    },
  };
}

/** How an A/B run's rounds go: a fixed number, or until decided within a budget. */
export type AbRounds = { fixed: number } | { budgetSeconds: number; pairsPerRound: number };

export async function executeAbRun(settings: AbRunSettings): Promise<RunResult> {
  const baseUrlTemplate = settings.baseUrl ?? AB_DEFAULT_BASE_URL;
  checkSideAddress(baseUrlTemplate, 'base-url');
  const ports = await twoFreePorts();
  const { plan, rounds } = await prepareAbPlan(settings, ports.head);
  settings.onProgress?.({ type: 'plan', plan: summarizePlan(plan, 'ab', rounds) });
  const judged = settings.judged ?? {
    alpha: modeDefaults('ab').alpha,
    minEffect: modeDefaults('ab').minEffect,
  };
  const startedAt = new Date().toISOString();
  // Default: a duet where both services can share one CPU; unpinned, a duet's pairs were
  // noisier than one side after the other (docs/ab.md, "Why both sides at once").
  const pinnable = settings.serviceCpus ?? defaultDuetCpus();
  const schedule = settings.schedule ?? (pinnable === undefined ? 'interleaved' : 'duet');
  const cpus = schedule === 'duet' ? pinnable : settings.serviceCpus;
  const layout = settings.layout ?? (fixedLayoutWorks() ? 'fixed' : 'random');
  const started: Partial<Record<Side, StartedSide>> = {};
  try {
    // Both at once: neither side is the older process or starts on a quieter machine (A/A runs
    // with the base always spawned first measured a positional bias, ab-plan.ts).
    const startBoth = async (
      extraEnv?: Record<Side, Record<string, string>>,
    ): Promise<Record<Side, StartedSide>> => {
      const starting = (['base', 'head'] as const).map(async (side) => {
        started[side] = await startSide(side, ports[side], baseUrlTemplate, settings, {
          cpus,
          layout,
          ...(extraEnv ? { extraEnv: extraEnv[side] } : {}),
        });
      });
      // Wait for both before a failure is thrown, so the side that did start is stopped below.
      const outcomes = await Promise.allSettled(starting);
      const failures = outcomes.flatMap((o) =>
        o.status === 'rejected' ? [o.reason as unknown] : [],
      );
      // Two services that ignore PORT: one listens on the wrong port, the other finds it taken;
      // the first says what to fix.
      const wrongPort = failures.find((e) => e instanceof ServiceError && e.kind === 'wrong-port');
      if (failures.length > 0) throw wrongPort ?? baseOnly(outcomes, settings.base) ?? failures[0];
      return { base: started.base as StartedSide, head: started.head as StartedSide };
    };
    const { base, head } = await startBoth();
    // A new round: both services stopped, then started again on the same ports.
    const restart = async (): Promise<RestartedSides> => {
      await stopStarted(started);
      const both = await startBoth();
      return {
        sides: { base: targetOf(both.base), head: targetOf(both.head) },
        abort: Promise.race([both.base.service.crashed, both.head.service.crashed]),
      };
    };
    const orderSeed = settings.orderSeed ?? freshOrderSeed();
    const document = (run: AbPlanResult): RunResult => {
      const result = resultDocument(plan, {
        startedAt,
        git: gitInfo(settings.head.cwd),
        baseUrl: head.baseUrl,
        scenarios: [...run.scenarios.head],
        warnings: [
          ...(schedule === 'duet' && cpus === undefined ? [UNPINNED_DUET] : []),
          // Off Linux there is no setarch to miss: say so only where it should have worked.
          ...(settings.layout === undefined && layout === 'random' && process.platform === 'linux'
            ? [RANDOM_LAYOUT]
            : []),
          ...(['base', 'head'] as const).flatMap((side) =>
            (started[side]?.monitor?.warnings ?? []).map((w) => `${side} service: ${w}`),
          ),
        ],
      });
      return {
        ...result,
        ab: {
          seed: orderSeed,
          schedule,
          ...(cpus === undefined ? {} : { serviceCpus: cpus }),
          layout,
          ...(run.rounds > 1 ? { rounds: run.rounds } : {}),
          ...(run.sequential ? { sequential: run.sequential } : {}),
          base: {
            ...sideFacts(localGitInfo(settings.base.cwd), base.baseUrl, settings.base.origin),
            scenarios: [...run.scenarios.base],
          },
          head: sideFacts(result.git, head.baseUrl, settings.head.origin),
          order: { ...run.order },
        },
      };
    };
    const probeBefore = await tryProbe();
    const run = await runAbPlan({
      plan,
      sides: { base: targetOf(base), head: targetOf(head) },
      token: settings.token ?? DEFAULT_TOKEN,
      runId: newRunId(),
      orderSeed,
      schedule,
      abort: Promise.race([base.service.crashed, head.service.crashed]),
      ...('fixed' in rounds
        ? { rounds: rounds.fixed }
        : {
            budget: {
              seconds: rounds.budgetSeconds,
              pairsPerRound: rounds.pairsPerRound,
              firstLook: FIRST_LOOK_ROUNDS,
              maxRounds: MAX_AB_ROUNDS,
              decide: (look) => judgeLook(look, judged.alpha, judged.minEffect),
            },
          }),
      restart,
      ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
      ...(settings.onPartialResult === undefined
        ? {}
        : {
            onScenarioDone: (done: AbPlanResult) =>
              settings.onPartialResult?.(partialDocument(document(done), plan, done.completed)),
          }),
    });
    const measured = { ...document(run), ...probeField(probeBefore, await tryProbe()) };
    const toProfile = scenariosToProfile(
      measured,
      plan.scenarios,
      settings.cpuProfile?.mode ?? 'off',
      judged,
    );
    if (toProfile.length === 0 || settings.cpuProfile === undefined) return measured;
    const profile = await runProfileRound({
      mode: settings.cpuProfile.mode === 'always' ? 'always' : 'auto',
      dir: settings.cpuProfile.dir,
      plan,
      scenarios: toProfile,
      baseResults: measured.ab?.base.scenarios ?? [],
      roots: { base: settings.base.cwd, head: settings.head.cwd },
      token: settings.token ?? DEFAULT_TOKEN,
      runId: newRunId(),
      nodeOptions: settings.env?.NODE_OPTIONS ?? process.env.NODE_OPTIONS,
      start: async (extraEnv) => {
        await stopStarted(started);
        const both = await startBoth(extraEnv);
        return {
          sides: { base: targetOf(both.base), head: targetOf(both.head) },
          abort: Promise.race([both.base.service.crashed, both.head.service.crashed]),
        };
      },
      stop: () => stopStarted(started),
      ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
    });
    return withProfile(measured, profile);
  } finally {
    await stopStarted(started);
  }
}

/**
 * The load scenarios the profile round measures: those the judged rounds found regressed
 * (`auto`, judged as the gate will judge them), or all (`always`); none when off.
 */
export function scenariosToProfile<S extends Pick<ResolvedScenario, 'name' | 'kind'>>(
  measured: RunResult,
  scenarios: readonly S[],
  mode: CpuProfileMode,
  judged: { alpha: number; minEffect: number },
): S[] {
  if (mode === 'off') return [];
  const finished = new Set(
    measured.scenarios.filter((s) => s.failure === undefined).map((s) => s.name),
  );
  const load = scenarios.filter((s) => s.kind === 'load' && finished.has(s.name));
  if (mode === 'always') return load;
  let regressed: Set<string>;
  try {
    const verdict = judge(undefined, measured, { ...DEFAULT_JUDGE_OPTIONS, ...judged });
    regressed = new Set(
      verdict.scenarios.filter((s) => s.status === 'regression').map((s) => s.name),
    );
  } catch {
    return []; // what the judge cannot read, the gate reports; the profile is extra
  }
  return load.filter((s) => regressed.has(s.name));
}

/** The profile in the A/B section; with a budget, its round counted in the time spent. */
export function withProfile(result: RunResult, profile: ProfileSection): RunResult {
  if (result.ab === undefined) return result;
  const { sequential } = result.ab;
  return {
    ...result,
    ab: {
      ...result.ab,
      ...(sequential
        ? { sequential: { ...sequential, spentSeconds: sequential.spentSeconds + profile.seconds } }
        : {}),
      profile,
    },
  };
}

/** Kinds of start failure that a checkout missing its dependencies or build produces. */
const UNPREPARED = new Set(['start-failed', 'exited-early', 'not-ready']);

/**
 * The base alone could not start while the head did: the code is the same start command in a
 * fresh checkout, so what usually differs is what the head's job prepared (dependencies, a
 * build). The error says so, naming the front end's setup field.
 */
function baseOnly(
  outcomes: PromiseSettledResult<void>[],
  base: AbSideSettings,
): ServiceError | undefined {
  const [baseOutcome, headOutcome] = outcomes;
  if (baseOutcome?.status !== 'rejected' || headOutcome?.status !== 'fulfilled') return undefined;
  const error = baseOutcome.reason as unknown;
  if (!(error instanceof ServiceError) || !UNPREPARED.has(error.kind) || !base.setup) {
    return undefined;
  }
  const { field, command } = base.setup;
  const advice =
    command === undefined
      ? `The base runs from a fresh checkout of its commit (${base.cwd}) with nothing installed or built: give ${field} to prepare it before it starts (e.g. npm ci, pip install -r requirements.txt).`
      : `${field} (${command}) ran in the base checkout (${base.cwd}) before it started: check that it prepares everything the start command needs (dependencies, a build).`;
  return new ServiceError(
    error.kind,
    `the base commit could not start while the head did. ${advice}\n${error.message}`,
    error.logTail,
  );
}

async function stopStarted(started: Partial<Record<Side, StartedSide>>): Promise<void> {
  const sides = Object.values(started);
  for (const key of Object.keys(started)) delete started[key as Side];
  await Promise.all(sides.map((side) => stopBoth(side.monitor, side.service)));
}

function targetOf(side: StartedSide): SideTarget {
  return { baseUrl: side.baseUrl, ...(side.monitor ? { monitor: side.monitor } : {}) };
}

/** Rounds given: a whole number from 1 to the fewest pairs of any scenario with trials. */
function checkRounds(given: number, plan: Plan): number {
  const fewest = Math.min(...plan.scenarios.filter((s) => s.kind === 'load').map((s) => s.trials));
  if (!Number.isInteger(given) || given < 1) {
    throw new ConfigError(`rounds: expected a whole number ≥ 1, got ${given}`);
  }
  if (given > 1 && given > fewest) {
    throw new ConfigError(
      `rounds: ${given} rounds need at least ${given} pairs per scenario, but a scenario has ${fewest} (trials)`,
    );
  }
  return given;
}

const UNPINNED_DUET =
  'The two services could not be pinned to one CPU (needs Linux, taskset and 2+ CPUs): the duet pairs are noisier than they can be.';

const RANDOM_LAYOUT =
  'The two services could not start without address randomisation (needs Linux and setarch from util-linux): each got its own memory layout, a luck that lasts the whole run.';

function sideFacts(git: RunResult['git'], baseUrl: string, origin: string | undefined): AbSide {
  return {
    ...(git === undefined ? {} : { git }),
    baseUrl,
    ...(origin === undefined ? {} : { origin }),
  };
}

async function twoFreePorts(): Promise<Record<Side, number>> {
  const base = await freePort();
  let head = await freePort();
  // The OS may hand the same port back once the first probe closed: ask again.
  for (let i = 0; head === base && i < 5; i++) head = await freePort();
  if (head === base) throw new ConfigError('could not find two free ports on 127.0.0.1');
  return { base, head };
}

/** Start one side with its port and name in its environment and templates, and its monitor. */
async function startSide(
  side: Side,
  port: number,
  baseUrlTemplate: string,
  settings: AbRunSettings,
  placement: { cpus: string | undefined; layout: AbLayout; extraEnv?: Record<string, string> },
): Promise<StartedSide> {
  const { cpus, layout } = placement;
  const fill = (template: string) => fillSideTemplate(template, { port, side });
  const baseUrl = checkHttpUrl(fill(baseUrlTemplate), 'base-url');
  const service = await startService({
    command: fill(settings.start),
    cwd: settings[side].cwd,
    env: { ...settings.env, ...placement.extraEnv, PORT: String(port), LOADGATE_SIDE: side },
    baseUrl,
    readyUrl: settings.readyUrl === undefined ? `${baseUrl}/health` : fill(settings.readyUrl),
    readyTimeoutMs: settings.readyTimeoutSeconds * 1000,
    label: `${side} service`,
    expectPort: port,
    ...(cpus === undefined ? {} : { cpus }),
    ...(layout === 'fixed' ? { fixedLayout: true } : {}),
  });
  try {
    const monitor = await createMonitor({
      ...(service.pid === undefined ? {} : { pid: service.pid }),
      ...(settings.postgresUrl === undefined ? {} : { postgresUrl: fill(settings.postgresUrl) }),
      ...(settings.redisUrl === undefined ? {} : { redisUrl: fill(settings.redisUrl) }),
    });
    return { service, baseUrl, monitor };
  } catch (error) {
    await service.stop();
    throw error;
  }
}
