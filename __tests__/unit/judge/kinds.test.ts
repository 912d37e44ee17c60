import { describe, expect, it } from 'vitest';
import { compareKind } from '../../../src/judge/kind-compare.js';
import { judge } from '../../../src/judge/judge.js';
import { checkSla } from '../../../src/judge/sla.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { parseRunResult } from '../../../src/result/schema.js';
import { renderMarkdown } from '../../../src/report/markdown.js';
import type {
  KindResult,
  PhaseMetrics,
  ScenarioResult,
  SlaThresholds,
} from '../../../src/result/types.js';
import { buildRun, scenario } from '../helpers/results.js';

const phase = (connections: number, throughput: number, p95: number): PhaseMetrics => ({
  connections,
  seconds: 2,
  requests: throughput * 2,
  throughput,
  p50: p95 / 2,
  p95,
  p99: p95 * 1.5,
  max: p95 * 2,
  errorRate: 0,
  timeouts: 0,
});

const stress = (kneeThroughput: number | null): KindResult => ({
  kind: 'stress',
  steps: [1, 2, 4].map((c, i) => ({
    ...phase(c, (kneeThroughput ?? 100) * (0.5 + i / 4), 5 + i * 300),
    rssPeakBytes: 100 * 2 ** 20,
    cpuPercentMean: 90,
    generatorCpuPercent: 30,
    withinSla: kneeThroughput !== null && i < 2,
  })),
  knee: kneeThroughput === null ? null : { connections: 2, throughput: kneeThroughput, p95: 305 },
  breakingPoint: { connections: 4, reason: 'p95 605 ms > 500 ms' },
  peakRssBytes: 100 * 2 ** 20,
});

const spike = (recoverySeconds: number | null): KindResult => ({
  kind: 'spike',
  base: phase(10, 1000, 5),
  spike: phase(100, 1200, 40),
  after: phase(10, 1000, 6),
  series: Array.from({ length: 20 }, (_, t) => ({
    t,
    requests: 1000,
    p95: t >= 5 && t < 10 ? 40 : 5,
    errors: 0,
  })),
  spikeStartSecond: 5,
  spikeEndSecond: 10,
  recoveryThresholdMs: 7.5,
  recoverySeconds,
});

const volume = (seconds: number, bulkMs: number, status = 200): KindResult => ({
  kind: 'volume',
  seeded: {
    method: 'api',
    admins: 10_000,
    grants: 100_000,
    seconds,
    adminSeconds: seconds / 2,
    grantSeconds: seconds / 2,
    failedRequests: 0,
  },
  bulk: { users: 1000, action: 'deactivate', durationMs: bulkMs, status, ok: status === 200 },
});

function withKind(
  name: string,
  kindResult: KindResult,
  sla: SlaThresholds = {},
  trials = 0,
): ScenarioResult {
  const base = scenario({
    name,
    kind: kindResult.kind,
    p95: Array.from({ length: trials }, () => 5),
    sla,
  });
  return { ...base, kindResult };
}

describe('per-kind SLA checks', () => {
  it('skips the latency and CPU checks of a stress run and checks its knee and resources', () => {
    const s = withKind('s', stress(800), {
      p95Ms: 500,
      maxErrorRate: 0.01,
      maxCpuPercent: 80,
      maxRssMb: 512,
      minKneeThroughput: 1000,
    });
    const checks = checkSla(s, 2);
    expect(checks.map((c) => c.check)).toEqual(['maxRssMb', 'minKneeThroughput']);
    expect(checks[1]).toMatchObject({ status: 'fail', measured: 800, severity: 'HIGH' });
  });

  it('checks a spike during the burst and fails one that never recovers', () => {
    const ok = checkSla(withKind('k', spike(1), { p95Ms: 30, maxRecoverySeconds: 5 }), 2);
    expect(ok.find((c) => c.check === 'p95Ms')).toMatchObject({
      measured: 40,
      status: 'fail',
      basis: 'during the burst',
    });
    expect(ok.find((c) => c.check === 'maxRecoverySeconds')?.status).toBe('pass');
    const never = checkSla(withKind('k', spike(null), { maxRecoverySeconds: 5 }), 2);
    expect(never[0]).toMatchObject({ status: 'fail', measured: 2 });
    expect(never[0]?.basis).toMatch(/not back under 7.5 ms p95 within the run/);
  });

  it('fails the scaled bulk SLA and a bulk action that did not succeed', () => {
    const slow = checkSla(withKind('v', volume(8, 12_000), { maxBulkMs: 50_000 }, 3), 2);
    expect(slow.find((c) => c.check === 'maxBulkMs')?.status).toBe('pass');
    const failed = checkSla(withKind('v', volume(8, 10, 500), { maxBulkMs: 50_000 }, 3), 2);
    expect(failed.find((c) => c.check === 'maxBulkMs')).toMatchObject({
      status: 'fail',
      severity: 'HIGH',
    });
  });

  it('leaves kind checks unmeasured on a scenario without that kind result', () => {
    const plain = scenario({ name: 'x', p95: [1, 2, 3], sla: { maxLeakMbPerMin: 1 } });
    expect(checkSla(plain, 2)[0]?.status).toBe('not-measured');
  });
});

describe('single-figure comparisons with the baseline', () => {
  it('calls a knee 40 % lower a regression, labelled as a single measurement', () => {
    const [c] = compareKind(withKind('s', stress(1000)), withKind('s', stress(600)), 0.1);
    expect(c).toMatchObject({
      metric: 'kneeThroughput',
      outcome: 'regression',
      severity: 'HIGH',
      minEffect: 0.25,
      method: 'single measurement, no significance test',
    });
    expect(c?.change).toBeCloseTo(-0.4, 10);
    const [same] = compareKind(withKind('s', stress(1000)), withKind('s', stress(850)), 0.1);
    expect(same?.outcome).toBe('unchanged');
    const [none] = compareKind(withKind('s', stress(1000)), withKind('s', stress(null)), 0.1);
    expect(none).toMatchObject({ outcome: 'regression', current: 0, severity: 'CRITICAL' });
  });

  it('ignores recovery changes within the 2 s floor and flags one that never recovers', () => {
    expect(compareKind(withKind('k', spike(0)), withKind('k', spike(1)), 0.1)[0]?.outcome).toBe(
      'unchanged',
    );
    const [never] = compareKind(withKind('k', spike(0)), withKind('k', spike(null)), 0.1);
    expect(never).toMatchObject({ current: 2, outcome: 'unchanged' });
    const [slow] = compareKind(withKind('k', spike(1)), withKind('k', spike(4)), 0.1);
    expect(slow?.outcome).toBe('regression');
  });

  it('compares seeding and bulk durations of like-sized volumes', () => {
    const out = compareKind(withKind('v', volume(8, 100)), withKind('v', volume(12, 60)), 0.1);
    expect(out.map((c) => [c.metric, c.outcome])).toEqual([
      ['seedSeconds', 'regression'],
      ['bulkMs', 'unchanged'],
    ]);
  });

  it('feeds the verdict: a finding, the regression count, a failing check, a report section', () => {
    const baseline = buildRun([]);
    baseline.scenarios.push(withKind('s', stress(1000)));
    const current = buildRun([]);
    current.scenarios.push(withKind('s', stress(500)));
    const verdict = judge(baseline, current, DEFAULT_JUDGE_OPTIONS);
    expect(verdict.failsCheck).toBe(true);
    expect(verdict.counts.regressions).toBe(1);
    expect(verdict.scenarios[0]?.status).toBe('regression');
    // The scenario row shows the knee step's figures.
    expect(verdict.scenarios[0]?.current?.throughput).toBe(500 * 0.75);
    expect(verdict.findings[0]).toMatchObject({ kind: 'regression', metric: 'kneeThroughput' });
    expect(verdict.findings[0]?.message).toMatch(/single measurement, no significance test/);
    const md = renderMarkdown(verdict, current, baseline);
    expect(md).toMatch(/##### s \(stress\)/);
    expect(md).toMatch(/\| knee throughput \| 1,000 req\/s \| 500 req\/s \| -50.0 % \|/);
    expect(md).not.toMatch(/No trials recorded/);
  });

  it('survives the result schema round trip', () => {
    const run = buildRun([]);
    run.scenarios.push(
      withKind('s', stress(1000)),
      withKind('k', spike(null)),
      withKind('v', volume(8, 100), {}, 2),
    );
    expect(
      parseRunResult(JSON.stringify(run), 'x').scenarios.map((s) => s.kindResult?.kind),
    ).toEqual(['stress', 'spike', 'volume']);
    const broken = JSON.parse(JSON.stringify(run)) as {
      scenarios: { kindResult: { knee: unknown } }[];
    };
    (broken.scenarios[0] as { kindResult: { knee: unknown } }).kindResult.knee = 'high';
    expect(() => parseRunResult(broken, 'x.json')).toThrow(/scenarios\[0\]\.kindResult\.knee/);
  });
});
