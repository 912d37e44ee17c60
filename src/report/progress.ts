/**
 * A run's progress as people read it, from the run's events: which scenario of how many, which
 * round of how many (or of what budget), which side, how long it has run and about how long is
 * left. Pure: the front ends print it their way (the CLI: one updating line on a terminal, plain
 * lines otherwise, commands/progress.ts; the action: a log group per scenario,
 * action/progress-log.ts).
 *
 * Time left: with a budget, what is left of it (the run may end sooner, when every scenario is
 * decided); otherwise the share of the work done so far (scenarios, and the trials of the one
 * running) extrapolated from the time it took, shown once there is something to extrapolate.
 */
import { formatDuration } from '../config/duration.js';
import type { PlanSummary } from '../config/plan.js';
import { formatMs, formatRate, formatShare, plural } from '../format/numbers.js';
import type { AbProgressEvent } from '../run/ab-plan.js';
import { DECIDED_TEXT, planLine, roundLine, type JudgedBy } from './plan-line.js';

/** Time left is estimated from this much run time on. */
const MIN_ESTIMATE_SECONDS = 5;

export interface ProgressUpdate {
  /** Lines to keep, whatever the front end. */
  lines: string[];
  /** Lines of the moment (a trial, a warm-up): plain output prints them, a terminal shows them in its status line. */
  transient: string[];
  /** A scenario begins: the title of its log group. */
  group?: string;
  /** The lines belong to the whole run (a plan, a round, a decision), not to a scenario's group. */
  runLevel?: boolean;
}

export class ProgressTracker {
  private startedAt: number | undefined;
  private plan: PlanSummary | undefined;
  private round: { round: number; rounds?: number; spent?: number; at: number } | undefined;
  private scenario: { name: string; index: number; total: number; fraction: number } | undefined;
  private latest = '';

  constructor(
    private readonly judged?: JudgedBy,
    private readonly now: () => number = Date.now,
  ) {}

  update(event: AbProgressEvent): ProgressUpdate {
    const at = this.now();
    this.startedAt ??= at;
    switch (event.type) {
      case 'plan':
        this.plan = event.plan;
        return { lines: [planLine(event.plan, this.judged)], transient: [], runLevel: true };
      case 'round':
        this.round = {
          round: event.round,
          ...(event.rounds === undefined ? {} : { rounds: event.rounds }),
          ...(event.spentSeconds === undefined ? {} : { spent: event.spentSeconds }),
          at,
        };
        this.scenario = undefined;
        return { lines: [`${roundLine(event)}${this.times(true)}`], transient: [], runLevel: true };
      case 'scenario': {
        this.scenario = {
          name: event.scenario,
          index: event.index,
          total: event.total,
          fraction: 0,
        };
        this.latest = '';
        const title = `${this.position()}${this.times(true)}`;
        return { lines: [title], transient: [], group: title };
      }
      case 'decided':
        return {
          lines: [
            `${event.scenario}: ${DECIDED_TEXT[event.outcome]} after ${plural(event.rounds, 'round')}`,
          ],
          transient: [],
          runLevel: true,
        };
      case 'setup':
        return event.done === event.total
          ? {
              lines: [`  setup${sideOf(event)}  pool ${event.pool}: ${event.total} created`],
              transient: [],
            }
          : this.moment(`setup${sideOf(event)}: pool ${event.pool} ${event.done}/${event.total}`);
      case 'warmup':
        return this.moment(`${event.scenario}:${sideOf(event)} warm-up ${event.seconds} s`);
      case 'trial': {
        if (
          this.scenario?.name === event.scenario &&
          event.side === undefined &&
          event.trials > 0
        ) {
          this.scenario.fraction = Math.min(1, event.trial / event.trials);
        }
        return this.moment(
          `${event.scenario}:${sideOf(event)} ${this.trialWord(event)}  ${formatRate(event.throughput)}  p95 ${formatMs(event.p95)}  errors ${formatShare(event.errorRate)}`,
        );
      }
      case 'scenario-failed':
        return {
          lines: [`${event.scenario}${sideOf(event)}: FAILED: ${event.message}`],
          transient: [],
        };
      case 'kind':
        return { lines: [`${event.scenario}:${sideOf(event)} ${event.message}`], transient: [] };
    }
  }

  /**
   * The one line a terminal keeps updating: where the run is, the times, what it does (last, so a
   * narrow terminal cuts the trial's figures rather than the time left).
   */
  status(): string {
    return [this.position(), this.times(false), this.latest].filter((p) => p !== '').join(' · ');
  }

  private moment(line: string): ProgressUpdate {
    this.latest = line.replace(`${this.scenario?.name ?? '\0'}: `, '');
    return { lines: [], transient: [line] };
  }

  /** `[2/7] search-admins, round 3/7` (what is known of it). */
  private position(): string {
    const round = this.round
      ? `round ${this.round.round}${this.round.rounds === undefined ? '' : `/${this.round.rounds}`}`
      : '';
    if (this.scenario === undefined) return round;
    const { index, total, name } = this.scenario;
    return `[${index}/${total}] ${name}${round === '' ? '' : `, ${round}`}`;
  }

  /** `1 min 5 s elapsed, ~2 min left` (` (…)` after a line that is kept). */
  private times(kept: boolean): string {
    if (this.startedAt === undefined) return '';
    const elapsed = (this.now() - this.startedAt) / 1000;
    const left = this.secondsLeft(elapsed);
    const text = `${formatDuration(elapsed)} elapsed${left === undefined ? '' : `, ${left}`}`;
    return kept ? ` (${text})` : text;
  }

  private secondsLeft(elapsed: number): string | undefined {
    const budget = this.plan?.budget?.seconds;
    if (budget !== undefined) {
      const spent =
        this.round?.spent === undefined
          ? elapsed
          : this.round.spent + (this.now() - this.round.at) / 1000;
      return `at most ${formatDuration(Math.max(0, budget - spent))} of the budget left`;
    }
    const done = this.doneShare();
    // Too early to extrapolate from (the first seconds are the service starting).
    if (done === undefined || done <= 0 || done >= 1 || elapsed < MIN_ESTIMATE_SECONDS) {
      return undefined;
    }
    return `~${formatDuration((elapsed * (1 - done)) / done)} left`;
  }

  /** The share of the run's work done: rounds, scenarios of the round, trials of the scenario. */
  private doneShare(): number | undefined {
    if (this.scenario === undefined) return undefined;
    const { index, total, fraction } = this.scenario;
    const inRound = (index - 1 + fraction) / total;
    const rounds = this.round?.rounds ?? (this.round === undefined ? 1 : undefined);
    if (rounds === undefined) return undefined;
    return ((this.round?.round ?? 1) - 1 + inRound) / rounds;
  }

  private trialWord(event: Extract<AbProgressEvent, { type: 'trial' }>): string {
    if (event.phase === 'steady') return `at a steady rate, trial ${event.trial}`;
    if (event.phase === 'solo') return `alone, trial ${event.trial}/${event.trials}`;
    if (event.side !== undefined && this.plan?.budget !== undefined) return `pair ${event.trial}`;
    return `trial ${event.trial}/${event.trials}`;
  }
}

/** ` base` / ` head` in an A/B run, nothing otherwise. */
function sideOf(event: AbProgressEvent): string {
  return event.side === undefined ? '' : ` ${event.side}`;
}
