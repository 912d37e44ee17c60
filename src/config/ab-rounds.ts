import { MAX_AB_ROUNDS } from './defaults.js';
import { ConfigError } from './errors.js';

/**
 * Pairs per round when the number of rounds is left to loadgate (`auto`): two, so each side
 * leads one block of every round (ab-plan.ts draws a balanced order per round) and the default
 * 14 pairs make 7 rounds.
 */
export const AUTO_PAIRS_PER_ROUND = 2;

/**
 * `--rounds` (CLI) and `ab-rounds` (action), one parser for both: undefined when not given or
 * `auto` (then `autoRounds` applies), else a whole number from 1 (no restarts) to MAX_AB_ROUNDS.
 */
export function parseAbRounds(raw: string | undefined, field: string): number | undefined {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'auto') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_AB_ROUNDS) {
    throw new ConfigError(
      `${field}: expected "auto" or a whole number from 1 to ${MAX_AB_ROUNDS}, got "${raw}"`,
    );
  }
  return n;
}

/** `auto`: rounds of AUTO_PAIRS_PER_ROUND pairs for the scenario with the fewest (at least 1). */
export function autoRounds(fewestPairs: number): number {
  if (!Number.isFinite(fewestPairs)) return 1;
  return Math.max(1, Math.min(MAX_AB_ROUNDS, Math.floor(fewestPairs / AUTO_PAIRS_PER_ROUND)));
}
