import { describe, expect, it } from 'vitest';
import { TrialRecorder } from '../../../src/load/recorder.js';

describe('TrialRecorder: requests without a response', () => {
  it('counts a timed-out request at its wait in the latency figures, and keeps the answers apart', () => {
    const recorder = new TrialRecorder(['list', 'create'], 0);
    for (let i = 0; i < 98; i++) recorder.response('list', 200, 200, 10, undefined, 100 + i);
    recorder.requestFailed('create', 'timeout', 10_000, 400);
    recorder.requestFailed('create', 'timeout', 10_050, 500);
    const r = recorder.finish(1);
    // 2 of 100 latencies are 10 s: p99 shows the hang; the answers alone are 10 ms.
    expect(r.metrics.p50).toBeCloseTo(10, 1);
    expect(r.metrics.p99).toBeGreaterThanOrEqual(10_000);
    expect(r.metrics.max).toBe(10_050);
    expect(r.metrics.mean).toBeCloseTo((98 * 10 + 20_050) / 100, 0);
    expect(r.metrics.answered).toMatchObject({ requests: 98, max: 10 });
    expect(r.metrics.answered?.p99).toBeCloseTo(10, 1);
    expect(r.metrics.timeouts).toBe(2);
    expect(r.metrics.errors).toBe(2);
    expect(r.metrics.requests).toBe(98);
    expect(r.metrics.errorRate).toBeCloseTo(2 / 100, 10);
    expect(r.histogram.totalCount).toBe(100);
    expect(r.endpoints.create).toMatchObject({ requests: 0, errors: 2, timeouts: 2 });
    expect(r.endpoints.create?.p50).toBeGreaterThanOrEqual(10_000);
    expect(r.endpoints.list?.timeouts).toBeUndefined();
    expect(r.series[0]?.p95).toBeCloseTo(10, 1);
    expect(r.series[0]?.errors).toBe(2);
  });

  it('shows a service that only hangs as slow, never as 0 ms', () => {
    const recorder = new TrialRecorder(['get'], 0);
    for (let i = 0; i < 5; i++) recorder.requestFailed('get', 'timeout', 2000 + i, 2000 + i);
    const r = recorder.finish(3);
    expect(r.metrics.requests).toBe(0);
    expect(r.metrics.p95).toBeGreaterThanOrEqual(2000);
    expect(r.metrics.errorRate).toBe(1);
    expect(r.metrics.answered).toMatchObject({ requests: 0, p95: 0 });
  });

  it('counts closed and reset connections against their own endpoint, not as latencies', () => {
    const recorder = new TrialRecorder(['list', 'create'], 0);
    for (let i = 0; i < 10; i++) recorder.response('list', 200, 200, 5, undefined, 10);
    recorder.response('create', 201, 201, 7, undefined, 10);
    recorder.requestFailed('create', 'closed', 3, 20);
    recorder.requestFailed('create', 'reset', 4, 30);
    recorder.requestFailed('list', 'error', 1, 40);
    const r = recorder.finish(1);
    expect(r.metrics.closedBeforeResponse).toBe(2);
    expect(r.metrics.errors).toBe(3);
    expect(r.metrics.timeouts).toBe(0);
    expect(r.metrics.errorRate).toBeCloseTo(3 / 14, 10);
    expect(r.metrics.answered).toBeUndefined();
    expect(r.histogram.totalCount).toBe(11);
    expect(r.endpoints.create).toMatchObject({ requests: 1, errors: 2, closedBeforeResponse: 2 });
    expect(r.endpoints.list).toMatchObject({ requests: 10, errors: 1 });
    expect(r.endpoints.list?.closedBeforeResponse).toBeUndefined();
  });

  it('gives a single endpoint the same figures as the trial', () => {
    const recorder = new TrialRecorder(['only'], 0);
    for (let i = 1; i <= 200; i++) recorder.response('only', 200, 200, i / 4, i / 10, i);
    recorder.requestFailed('only', 'timeout', 1000, 300);
    const r = recorder.finish(1);
    const e = r.endpoints.only;
    expect(e?.requests).toBe(200);
    expect([e?.p50, e?.p95, e?.p99]).toEqual([r.metrics.p50, r.metrics.p95, r.metrics.p99]);
    expect(e?.dbP95).toBe(r.metrics.dbP95);
    expect(e?.timeouts).toBe(1);
    expect(r.endpointHistograms.only?.totalCount).toBe(201);
  });
});

describe("TrialRecorder: Little's-law check", () => {
  function closedLoop(latencyMs: number, busyScale: number) {
    // 2 connections for 1 s, back to back: 2000 / latency requests.
    const recorder = new TrialRecorder(['a'], 0);
    const n = Math.round(2000 / latencyMs);
    for (let i = 0; i < n; i++)
      recorder.response('a', 200, 200, latencyMs * busyScale, undefined, (i * latencyMs) / 2);
    recorder.phaseEnded({ connections: 2, durationMs: 1000, openLoop: false });
    return recorder;
  }

  it('passes a consistent closed-loop trial and flags one whose answers were shifted', () => {
    expect(closedLoop(4, 1).finish(1).suspect).toBeUndefined();
    const shifted = closedLoop(4, 3).finish(1).suspect;
    expect(shifted?.cause).toBe('latency-exceeds-littles-law');
    expect(shifted?.connections).toBe(2);
    expect(shifted?.ratio).toBeCloseTo(3, 1);
  });

  it('counts failures and requests cut off at the end as time in flight', () => {
    const recorder = new TrialRecorder(['a'], 0);
    for (let i = 0; i < 50; i++) recorder.response('a', 200, 200, 10, undefined, i * 10);
    recorder.requestFailed('a', 'timeout', 1000, 1500);
    recorder.requestCutOff(1000);
    recorder.phaseEnded({ connections: 1, durationMs: 2500, openLoop: false });
    expect(recorder.finish(2.5).suspect).toBeUndefined();
  });

  it('weights phases that overlap by their own connections and time (a spike)', () => {
    const recorder = new TrialRecorder(['a'], 0);
    // Base: 2 connections for 3 s; burst: 8 more for 1 s; all back to back at 10 ms.
    for (let i = 0; i < (2 * 3000 + 8 * 1000) / 10; i++)
      recorder.response('a', 200, 200, 10, undefined, 0);
    recorder.phaseEnded({ connections: 8, durationMs: 1000, openLoop: false });
    recorder.phaseEnded({ connections: 2, durationMs: 3000, openLoop: false });
    expect(recorder.finish(3).suspect).toBeUndefined();
    const r = new TrialRecorder(['a'], 0);
    for (let i = 0; i < (2 * 3000 + 8 * 1000) / 10; i++)
      r.response('a', 200, 200, 10, undefined, 0);
    // Reported as if the burst had not happened: far more time in flight than 2 connections had.
    r.phaseEnded({ connections: 2, durationMs: 3000, openLoop: false });
    expect(r.finish(3).suspect?.cause).toBe('latency-exceeds-littles-law');
  });

  it('says nothing of a rate-driven (open-loop) trial or without a reported phase', () => {
    const open = closedLoop(4, 3);
    open.phaseEnded({ connections: 2, durationMs: 1000, openLoop: true });
    expect(open.finish(1).suspect).toBeUndefined();
    expect(closedLoop(4, 3).finish(1, 500).suspect).toBeUndefined();
    const unreported = new TrialRecorder(['a'], 0);
    unreported.response('a', 200, 200, 1000, undefined, 0);
    expect(unreported.finish(1).suspect).toBeUndefined();
    // finish() may name the connections itself.
    expect(unreported.finish(1, undefined, { connections: 0.1 }).suspect?.cause).toBe(
      'latency-exceeds-littles-law',
    );
  });

  it('adds up the attribution checks of its phases', () => {
    const recorder = new TrialRecorder(['a'], 0);
    expect(recorder.finish(1).metrics.attribution).toBeUndefined();
    recorder.noteAttribution({ checked: 10, mismatched: 0, unresolved: 1 });
    recorder.noteAttribution({ checked: 5, mismatched: 2, unresolved: 0 });
    expect(recorder.finish(1).metrics.attribution).toEqual({
      checked: 15,
      mismatched: 2,
      unresolved: 1,
    });
  });
});
