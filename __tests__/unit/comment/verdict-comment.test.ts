/**
 * The fork commenter's verdict reader and renderer (pure): every verdict loadgate itself writes
 * parses; anything else (markup, links, mentions, unknown keys, lies the counts give away) is
 * refused; the comment carries none of the run's free texts and fits the size cap.
 */
import { describe, expect, it } from 'vitest';
import { forkComment, type TrustedRunFacts } from '../../../src/comment/verdict-comment.js';
import { parseVerdict, PLAIN_TEXT_RE } from '../../../src/comment/verdict-schema.js';
import { judge } from '../../../src/judge/judge.js';
import {
  DEFAULT_JUDGE_OPTIONS,
  DEFAULT_PAIRED_MIN_EFFECT,
  type Verdict,
} from '../../../src/judge/types.js';
import { abRun, demoScenarios } from '../helpers/ab-runs.js';
import { buildRun, noisy, type ScenarioSpec } from '../helpers/results.js';

const facts: TrustedRunFacts = {
  job: 'perf-node-20',
  artifactName: 'loadgate-report-perf-node-20',
  runId: 99,
  runUrl: 'https://github.com/octo-org/admin-api/actions/runs/99',
  headSha: '9f2c4e1b7a3d5c6e8f0a1b2c3d4e5f60718293a4',
  conclusion: 'success',
};

function spec(name: string, p95: number, seed: number, extra: Partial<ScenarioSpec> = {}) {
  return {
    name,
    p95: noisy(p95, 8, 0.02, seed),
    throughput: noisy(1000, 8, 0.02, seed + 1),
    sla: { p95Ms: 500, minThroughput: 50, maxErrorRate: 0.01, maxRssMb: 512 },
    ...extra,
  };
}

function roundTrip(v: Verdict): Verdict {
  const parsed = parseVerdict(JSON.stringify(v));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.verdict;
}

describe('parseVerdict', () => {
  it("accepts the judge's own verdicts: baseline, SLA only, failed and saturated scenarios", () => {
    const base = buildRun([spec('list', 10, 1), spec('search', 20, 3), spec('gone', 5, 5)]);
    const cur = buildRun([
      spec('list', 10, 11, { generatorSaturated: true }),
      spec('search', 30, 13),
      spec('broken', 5, 15, { failure: 'setup of pool "admins" failed: 404 @someone' }),
    ]);
    for (const v of [
      judge(base, cur, DEFAULT_JUDGE_OPTIONS),
      judge(undefined, cur, DEFAULT_JUDGE_OPTIONS),
    ]) {
      expect(roundTrip(v)).toEqual(v);
    }
  });

  it('lets plain texts through and stops domains, URLs, mentions and markup', () => {
    for (const ok of [
      'median of 8 trials',
      'mean, % of 2 cores',
      'slope over the last ⅔ (from min 3.5), 95 % CI [-0.12, 0.4], R² 0.24; a finding needs the CI above 0 and the slope above 1 MB/min',
      'to p95 ≤ 12.3 ms',
      'deactivate of 1000 users, status 500',
      '3 to invalid, 0 to valid requests',
    ]) {
      expect(PLAIN_TEXT_RE.test(ok), ok).toBe(true);
    }
    for (const bad of [
      'www.evil.com',
      'see https://x.y',
      'evil.example',
      '@octocat',
      'fixes #12',
      '<b>x</b>',
      '`code`',
      '*bold*',
      '_em_',
      '![x](y)',
    ]) {
      expect(PLAIN_TEXT_RE.test(bad), bad).toBe(false);
    }
  });

  it('refuses a verdict too large to be one (more scenarios than any run holds)', () => {
    const v = judge(undefined, buildRun([spec('a', 10, 1)]), DEFAULT_JUDGE_OPTIONS);
    const many = { ...v, scenarios: Array.from({ length: 501 }, () => v.scenarios[0]) };
    expect(parseVerdict(JSON.stringify(many))).toMatchObject({ error: /scenarios/ });
  });
});

describe('forkComment', () => {
  it("is rebuilt from structured fields only, with the run's conclusion beside the verdict", () => {
    const base = buildRun([spec('list', 10, 1), spec('search', 20, 3)]);
    const cur = buildRun([spec('list', 10, 11), spec('search', 30, 13)]);
    const v = judge(base, cur, DEFAULT_JUDGE_OPTIONS);
    v.warnings.push('a warning with @octocat');
    const body = forkComment(roundTrip(v), facts);
    expect(body.split('\n').slice(0, 2)).toEqual([
      '<!-- loadgate:perf-node-20 -->',
      expect.stringMatching(/^<!-- loadgate-verdict:fail:baseline:r\d:s0:f0:[0-9a-f]{8} -->$/),
    ]);
    expect(body).toContain('concluded **success**');
    // The verdict says the check fails, the run succeeded: said at the top.
    expect(body).toMatch(/\[!CAUTION\]\n> The verdict says the check fails, but the run concluded/);
    expect(body).not.toContain('octocat');
    expect(body).toContain('artifact `loadgate-report-perf-node-20`');
  });

  it("shows an endpoint's name only when it reads like a scenario name", () => {
    const run = abRun(demoScenarios({ 'concurrent-admins': { search: 3 } }));
    const v = roundTrip(
      judge(undefined, run, { ...DEFAULT_JUDGE_OPTIONS, minEffect: DEFAULT_PAIRED_MIN_EFFECT }),
    );
    const mix = v.scenarios.find((s) => s.name === 'concurrent-admins');
    const renamed = (n: string) =>
      n === 'search' ? 'see [this](https://evil.example) @octocat' : n;
    if (mix?.endpoints) {
      mix.endpoints.names = mix.endpoints.names.map(renamed);
      for (const c of mix.endpoints.comparisons) c.endpoint = renamed(c.endpoint);
    }
    const body = forkComment(roundTrip(v), facts);
    expect(body).toContain('**concurrent-admins**: its endpoint-2 requests p95 +');
    expect(body).not.toContain('evil');
    expect(body).not.toContain('octocat');
  });

  it('stays below the cap with hundreds of scenarios', () => {
    const specs = Array.from({ length: 400 }, (_, i) => spec(`scenario-${i}`, 10, i));
    const v = judge(undefined, buildRun(specs), DEFAULT_JUDGE_OPTIONS);
    const body = forkComment(roundTrip(v), facts, 20_000);
    expect(body.length).toBeLessThanOrEqual(20_000);
    expect(body.startsWith('<!-- loadgate:perf-node-20 -->')).toBe(true);
  });
});
