/**
 * The common schedule of a sharded run: when each scenario's warm-up and each trial start, in ms
 * after the schedule's start (start-at). Pure and computed from the plan alone, so every shard
 * derives the same slots whatever its machine: trial k of a scenario starts at the same wall-clock
 * moment on every shard, and the merge can sum trials that covered the same seconds.
 */

/**
 * Room between slots, ms: a trial's connections close and the next ones open, the monitor and
 * the recorder finish. A shard that needs longer starts its next trial late and says so.
 */
export const SLOT_GAP_MS = 1000;

export interface ScenarioSlots {
  name: string;
  warmupAtMs: number;
  /** One per trial. */
  trialAtMs: number[];
}

export interface SlotTimings {
  name: string;
  warmupSeconds: number;
  trialSeconds: number;
  trials: number;
}

/** Warm-up, then the trials, one gap apart; the next scenario one gap after the last trial. */
export function shardSchedule(
  scenarios: readonly SlotTimings[],
  gapMs = SLOT_GAP_MS,
): ScenarioSlots[] {
  let at = 0;
  return scenarios.map((s) => {
    const warmupAtMs = at;
    if (s.warmupSeconds > 0) at += s.warmupSeconds * 1000 + gapMs;
    const trialAtMs: number[] = [];
    for (let k = 0; k < s.trials; k++) {
      trialAtMs.push(at);
      at += s.trialSeconds * 1000 + gapMs;
    }
    return { name: s.name, warmupAtMs, trialAtMs };
  });
}

/**
 * How long the warm-up may run when it starts at `nowMs`: its planned length, cut so the first
 * trial keeps its slot (0: no time left, the shard goes straight to its trials).
 */
export function warmupSecondsLeft(
  plannedSeconds: number,
  nowMs: number,
  firstTrialAtMs: number,
  gapMs = SLOT_GAP_MS,
): number {
  const room = (firstTrialAtMs - gapMs - nowMs) / 1000;
  return Math.max(0, Math.min(plannedSeconds, room));
}
