/**
 * Judging an A/B run in rounds (both services restarted between rounds): the test runs over the
 * rounds' means, so a luck that a pair of processes keeps for a whole round is spread, not a
 * change; a real change that shows in every round is still found.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS, DEFAULT_PAIRED_MIN_EFFECT } from '../../../src/judge/types.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import { parseRunResult } from '../../../src/result/schema.js';
import type { RunResult } from '../../../src/result/types.js';
import { logRatios, roundMeansTest, wilcoxonSignedRank } from '../../../src/stats/index.js';
import { buildRun, rng } from '../helpers/results.js';

const PAIRED = { ...DEFAULT_JUDGE_OPTIONS, minEffect: DEFAULT_PAIRED_MIN_EFFECT };
const ROUNDS = 7;
const PAIRS_PER_ROUND = 2;

/**
 * 7 rounds of 2 pairs of p95 values: each pair within ±0.5 % of its round's level; the head's
 * level is `roundLuck[r]` off the base's in round r (the process pair's luck), times `factor`.
 */
function roundsScenario(name: string, roundLuck: number[], factor: number, seed: number) {
  const r = rng(seed);
  const base: number[] = [];
  const head: number[] = [];
  roundLuck.forEach((luck) => {
    for (let k = 0; k < PAIRS_PER_ROUND; k++) {
      const level = 20 * (1 + (r() * 2 - 1) * 0.2);
      base.push(level * (1 + (r() * 2 - 1) * 0.005));
      head.push(level * (1 + luck) * factor * (1 + (r() * 2 - 1) * 0.005));
    }
  });
  return { name, base, head };
}

function roundsRun(specs: { name: string; base: number[]; head: number[] }[]): RunResult {
  const withRounds = (run: RunResult): RunResult => ({
    ...run,
    scenarios: run.scenarios.map((s) => ({
      ...s,
      trials: s.trials.map((t, i) => ({ ...t, round: Math.floor(i / PAIRS_PER_ROUND) })),
    })),
  });
  const head = withRounds(
    buildRun(
      specs.map((s) => ({ name: s.name, p95: s.head })),
      { sha: 'f'.repeat(40) },
    ),
  );
  const base = withRounds(
    buildRun(
      specs.map((s) => ({ name: s.name, p95: s.base })),
      { sha: 'b'.repeat(40) },
    ),
  );
  return {
    ...head,
    ab: {
      seed: 3,
      rounds: ROUNDS,
      base: { git: base.git, baseUrl: 'http://127.0.0.1:40001', scenarios: base.scenarios },
      head: { git: head.git, baseUrl: 'http://127.0.0.1:40002' },
      order: Object.fromEntries(
        specs.map((s) => [s.name, s.head.map((_, i) => (i % 2 ? 'head-first' : 'base-first'))]),
      ),
    },
  };
}

// Same code, but each round's pair of processes has its own luck of up to ±4 %; this draw
// leans the head's way (mean +1.6 %), as one unlucky run does.
const LUCK = [0.04, -0.01, 0.035, 0.03, -0.02, 0.02, 0.01];

describe('judging an A/B run in rounds', () => {
  it('does not call a lasting luck of the processes a change, where a test over the pairs would', () => {
    const s = roundsScenario('grant', LUCK, 1, 5);
    const run = roundsRun([s]);
    const p95 = judge(undefined, run, PAIRED).scenarios[0]?.comparisons.find(
      (c) => c.metric === 'p95',
    );
    expect(p95?.test?.name).toBe('round-means-t');
    expect(p95?.test?.method).toBe('student-t');
    expect(p95?.rounds).toBe(ROUNDS);
    expect(p95?.outcome).not.toBe('regression');
    // The test over the rounds' means is the one in stats/round-means.ts, on these log ratios.
    const d = logRatios(s.base, s.head);
    const rounds = d.map((_, i) => Math.floor(i / PAIRS_PER_ROUND));
    expect(p95?.test?.pWorse).toBeCloseTo(roundMeansTest(d, rounds).pGreater, 12);
    // Over the 14 pairs as if independent, the same data look like a sure change: 11 of 14 up.
    expect(wilcoxonSignedRank(d, 'greater').pValue).toBeLessThan(0.05 / 2);
    // The estimate is the geometric mean ratio, the interval wide enough to hold 0.
    expect(p95?.change.estimate).toBeCloseTo(Math.expm1(roundMeansTest(d, rounds).mean), 12);
    expect(p95?.change.lower).toBeLessThan(0);
  });

  it('finds a 6 % slowdown that shows in every round, in that scenario only', () => {
    const small = LUCK.map((l) => l / 8); // a quieter machine: ±0.5 % of luck
    const run = roundsRun([
      roundsScenario('search', small, 1.06, 7),
      roundsScenario('list', small, 1, 8),
    ]);
    const v = judge(undefined, run, PAIRED);
    expect(v.options.test).toMatch(/Student t over the rounds' means/);
    expect(v.scenarios.filter((s) => s.status === 'regression').map((s) => s.name)).toEqual([
      'search',
    ]);
    const p95 = v.scenarios[0]?.comparisons.find((c) => c.metric === 'p95');
    expect(p95?.change.estimate).toBeGreaterThan(0.05);
    expect(p95?.change.estimate).toBeLessThan(0.07);
    // What it could have detected comes from the t-test over 7 rounds, below the 6 % it found.
    expect(p95?.detectable).toBeGreaterThan(0);
    expect(p95?.detectable).toBeLessThan(0.06);
  });

  it('says so in the report, and the result with rounds is a valid result', () => {
    const run = roundsRun([roundsScenario('search', LUCK, 1, 9)]);
    expect(() => parseRunResult(JSON.stringify(run), 'r.json')).not.toThrow();
    const md = renderMarkdown(judge(undefined, run, PAIRED), run);
    expect(md).toMatch(/<summary>Method: 14 pairs in 7 rounds, α 0\.05, min effect 3 %/);
    expect(md).toContain('both services restarted between rounds');
    expect(md).toMatch(/Student t over the rounds' means/);
  });

  it('a run without rounds keeps the signed-rank test over its pairs', () => {
    const s = roundsScenario('grant', LUCK, 1, 5);
    const run = roundsRun([s]);
    const plain: RunResult = {
      ...run,
      scenarios: run.scenarios.map((x) => ({
        ...x,
        trials: x.trials.map(({ round: _round, ...t }) => t),
      })),
    };
    const p95 = judge(undefined, plain, PAIRED).scenarios[0]?.comparisons.find(
      (c) => c.metric === 'p95',
    );
    expect(p95?.test?.name).toBe('wilcoxon-signed-rank');
    expect(p95?.rounds).toBeUndefined();
  });
});
