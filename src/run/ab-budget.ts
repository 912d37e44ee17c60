/**
 * The clock of an A/B run with a time budget (ab-plan.ts): how much of the budget is spent, what
 * the next round would cost, when the scenarios still measured are looked at, and the record of
 * the looks the judge recomputes every boundary from (`ab.sequential`, judge/sequential.ts).
 *
 * α is spent as the budget is (the spending function's clock is the share of the budget spent,
 * fixed in advance by the budget, not by the data): a scenario left alone with time to spare gets
 * more rounds and looks, each spending a little.
 */
import type { AbSequential } from '../result/types.js';
import { byName } from '../result/own.js';

export interface BudgetSettings {
  seconds: number;
  pairsPerRound: number;
  firstLook: number;
  maxRounds: number;
  now?: () => number;
}

export class BudgetClock {
  private readonly now: () => number;
  private readonly started: number;
  private restartSeconds = 0;
  /** Set by the first look (the tests it counted), kept after: 0 before. */
  private familySize = 0;
  private readonly looks = byName<{ rounds: number; spent: number }[]>();
  private readonly finalLook = new Set<string>();
  private readonly decidedAs = byName<'regression' | 'within' | 'unjudged' | 'undecided'>();
  private readonly scenarioSeconds = byName<number>();

  constructor(private readonly settings: BudgetSettings) {
    this.now = settings.now ?? (() => performance.now());
    this.started = this.now();
  }

  get pairsPerRound(): number {
    return this.settings.pairsPerRound;
  }

  /** Seconds of the budget spent so far. */
  spentSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  /** A scenario's round took this many seconds (fills, warm-up, pairs, steady phase). */
  measured(name: string, seconds: number): void {
    this.scenarioSeconds[name] = (this.scenarioSeconds[name] ?? 0) + seconds;
  }

  /** Both services were restarted in this many seconds: what the next restart will cost too. */
  restarted(seconds: number): void {
    this.restartSeconds = seconds;
  }

  /**
   * After `rounds` rounds: whether the scenarios still measured are looked at now, and whether
   * this is the last round (the next would not fit in the budget, or the most rounds are run).
   * The first looks come no earlier than `firstLook`, and the budget never cuts a run short of it.
   */
  afterRound(rounds: number, nextRoundSeconds: number): { look: boolean; final: boolean } {
    const look = rounds >= this.settings.firstLook;
    const over =
      this.spentSeconds() + this.restartSeconds + nextRoundSeconds > this.settings.seconds;
    return { look, final: look && (over || rounds >= this.settings.maxRounds) };
  }

  /** The record with this look of the scenarios in `names` appended: what the judge is asked with. */
  record(names: readonly string[], rounds: number, final: boolean): AbSequential {
    const spent = Math.min(1, this.spentSeconds() / this.settings.seconds);
    for (const name of names) {
      const list = (this.looks[name] ??= []);
      const before = list.at(-1)?.spent ?? 0;
      // The clock must move forward between looks (two looks in one instant spend nothing new).
      list.push({ rounds, spent: final ? 1 : Math.max(spent, Math.min(1, before + 1e-6)) });
      if (final) this.finalLook.add(name);
    }
    return this.result();
  }

  /**
   * What the look decided: decided scenarios stop; at the final look the rest stay undecided.
   * `familySize`: the tests the look counted, kept from the first look on.
   */
  decided(
    outcomes: ReadonlyMap<string, 'regression' | 'within' | 'unjudged' | 'undecided'>,
    familySize: number,
    final: boolean,
  ): void {
    if (this.familySize === 0) this.familySize = Math.max(1, familySize);
    for (const [name, outcome] of outcomes) {
      if (outcome !== 'undecided' || final) this.decidedAs[name] = outcome;
    }
  }

  /** Whether `name` is still measured (not decided, and the run not over). */
  isOpen(name: string): boolean {
    return this.decidedAs[name] === undefined;
  }

  result(): AbSequential {
    return {
      budgetSeconds: this.settings.seconds,
      maxRounds: this.settings.maxRounds,
      familySize: this.familySize,
      looks: Object.fromEntries(Object.entries(this.looks).map(([k, v]) => [k, [...v]])),
      finalLook: [...this.finalLook],
      decided: { ...this.decidedAs },
      scenarioSeconds: { ...this.scenarioSeconds },
      spentSeconds: this.spentSeconds(),
    };
  }
}
