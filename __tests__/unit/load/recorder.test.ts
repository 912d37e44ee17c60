import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram } from '../../../src/load/histogram.js';
import { parseServerTimingDb, TrialRecorder } from '../../../src/load/recorder.js';

describe('parseServerTimingDb', () => {
  it('reads db durations, summing repeated entries and ignoring others', () => {
    expect(parseServerTimingDb('db;dur=12.5')).toBe(12.5);
    expect(parseServerTimingDb('app;dur=3, db;desc="sql";dur=2, db;dur=1')).toBe(3);
    expect(parseServerTimingDb(['cache;dur=1', 'DB;dur="4"'])).toBe(4);
    expect(parseServerTimingDb('app;dur=3')).toBeUndefined();
    expect(parseServerTimingDb('db;dur=abc')).toBeUndefined();
    expect(parseServerTimingDb(undefined)).toBeUndefined();
  });
});

describe('TrialRecorder', () => {
  it('computes percentiles, throughput, error rate, endpoints and per-second series', () => {
    const recorder = new TrialRecorder(['list', 'create'], 0);
    // 100 list responses of 1..100 ms in the first second, 10 creates with 2 unexpected statuses in the second.
    for (let i = 1; i <= 100; i++) recorder.response('list', 200, 200, i, 0.5, i * 5);
    for (let i = 0; i < 10; i++)
      recorder.response('create', i < 2 ? 500 : 201, 201, 50, undefined, 1000 + i * 10);
    recorder.failure(true, 1500);
    const r = recorder.finish(2);
    expect(r.metrics.requests).toBe(110);
    expect(r.metrics.throughput).toBe(55);
    expect(r.metrics.p50).toBeCloseTo(50, 0);
    expect(r.metrics.p95).toBeCloseTo(95, 0);
    expect(r.metrics.max).toBe(100);
    expect(r.metrics.unexpectedStatus).toBe(2);
    expect(r.metrics.timeouts).toBe(1);
    expect(r.metrics.errorRate).toBeCloseTo(3 / 111, 10);
    expect(r.metrics.statusCodes).toEqual({ '200': 100, '201': 8, '500': 2 });
    expect(r.metrics.dbP95).toBeCloseTo(0.5, 2);
    expect(r.endpoints.list?.requests).toBe(100);
    expect(r.endpoints.create?.errors).toBe(2);
    expect(r.endpoints.create?.p95).toBeCloseTo(50, 0);
    expect(r.endpoints.create?.dbP95).toBeUndefined();
    expect(r.series.map((s) => [s.t, s.requests, s.errors])).toEqual([
      [0, 100, 0],
      [1, 10, 3],
    ]);
    expect(r.series[0]?.p95).toBeCloseTo(95, 0);
  });

  it('keeps empty seconds in the series and reports the achieved rate', () => {
    const recorder = new TrialRecorder(['a'], 0);
    recorder.response('a', 200, 200, 1, undefined, 100);
    recorder.response('a', 200, 200, 1, undefined, 2100);
    const r = recorder.finish(3, 2);
    expect(r.series.map((s) => s.requests)).toEqual([1, 0, 1]);
    expect(r.metrics.rateAchieved).toBeCloseTo(1 / 3, 10);
  });

  it('round-trips its histogram through the compressed encoding', () => {
    const recorder = new TrialRecorder(['a'], 0);
    for (let i = 1; i <= 1000; i++) recorder.response('a', 200, 200, i / 10, undefined, 0);
    const { histogram } = recorder.finish(1);
    const decoded = decodeHistogram(encodeHistogram(histogram));
    expect(decoded.totalCount).toBe(1000);
    expect(decoded.getValueAtPercentile(99)).toBe(histogram.getValueAtPercentile(99));
  });
});
