/**
 * One shard of a sharded run: this machine's share of every scenario, trial by trial on the
 * common schedule (run/shard-schedule.ts), so that trial k covers the same seconds on every
 * shard and the merge (result/merge.ts) can add them up.
 *
 * Setup pools come first, for every scenario, before the schedule starts: their time differs
 * per machine and must not push the trials. Each trial then waits for its slot; a shard that
 * is late (its setup outlasted start-at, a trial overran) starts at once and records by how
 * much, and a late warm-up is cut short so the first trial keeps its slot.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResolvedScenario } from '../config/plan.js';
import { LoadTrials } from '../kinds/load.js';
import { failedScenario, settingsOf } from '../kinds/index.js';
import { ShardTrialRecorder } from '../load/shard-recorder.js';
import type { ScenarioResult, ShardInfo, TrialResult } from '../result/types.js';
import {
  fillPools,
  isAbort,
  newPoolState,
  planTarget,
  scenarioSeed,
  type RunPlanOptions,
} from './run-plan.js';
import { checkShardable, shareOf, type ShardSettings } from './shard.js';
import { shardSchedule, warmupSecondsLeft, type ScenarioSlots } from './shard-schedule.js';

export interface ShardClock {
  /** Wall-clock ms (start-at is a wall-clock time shared by machines). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: ShardClock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};

/** A late start below this is timer jitter, not worth a word in the log. */
const LATE_NOTICE_MS = 100;

export async function runShardPlan(
  options: RunPlanOptions,
  shard: ShardSettings,
  clock: ShardClock = REAL_CLOCK,
): Promise<{ scenarios: ScenarioResult[]; shard: ShardInfo }> {
  const { plan } = options;
  checkShardable(plan, shard);
  const label = `shard ${shard.index}/${shard.count}`;

  const pools = await fillAllPools(options);
  const startMs = shard.startAt === undefined ? clock.now() : Date.parse(shard.startAt);
  const behind = clock.now() - startMs;
  if (behind > LATE_NOTICE_MS && plan.scenarios[0]) {
    say(options, plan.scenarios[0].name, `${label}: ready ${seconds(behind)} after start-at`);
  }
  const slots = shardSchedule(plan.scenarios);
  const results: ScenarioResult[] = [];
  for (const [i, scenario] of plan.scenarios.entries()) {
    options.onProgress?.({
      type: 'scenario',
      scenario: scenario.name,
      index: i + 1,
      total: plan.scenarios.length,
    });
    const filled = pools.get(scenario.name);
    if (typeof filled === 'string') {
      results.push(failedScenario(scenario, filled));
      continue;
    }
    try {
      results.push(
        await runScenarioShard(scenario, slots[i] as ScenarioSlots, {
          options,
          shard,
          label,
          pools: filled as Map<string, string[]>,
          earlier: results,
          startMs,
          clock,
        }),
      );
    } catch (error) {
      if (isAbort(error, options.abort)) throw error;
      const message = (error as Error).message;
      options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
      results.push(failedScenario(scenario, message));
    }
  }
  return {
    scenarios: results,
    shard: {
      index: shard.index,
      count: shard.count,
      ...(shard.startAt === undefined ? {} : { startAt: shard.startAt }),
      scheduleStart: new Date(startMs).toISOString(),
    },
  };
}

/**
 * Each scenario's pools (a copy: a later scenario's setup may refill a pool of the same name),
 * or the message of its failed setup.
 */
async function fillAllPools(
  options: RunPlanOptions,
): Promise<Map<string, Map<string, string[]> | string>> {
  const state = newPoolState();
  const out = new Map<string, Map<string, string[]> | string>();
  for (const scenario of options.plan.scenarios) {
    try {
      await fillPools(scenario, planTarget(options), state);
      out.set(scenario.name, new Map(state.pools));
    } catch (error) {
      if (isAbort(error, options.abort)) throw error;
      const message = (error as Error).message;
      options.onProgress?.({ type: 'scenario-failed', scenario: scenario.name, message });
      out.set(scenario.name, message);
    }
  }
  return out;
}

interface ScenarioRun {
  options: RunPlanOptions;
  shard: ShardSettings;
  label: string;
  pools: Map<string, string[]>;
  earlier: readonly ScenarioResult[];
  startMs: number;
  clock: ShardClock;
}

async function runScenarioShard(
  scenario: ResolvedScenario,
  slots: ScenarioSlots,
  run: ScenarioRun,
): Promise<ScenarioResult> {
  const { options, clock, startMs } = run;
  const share = shareOf(scenario, run.shard);
  await sleepUntil(startMs + slots.warmupAtMs, run);
  const firstTrialAt = startMs + (slots.trialAtMs[0] ?? slots.warmupAtMs);
  const warmupSeconds = warmupSecondsLeft(scenario.warmupSeconds, clock.now(), firstTrialAt);
  if ((scenario.warmupSeconds - warmupSeconds) * 1000 > LATE_NOTICE_MS) {
    say(
      options,
      scenario.name,
      `${run.label}: late, warm-up cut to ${seconds(warmupSeconds * 1000)}`,
    );
  }
  const recorders: ShardTrialRecorder[] = [];
  const trials = new LoadTrials(
    { ...scenario, ...share, warmupSeconds },
    {
      baseUrl: options.baseUrl,
      token: options.token,
      runId: options.runId,
      seed: scenarioSeed(options.plan.seed, scenario.name),
      pools: run.pools,
      earlier: run.earlier,
      ...(options.monitor === undefined ? {} : { monitor: options.monitor }),
      ...(options.abort === undefined ? {} : { abort: options.abort }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
    (endpoints, startedAtMs) => {
      const recorder = new ShardTrialRecorder(endpoints, startedAtMs);
      recorders.push(recorder);
      return recorder;
    },
  );
  await trials.warmup();
  const timing: { plannedAt: string; lateMs: number }[] = [];
  for (const [k, offset] of slots.trialAtMs.entries()) {
    const due = startMs + offset;
    await sleepUntil(due, run);
    const lateMs = Math.max(0, Math.round(clock.now() - due));
    if (lateMs > LATE_NOTICE_MS) {
      say(options, scenario.name, `${run.label}: trial ${k + 1} started ${seconds(lateMs)} late`);
    }
    timing.push({ plannedAt: new Date(due).toISOString(), lateMs });
    await trials.trial(k);
  }
  const result = trials.result();
  return {
    ...result,
    settings: settingsOf(scenario),
    trials: result.trials.map((trial, k): TrialResult => ({
      ...trial,
      shard: {
        ...(timing[k] as (typeof timing)[number]),
        ...(recorders[k] as ShardTrialRecorder).detail(),
      },
    })),
    shard: { ...share, warmupSeconds },
  };
}

/** Wait for `atMs` (wall clock); a service crash ends the wait too. */
async function sleepUntil(atMs: number, run: ScenarioRun): Promise<void> {
  const ms = atMs - run.clock.now();
  if (ms <= 0) return;
  const wait = run.clock.sleep(ms);
  await (run.options.abort ? Promise.race([wait, run.options.abort]) : wait);
}

function say(options: RunPlanOptions, scenario: string, message: string): void {
  options.onProgress?.({ type: 'kind', scenario, message });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
