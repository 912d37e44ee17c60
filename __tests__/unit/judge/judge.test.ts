import { describe, expect, it } from 'vitest';
import { judge, IncompatibleResultsError } from '../../../src/judge/judge.js';
import { minAchievableP, trialsNeeded } from '../../../src/judge/compare.js';
import { regressionSeverity, slaSeverity } from '../../../src/judge/severity.js';
import type { FailOn, JudgeOptions, Verdict } from '../../../src/judge/types.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun, noisy } from '../helpers/results.js';
import type { ScenarioSpec } from '../helpers/results.js';

const opts = (over: Partial<JudgeOptions> = {}): JudgeOptions => ({
  alpha: 0.05,
  minEffect: 0.1,
  failOn: new Set<FailOn>(['sla', 'regression']),
  ...over,
});

/** A realistic scenario: noisy p95 / p99 / throughput, no errors. */
function spec(name: string, n: number, p95: number, seed: number, spread = 0.03): ScenarioSpec {
  return {
    name,
    p95: noisy(p95, n, spread, seed),
    p99: noisy(p95 * 1.6, n, spread, seed + 1),
    throughput: noisy(1000, n, spread, seed + 2),
    errorRate: Array.from({ length: n }, () => 0),
  };
}

function comparison(v: Verdict, scenario: string, metric: string) {
  const s = v.scenarios.find((x) => x.name === scenario);
  return s?.comparisons.find((c) => c.metric === metric);
}

describe('judge: regressions', () => {
  it('identical runs → no regression, pass', () => {
    const run = buildRun([spec('list', 10, 20, 1), spec('create', 10, 40, 2)]);
    const v = judge(run, structuredClone(run), opts());
    expect(v.counts.regressions).toBe(0);
    expect(v.counts.improvements).toBe(0);
    expect(v.status).toBe('pass');
    expect(v.failsCheck).toBe(false);
    expect(v.scenarios.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    const p95 = comparison(v, 'list', 'p95');
    expect(p95?.effect.estimate).toBeCloseTo(1, 10);
    expect(p95?.outcome).toBe('unchanged');
  });

  it('a clear 30 % p95 slowdown with 10 trials → regression of that scenario and metric', () => {
    const base = buildRun([spec('list', 10, 20, 1), spec('create', 10, 40, 2)]);
    const slow = spec('create', 10, 40, 12);
    // The p95 alone: the median stays where it was (p50 is gated too). One run against one, a
    // regression must be twice the min effect (judge/one-run.ts).
    slow.p50 = slow.p95.map((v) => v * 0.5);
    slow.p95 = slow.p95.map((v) => v * 1.3);
    const cur = buildRun([spec('list', 10, 20, 11), slow]);
    const v = judge(base, cur, opts());
    const c = comparison(v, 'create', 'p95');
    expect(c?.outcome).toBe('regression');
    expect(c?.effect.estimate).toBeGreaterThan(1.22);
    expect(c?.effect.estimate).toBeLessThan(1.4);
    expect(c?.effect.lower).not.toBeNull();
    expect(c?.pAdjusted).toBeLessThan(0.05);
    expect(comparison(v, 'list', 'p95')?.outcome).not.toBe('regression');
    expect(v.counts.regressions).toBe(1);
    expect(v.findings[0]).toMatchObject({ kind: 'regression', scenario: 'create', metric: 'p95' });
    expect(v.scenarios.find((s) => s.name === 'create')?.status).toBe('regression');
    expect(v.status).toBe('fail');
    expect(v.failsCheck).toBe(true);
    expect(v.failReasons).toEqual(['1 regression']);
  });

  it('a 20 % slowdown with only 3 trials → no regression, but a power note', () => {
    const base = buildRun([spec('create', 3, 40, 2)]);
    const slow = spec('create', 3, 48, 12);
    const cur = buildRun([slow]);
    const v = judge(base, cur, opts());
    expect(v.counts.regressions).toBe(0);
    expect(comparison(v, 'create', 'p95')?.outcome).toBe('inconclusive');
    expect(v.counts.inconclusive).toBeGreaterThan(0);
    expect(v.notes.join('\n')).toMatch(
      /too few trials to detect regressions: need ≥ \d+ per side/i,
    );
    expect(v.status).toBe('warn');
    expect(v.failsCheck).toBe(false);
  });

  it('states how many trials are needed', () => {
    expect(minAchievableP(5, 5)).toBeCloseTo(1 / 252, 12);
    expect(minAchievableP(3, 3)).toBeCloseTo(0.05, 12);
    expect(trialsNeeded(1, 0.05)).toBe(4);
    expect(trialsNeeded(10, 0.05)).toBe(5);
    expect(trialsNeeded(25, 0.05)).toBe(6);
  });

  it('a single trial per side does not crash: inconclusive', () => {
    const v = judge(buildRun([spec('one', 1, 20, 1)]), buildRun([spec('one', 1, 30, 2)]), opts());
    expect(comparison(v, 'one', 'p95')?.outcome).toBe('inconclusive');
    expect(comparison(v, 'one', 'p95')?.effect.estimate).toBeCloseTo(1.5, 1);
    expect(v.notes.join('\n')).toMatch(/Too few trials/);
  });

  it('4 trials with many tests: powered tests impossible after Holm → inconclusive', () => {
    const specs = Array.from({ length: 5 }, (_, i) => spec(`s${i}`, 4, 30, 100 + i));
    const slow = specs.map((s) => ({ ...s, p95: s.p95.map((v) => v * 1.5) }));
    const v = judge(buildRun(specs), buildRun(slow), opts());
    expect(v.counts.regressions).toBe(0);
    expect(v.notes.join('\n')).toMatch(/need ≥ 6 per side/);
  });

  it('noise within 5 % → no change', () => {
    const base = buildRun([spec('list', 10, 20, 1, 0.05), spec('search', 10, 30, 3, 0.05)]);
    const cur = buildRun([spec('list', 10, 20, 21, 0.05), spec('search', 10, 30, 23, 0.05)]);
    const v = judge(base, cur, opts());
    expect(v.counts.regressions).toBe(0);
    expect(v.counts.improvements).toBe(0);
    expect(v.status).toBe('pass');
  });

  it('respects min-effect: a significant 4 % change is not a regression at 10 %', () => {
    const base = buildRun([spec('list', 10, 100, 1, 0.005)]);
    const cur = buildRun([{ ...spec('list', 10, 100, 1, 0.005), p95: noisy(104, 10, 0.005, 9) }]);
    const v = judge(base, cur, opts());
    const c = comparison(v, 'list', 'p95');
    expect(c?.pWorseAdjusted).toBeLessThan(0.05);
    expect(c?.outcome).toBe('unchanged');
    expect(c?.reason).toMatch(/within the min effect/);
    // A 1.5 % min effect: beyond it, and beyond twice it (what one run against one needs).
    const v3 = judge(base, cur, opts({ minEffect: 0.015 }));
    expect(comparison(v3, 'list', 'p95')?.outcome).toBe('regression');
    // A 3 % one: beyond it, but not twice it: one run against one cannot tell.
    const v2 = comparison(judge(base, cur, opts({ minEffect: 0.03 })), 'list', 'p95');
    expect(v2?.outcome).toBe('inconclusive');
    expect(v2?.undecided).toBe(true);
  });

  it('the noise floor raises the effective min-effect to twice the floor', () => {
    const base = buildRun([spec('list', 10, 100, 1, 0.01)]);
    const cur = buildRun([{ ...spec('list', 10, 100, 1, 0.01), p95: noisy(125, 10, 0.01, 9) }]);
    expect(comparison(judge(base, cur, opts()), 'list', 'p95')?.outcome).toBe('regression');
    const noisyBase = { ...base, noiseFloor: { list: { p95: 0.14 } } } satisfies RunResult;
    const c = comparison(judge(noisyBase, cur, opts()), 'list', 'p95');
    expect(c?.effectiveMinEffect).toBeCloseTo(0.28, 12);
    expect(c?.noiseFloor).toBe(0.14);
    expect(c?.outcome).toBe('unchanged');
  });

  it('Holm changes a borderline family', () => {
    // Only p95 varies (other metrics constant and equal → no test). Raw one-sided exact p = 0.0144.
    const flat = (name: string, p95: number[]): ScenarioSpec => ({
      name,
      p95,
      p99: p95.map(() => 500),
      throughput: p95.map(() => 1000),
    });
    const b = Array.from({ length: 10 }, (_, i) => 100 + i);
    const c = b.map((v) => v + 3.5);
    const alone = judge(buildRun([flat('a', b)]), buildRun([flat('a', c)]), opts({ minEffect: 0 }));
    expect(comparison(alone, 'a', 'p95')?.test?.pWorse).toBeCloseTo(0.014402779882656043, 6);
    expect(comparison(alone, 'a', 'p95')?.outcome).toBe('regression');

    const others = ['b', 'c', 'd'].map((n, i) => flat(n, noisy(50, 10, 0.05, 40 + i)));
    const others2 = ['b', 'c', 'd'].map((n, i) => flat(n, noisy(50, 10, 0.05, 50 + i)));
    const family = judge(
      buildRun([flat('a', b), ...others]),
      buildRun([flat('a', c), ...others2]),
      opts({ minEffect: 0 }),
    );
    const ca = comparison(family, 'a', 'p95');
    expect(ca?.test?.pWorse).toBeCloseTo(0.0144, 3);
    expect(ca?.pWorseAdjusted).toBeGreaterThanOrEqual(0.05);
    expect(ca?.outcome).toBe('unchanged');
  });

  it('a throughput drop is a regression', () => {
    const base = buildRun([spec('create', 10, 40, 2)]);
    const s = spec('create', 10, 40, 2);
    const cur = buildRun([{ ...s, throughput: noisy(780, 10, 0.03, 77) }]);
    const v = judge(base, cur, opts());
    const c = comparison(v, 'create', 'throughput');
    expect(c?.higherIsWorse).toBe(false);
    expect(c?.outcome).toBe('regression');
    expect(c?.change.estimate).toBeLessThan(-0.15);
    expect(c?.severity).toBe('MEDIUM');
  });

  it('reports improvements', () => {
    const base = buildRun([spec('search', 10, 50, 5)]);
    const s = spec('search', 10, 50, 5);
    // The p95 alone: the median stays where it was (p50 is gated too).
    const cur = buildRun([{ ...s, p50: s.p95.map((v) => v * 0.5), p95: noisy(35, 10, 0.03, 55) }]);
    const v = judge(base, cur, opts());
    const c = comparison(v, 'search', 'p95');
    expect(c?.outcome).toBe('improvement');
    expect(c?.pBetterAdjusted).toBeLessThan(0.05);
    expect(c?.pAdjusted).toBe(c?.pBetterAdjusted);
    expect(v.counts.improvements).toBe(1);
    expect(v.scenarios[0]?.status).toBe('improvement');
    expect(v.status).toBe('pass');
  });

  it('error rate: mostly zero, compared in percentage points', () => {
    const s = spec('grant', 10, 40, 3);
    const base = buildRun([s]);
    const cur = buildRun([{ ...s, errorRate: noisy(0.02, 10, 0.2, 8) }]);
    const v = judge(base, cur, opts());
    const c = comparison(v, 'grant', 'errorRate');
    expect(c?.unit).toBe('pp');
    expect(c?.change.estimate).toBeGreaterThan(1.5);
    expect(c?.outcome).toBe('regression');
    expect(c?.severity).toBe('CRITICAL');
    // Tiny increase: 0.2 pp is below the 0.5 pp floor.
    const cur2 = buildRun([{ ...s, errorRate: noisy(0.002, 10, 0.2, 8) }]);
    expect(comparison(judge(base, cur2, opts()), 'grant', 'errorRate')?.outcome).toBe('unchanged');
    // All zero on both sides: no test, unchanged.
    const z = comparison(judge(base, buildRun([s]), opts()), 'grant', 'errorRate');
    expect(z?.test).toBeUndefined();
    expect(z?.outcome).toBe('unchanged');
  });

  it('compares dbP95 only where both sides have it', () => {
    const s = { ...spec('list', 10, 20, 1), dbP95: noisy(5, 10, 0.03, 4) };
    const withDb = judge(buildRun([s]), buildRun([s]), opts());
    expect(comparison(withDb, 'list', 'dbP95')).toBeDefined();
    const withoutDb = judge(buildRun([spec('list', 10, 20, 1)]), buildRun([s]), opts());
    expect(comparison(withoutDb, 'list', 'dbP95')).toBeUndefined();
  });
});

describe('judge: SLA', () => {
  it('checks breaches and margins on medians, peaks and sustained CPU', () => {
    const cur = buildRun(
      [
        {
          ...spec('create', 5, 600, 1, 0.01),
          sla: {
            p95Ms: 500,
            minThroughput: 50,
            maxErrorRate: 0.01,
            maxCpuPercent: 80,
            maxRssMb: 512,
            maxPgConnections: 20,
          },
          resources: { cpuPercentMean: 150, rssBytesPeak: 256 * 1024 * 1024 },
        },
      ],
      { cores: 2 },
    );
    const v = judge(undefined, cur, opts());
    const sla = v.scenarios[0]?.sla ?? [];
    const p95 = sla.find((c) => c.check === 'p95Ms');
    expect(p95?.status).toBe('fail');
    expect(p95?.basis).toBe('median of 5 trials');
    expect(p95?.margin).toBeCloseTo((500 - (p95?.measured ?? 0)) / 500, 12);
    expect(p95?.margin).toBeLessThan(-0.15);
    expect(p95?.severity).toBe('HIGH');
    const cpu = sla.find((c) => c.check === 'maxCpuPercent');
    expect(cpu?.measured).toBe(75);
    expect(cpu?.status).toBe('pass');
    expect(cpu?.margin).toBeCloseTo(5 / 80, 12);
    expect(sla.find((c) => c.check === 'maxRssMb')?.measured).toBe(256);
    expect(sla.find((c) => c.check === 'minThroughput')?.status).toBe('pass');
    expect(sla.find((c) => c.check === 'maxErrorRate')?.margin).toBe(1);
    expect(sla.find((c) => c.check === 'maxPgConnections')?.status).toBe('not-measured');
    expect(v.counts.slaBreaches).toBe(1);
    expect(v.counts.slaNotMeasured).toBe(1);
    expect(v.counts.slaChecks).toBe(5);
    expect(v.status).toBe('fail');
    expect(v.failReasons).toEqual(['1 SLA breach']);
  });

  it('severity: CRITICAL beyond 2× the threshold, for a minimum below half, for errors above 5 %', () => {
    const cur = buildRun([
      { ...spec('a', 5, 1100, 1, 0.01), sla: { p95Ms: 500 } },
      {
        ...spec('b', 5, 10, 1, 0.01),
        throughput: noisy(40, 5, 0.01, 2),
        sla: { minThroughput: 100 },
      },
      {
        ...spec('c', 5, 10, 1, 0.01),
        errorRate: noisy(0.06, 5, 0.01, 2),
        sla: { maxErrorRate: 0.01 },
      },
      {
        ...spec('d', 5, 10, 1, 0.01),
        errorRate: noisy(0.03, 5, 0.01, 2),
        sla: { maxErrorRate: 0.01 },
      },
    ]);
    const v = judge(undefined, cur, opts());
    expect(v.scenarios.map((s) => s.severity)).toEqual([
      'CRITICAL',
      'CRITICAL',
      'CRITICAL',
      'CRITICAL',
    ]);
    expect(slaSeverity('max', 500, 900, false)).toBe('HIGH');
    expect(slaSeverity('max', 500, 1001, false)).toBe('CRITICAL');
    expect(slaSeverity('min', 100, 60, false)).toBe('HIGH');
    expect(slaSeverity('min', 100, 49, false)).toBe('CRITICAL');
    expect(slaSeverity('max', 0.01, 0.03, true)).toBe('CRITICAL');
    expect(slaSeverity('max', 0.01, 0.02, true)).toBe('HIGH');
    expect(v.findings.every((f) => f.kind === 'sla-breach')).toBe(true);
  });

  it('regression severity tiers', () => {
    expect(regressionSeverity(0.12, false)).toBe('LOW');
    expect(regressionSeverity(0.2, false)).toBe('MEDIUM');
    expect(regressionSeverity(-0.4, false)).toBe('HIGH');
    expect(regressionSeverity(0.6, false)).toBe('CRITICAL');
    expect(regressionSeverity(0.01, true)).toBe('CRITICAL');
  });

  it('a failed scenario is a CRITICAL finding', () => {
    const cur = buildRun([
      spec('ok', 5, 10, 1),
      { ...spec('bulk', 5, 10, 1), failure: 'service exited with code 137' },
    ]);
    const v = judge(undefined, cur, opts());
    expect(v.findings[0]).toMatchObject({
      severity: 'CRITICAL',
      kind: 'scenario-failed',
      scenario: 'bulk',
    });
    expect(v.counts.failedScenarios).toBe(1);
    expect(v.failsCheck).toBe(true);
    expect(judge(undefined, cur, opts({ failOn: new Set() })).failsCheck).toBe(false);
  });
});

describe('judge: compatibility', () => {
  it('new and removed scenarios are reported, not compared', () => {
    const base = buildRun([spec('list', 10, 20, 1), spec('old', 10, 20, 2)]);
    const cur = buildRun([spec('list', 10, 20, 1), spec('fresh', 10, 20, 3)]);
    const v = judge(base, cur, opts());
    const byName = Object.fromEntries(v.scenarios.map((s) => [s.name, s]));
    expect(byName['fresh']?.status).toBe('new');
    expect(byName['fresh']?.comparisons).toEqual([]);
    expect(byName['old']?.status).toBe('removed');
    expect(v.counts.newScenarios).toBe(1);
    expect(v.counts.removedScenarios).toBe(1);
    expect(v.scenarios.map((s) => s.name)).toEqual(['list', 'fresh', 'old']);
  });

  it('warns about a different machine type and a different config', () => {
    const base = buildRun([spec('list', 10, 20, 1)], {
      envHash: 'env-bbbb',
      cpuModel: 'Intel Xeon',
      configHash: 'cfg-2',
    });
    const cur = buildRun([spec('list', 10, 20, 1)]);
    const v = judge(base, cur, opts());
    expect(v.warnings.join('\n')).toMatch(
      /baseline from a different machine type \(baseline: Intel Xeon/i,
    );
    expect(v.warnings.join('\n')).toMatch(/different configuration/);
    expect(v.status).toBe('warn');
  });

  it('warns when a scenario ran with other settings', () => {
    const base = buildRun([{ ...spec('list', 10, 20, 1), connections: 10 }]);
    const cur = buildRun([{ ...spec('list', 10, 20, 1), connections: 50 }]);
    expect(judge(base, cur, opts()).warnings.join('\n')).toMatch(/connections 10 → 50/);
  });

  it('no baseline → SLA only, and says so', () => {
    const cur = buildRun([{ ...spec('list', 10, 20, 1), sla: { p95Ms: 500 } }]);
    const v = judge(undefined, cur, opts());
    expect(v.mode).toBe('sla-only');
    expect(v.baseline).toBeNull();
    expect(v.notes[0]).toMatch(/No baseline: SLA checks only/);
    expect(v.scenarios[0]?.comparisons).toEqual([]);
    expect(v.counts.slaChecks).toBe(1);
    expect(v.status).toBe('warn');
  });

  it('a schema version mismatch cannot be compared', () => {
    const cur = buildRun([spec('list', 3, 20, 1)]);
    const odd = { ...cur, schemaVersion: 2 } as unknown as RunResult;
    expect(() => judge(odd, cur, opts())).toThrow(IncompatibleResultsError);
  });

  it('fail-on decides whether the check fails', () => {
    const cur = buildRun([{ ...spec('list', 5, 600, 1), sla: { p95Ms: 500 } }]);
    expect(judge(undefined, cur, opts({ failOn: new Set(['regression']) })).failsCheck).toBe(false);
    expect(judge(undefined, cur, opts({ failOn: new Set(['sla']) })).failsCheck).toBe(true);
    const none = judge(undefined, cur, opts({ failOn: new Set() }));
    expect(none.status).toBe('fail');
    expect(none.failsCheck).toBe(false);
    expect(none.options.failOn).toEqual([]);
  });
});

describe('judge: determinism', () => {
  it('same inputs → deep-equal verdicts, and JSON round-trips', () => {
    const base = buildRun([spec('list', 10, 20, 1), spec('create', 10, 40, 2)]);
    const cur = buildRun([
      spec('list', 10, 22, 5),
      { ...spec('create', 10, 40, 2), sla: { p95Ms: 30 } },
    ]);
    const a = judge(base, cur, opts());
    const b = judge(structuredClone(base), structuredClone(cur), opts());
    expect(a).toEqual(b);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(a.schemaVersion).toBe(1);
  });
});
