/**
 * The endpoint to blame (judge/endpoints.ts): a scenario that mixes endpoints has each one tested
 * as the scenario is, in a Holm family of the endpoint tests alone; it says which endpoint
 * changed and never adds to the scenarios' counts or to what fails the check.
 */
import { describe, expect, it } from 'vitest';
import { parseVerdict } from '../../../src/comment/verdict-schema.js';
import { ENDPOINT_METRICS, compareEndpoints, endpointNames } from '../../../src/judge/endpoints.js';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { abBaseRun } from '../../../src/result/ab.js';
import { AB_OPTIONS, abRun, demoScenarios } from '../helpers/ab-runs.js';

describe('the endpoints of a mix', () => {
  const run = abRun(demoScenarios({ 'concurrent-admins': { search: 3 } }));
  const v = judge(undefined, run, AB_OPTIONS);
  const mix = v.scenarios.find((s) => s.name === 'concurrent-admins');

  it('blames the slow endpoint alone, tested over the rounds like the scenario', () => {
    expect(mix?.status).toBe('regression');
    expect(mix?.endpoints?.names).toEqual(['list', 'search', 'get', 'update', 'grant', 'create']);
    const tests = mix?.endpoints?.comparisons ?? [];
    expect(tests).toHaveLength(6 * ENDPOINT_METRICS.length);
    const regressed = tests.filter((c) => c.outcome === 'regression');
    expect([...new Set(regressed.map((c) => c.endpoint))]).toEqual(['search']);
    const p95 = tests.find((c) => c.endpoint === 'search' && c.metric === 'p95');
    expect(p95?.test?.name).toBe('round-means-t');
    expect(p95?.rounds).toBe(7);
    expect(p95?.change.estimate).toBeGreaterThan(1.8);
    expect(p95?.change.estimate).toBeLessThan(2.2);
    for (const c of tests.filter((t) => t.endpoint !== 'search')) {
      expect(c.outcome, `${c.endpoint} ${c.metric}`).toBe('unchanged');
    }
  });

  it('is its own Holm family: the adjusted p of an endpoint is over the endpoint tests only', () => {
    const tests = mix?.endpoints?.comparisons ?? [];
    const inFamily = tests.filter((c) => c.inFamily);
    const smallest = Math.min(...inFamily.map((c) => c.test?.pWorse ?? 1));
    const first = inFamily.find((c) => c.test?.pWorse === smallest);
    expect(first?.pWorseAdjusted).toBeCloseTo(Math.min(1, smallest * inFamily.length), 12);
  });

  it('adds nothing to the counts, the findings or what fails the check', () => {
    const scenarioTests = v.scenarios.flatMap((s) => s.comparisons);
    expect(v.counts.regressions).toBe(
      scenarioTests.filter((c) => c.outcome === 'regression').length,
    );
    expect(v.findings.every((f) => f.scenario === 'concurrent-admins')).toBe(true);
    expect(v.findings.some((f) => /search/.test(f.message))).toBe(false);
  });

  it('a scenario of one endpoint has its name and no endpoint tests', () => {
    const search = v.scenarios.find((s) => s.name === 'search-admins');
    expect(search?.endpoints).toEqual({ names: ['search'], comparisons: [] });
  });

  it('the fork commenter reads the verdict with its endpoints', () => {
    const parsed = parseVerdict(JSON.stringify(v));
    expect('error' in parsed ? parsed.error : parsed.verdict).toEqual(v);
    // An unknown key in an endpoint's test is refused, as everywhere in the verdict.
    const tampered = JSON.parse(JSON.stringify(v)) as {
      scenarios: { endpoints?: { comparisons: Record<string, unknown>[] } }[];
    };
    const first = tampered.scenarios.find((s) => (s.endpoints?.comparisons.length ?? 0) > 0);
    const test = first?.endpoints?.comparisons[0];
    if (test) test['extra'] = 1;
    expect(parseVerdict(JSON.stringify(tampered))).toMatchObject({ error: /extra/ });
  });
});

describe('compareEndpoints', () => {
  it('tests only the endpoints every trial of both sides recorded', () => {
    const run = abRun(demoScenarios());
    const base = abBaseRun(run);
    const head = run.scenarios.find((s) => s.name === 'concurrent-admins');
    const baseMix = base?.scenarios.find((s) => s.name === 'concurrent-admins');
    if (!head || !baseMix) throw new Error('fixture');
    // The base never answered a create in one trial: create is left out on both sides.
    const trials = baseMix.trials.map((t, i) =>
      i === 3
        ? { ...t, endpoints: { ...t.endpoints, create: { ...t.endpoints.create!, requests: 0 } } }
        : t,
    );
    const pair = {
      name: 'mix',
      baseline: { ...baseMix, trials },
      current: head,
      noiseFloor: undefined,
    };
    expect(endpointNames(pair.baseline)).not.toContain('create');
    const out = compareEndpoints([pair], 'paired', 0.01, 0.03).get('mix');
    expect(out?.names).toEqual(['list', 'search', 'get', 'update', 'grant']);
    expect(new Set(out?.comparisons.map((c) => c.endpoint))).not.toContain('create');
  });

  it('against a stored baseline, the two-sample test per endpoint', () => {
    const slow = abRun(demoScenarios({ 'concurrent-admins': { search: 3 } }));
    const stored = abBaseRun(abRun(demoScenarios()));
    if (!stored) throw new Error('fixture');
    const { ab: _ab, ...current } = slow;
    const v = judge(stored, current, DEFAULT_JUDGE_OPTIONS);
    const tests = v.scenarios.find((s) => s.name === 'concurrent-admins')?.endpoints?.comparisons;
    expect(tests?.every((c) => c.test?.name === 'mann-whitney-u')).toBe(true);
    expect([
      ...new Set(tests?.filter((c) => c.outcome === 'regression').map((c) => c.endpoint)),
    ]).toEqual(['search']);
  });
});
