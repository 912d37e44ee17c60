/**
 * The defaults the README and docs state are the ones config/mode.ts decides: every sentence that
 * gives a mode's timing, α or min effect is held to modeDefaults(), so the documents cannot drift
 * from the code (docs/measurements.md is left out: it records what was measured with the
 * defaults of its day).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modeDefaults } from '../../../src/config/mode.js';
import {
  DEFAULT_HISTORY_ALPHA,
  DEFAULT_HISTORY_MIN_EFFECT,
} from '../../../src/judge/history-compare.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ab = modeDefaults('ab');
const single = modeDefaults('single');
const percent = (share: number) => String(Math.round(share * 1000) / 10);

/** README.md and docs/*.md, each as one line of text (line breaks are only layout). */
const documents = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md') && f !== 'measurements.md')
    .map((f) => `docs/${f}`),
].map((name) => ({ name, text: readFileSync(join(ROOT, name), 'utf8').replace(/\s+/g, ' ') }));

function all(pattern: RegExp): { name: string; match: RegExpMatchArray }[] {
  return documents.flatMap(({ name, text }) =>
    [...text.matchAll(pattern)].map((match) => ({ name, match })),
  );
}

describe('the defaults the documents state', () => {
  it('the A/B rounds: pairs per round, trial length, the budget', () => {
    const rounds = all(/rounds of (\d+) pairs of (\d+) s trials/g);
    expect(rounds.map((r) => r.name)).toContain('README.md');
    for (const { name, match } of rounds) {
      expect([match[1], match[2]], name).toEqual([
        String(ab.pairsPerRound),
        String(ab.timing.trialSeconds),
      ]);
    }
    const budgets = all(/within a budget \(([^)]*)\)/g);
    expect(budgets.length).toBeGreaterThanOrEqual(3);
    for (const { name, match } of budgets) {
      expect(match[1], name).toMatch(new RegExp(`default ${(ab.budgetSeconds ?? 0) / 60} min`));
    }
  });

  it('the A/B level and min effect', () => {
    const stated = all(/base-commit[^α.]*(?:\.\d[^α.]*)*α ([\d.]+), min effect (\d+) %/g);
    expect(stated.map((s) => s.name)).toEqual(
      expect.arrayContaining(['README.md', 'docs/ab.md', 'docs/statistics.md']),
    );
    for (const { name, match } of stated) {
      expect([match[1], match[2]], name).toEqual([String(ab.alpha), percent(ab.minEffect)]);
    }
  });

  it('the stored baseline: trials, level (and against a history), min effect', () => {
    const stated = all(
      /stored baseline: (\d+) trials of (\d+) s per scenario, α ([\d.]+) \(([\d.]+) against a history of main\), min effect (\d+) %/g,
    );
    expect(stated.map((s) => s.name)).toEqual(
      expect.arrayContaining(['README.md', 'docs/configuration.md', 'docs/statistics.md']),
    );
    for (const { name, match } of stated) {
      expect(match.slice(1), name).toEqual([
        String(single.timing.trials),
        String(single.timing.trialSeconds),
        String(single.alpha),
        String(DEFAULT_HISTORY_ALPHA),
        percent(single.minEffect),
      ]);
    }
  });

  it('the action inputs table: alpha and min-effect in each mode', () => {
    const table = documents.find((d) => d.name === 'docs/configuration.md')?.text ?? '';
    const alpha =
      /\| `alpha` \| `([\d.]+)`; against the history `([\d.]+)`; with `base-commit` `([\d.]+)` \|/.exec(
        table,
      );
    expect(alpha?.slice(1)).toEqual([
      String(single.alpha),
      String(DEFAULT_HISTORY_ALPHA),
      String(ab.alpha),
    ]);
    const minEffect =
      /\| `min-effect` \| `([\d.]+)`; against the history `([\d.]+)`; with `base-commit` `([\d.]+)` \|/.exec(
        table,
      );
    expect(minEffect?.slice(1)).toEqual([
      String(single.minEffect),
      String(DEFAULT_HISTORY_MIN_EFFECT),
      String(ab.minEffect),
    ]);
  });
});
