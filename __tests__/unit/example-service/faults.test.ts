import { describe, expect, it } from 'vitest';
import {
  ErrorGate,
  FaultSpecError,
  hasFaults,
  parseFaults,
} from '../../../examples/admin-service/src/faults.js';

describe('parseFaults', () => {
  it('treats an empty or missing spec as no faults', () => {
    expect(hasFaults(parseFaults(undefined))).toBe(false);
    expect(hasFaults(parseFaults('  '))).toBe(false);
  });

  it('parses every knob kind', () => {
    const plan = parseFaults(
      'slow-search:5ms, slow-create:2ms,slow-bulk:50ms,busy-get:1.5ms,leak:64kb,leak-create:8kb,error-rate:0.02',
    );
    expect(plan.slowMs).toEqual({ search: 5, create: 2, bulk: 50 });
    expect(plan.busyMs).toEqual({ get: 1.5 });
    expect(plan.leakKb).toBe(64);
    expect(plan.leakKbByOp).toEqual({ create: 8 });
    expect(plan.errorRate).toBe(0.02);
    expect(hasFaults(plan)).toBe(true);
  });

  it('parses the allocation and round-trip knobs', () => {
    const plan = parseFaults(
      'alloc-list:256kb, alloc-get:0.5kb,roundtrip-search:3,roundtrip-health:1',
    );
    expect(plan.allocKb).toEqual({ list: 256, get: 0.5 });
    expect(plan.roundtrips).toEqual({ search: 3, health: 1 });
    expect(hasFaults(plan)).toBe(true);
    expect(hasFaults(parseFaults('alloc-create:1kb'))).toBe(true);
    expect(hasFaults(parseFaults('roundtrip-create:1'))).toBe(true);
    const none = parseFaults('slow-get:1ms');
    expect(none.allocKb).toEqual({});
    expect(none.roundtrips).toEqual({});
  });

  it('parses the noise knob: a random spin of up to n ms', () => {
    const plan = parseFaults('jitter-list:5ms');
    expect(plan.jitterMs).toEqual({ list: 5 });
    expect(hasFaults(plan)).toBe(true);
    expect(() => parseFaults('jitter-list:5')).toThrow(/followed by "ms"/);
  });

  it('accepts error-rate 0, 1 and .5', () => {
    expect(parseFaults('error-rate:0').errorRate).toBe(0);
    expect(parseFaults('error-rate:1').errorRate).toBe(1);
    expect(parseFaults('error-rate:.5').errorRate).toBe(0.5);
  });

  it.each([
    ['slow-serch:5ms', 'slow-serch:5ms', /unknown operation "serch"/],
    ['slow-search:5', 'slow-search:5', /followed by "ms"/],
    ['slow-search:0ms', 'slow-search:0ms', /> 0/],
    ['slow-search:-1ms', 'slow-search:-1ms', /followed by "ms"/],
    ['leak:64mb', 'leak:64mb', /followed by "kb"/],
    ['error-rate:1.5', 'error-rate:1.5', /between 0 and 1/],
    ['error-rate:abc', 'error-rate:abc', /between 0 and 1/],
    ['explode:1', 'explode:1', /unknown knob "explode"/],
    ['slow-get', 'slow-get', /<name>:<value>/],
    ['slow-get:1ms,,leak:1kb', '', /empty knob/],
    ['slow-get:1ms,slow-get:2ms', 'slow-get:2ms', /given twice/],
    ['slow-get:999999ms', 'slow-get:999999ms', /at most/],
    ['alloc-list:64', 'alloc-list:64', /followed by "kb"/],
    ['alloc-lst:64kb', 'alloc-lst:64kb', /unknown operation "lst"/],
    ['alloc-list:0kb', 'alloc-list:0kb', /> 0/],
    ['alloc-list:999999kb', 'alloc-list:999999kb', /at most 65536kb/],
    [
      'alloc:64kb',
      'alloc:64kb',
      /unknown knob "alloc" \(.*jitter-<op>, alloc-<op>, roundtrip-<op>/,
    ],
    ['roundtrip-get:1.5', 'roundtrip-get:1.5', /whole number/],
    ['roundtrip-get:3ms', 'roundtrip-get:3ms', /whole number/],
    ['roundtrip-get:0', 'roundtrip-get:0', /> 0/],
    ['roundtrip-get:1001', 'roundtrip-get:1001', /at most 1000/],
    ['roundtrip-gett:1', 'roundtrip-gett:1', /unknown operation "gett"/],
    ['roundtrip-get:1,roundtrip-get:2', 'roundtrip-get:2', /given twice/],
  ])('rejects %s, naming the knob', (spec, knob, reason) => {
    let caught: unknown;
    try {
      parseFaults(spec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FaultSpecError);
    const e = caught as FaultSpecError;
    expect(e.knob.trim()).toBe(knob);
    expect(e.message).toMatch(reason);
    if (knob !== '') expect(e.message).toContain(`"${knob}"`);
  });
});

describe('ErrorGate', () => {
  const run = (rate: number, n: number) => {
    const gate = new ErrorGate(rate);
    return Array.from({ length: n }, () => gate.next());
  };

  it('never fails at rate 0 and always at rate 1', () => {
    expect(run(0, 100).some(Boolean)).toBe(false);
    expect(run(1, 100).every(Boolean)).toBe(true);
  });

  it('fails exactly every k-th call for rate 1/k', () => {
    const r = run(0.25, 12);
    expect(r.map((x, i) => (x ? i : -1)).filter((i) => i >= 0)).toEqual([3, 7, 11]);
  });

  it('is deterministic and hits the share for fractional rates', () => {
    const a = run(0.02, 1000);
    expect(a).toEqual(run(0.02, 1000));
    expect(a.filter(Boolean).length).toBe(20);
    expect(run(0.3, 1000).filter(Boolean).length).toBe(300);
  });
});
