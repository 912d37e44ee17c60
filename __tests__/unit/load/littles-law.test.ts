import { describe, expect, it } from 'vitest';
import {
  littlesLawCheck,
  littlesLawRatio,
  LITTLES_LAW_MAX_RATIO,
  LITTLES_LAW_MIN_RATIO,
} from '../../../src/load/littles-law.js';

/** A closed loop of `connections` for `seconds`, each request `latencyMs` in flight, no gaps. */
function steady(connections: number, seconds: number, latencyMs: number) {
  const completed = Math.floor((connections * seconds * 1000) / latencyMs);
  return { connections, durationSeconds: seconds, completed, busyMs: completed * latencyMs };
}

describe('littlesLawCheck', () => {
  it('is quiet for a consistent closed loop, fast or slow', () => {
    expect(littlesLawCheck({ ...steady(10, 5, 0.4), cutOff: 0, cutOffMs: 0 })).toBeUndefined();
    expect(littlesLawCheck({ ...steady(10, 5, 250), cutOff: 0, cutOffMs: 0 })).toBeUndefined();
  });

  it('flags the figures of the issue: 10 connections, ~960 req/s, mean ~400 ms', () => {
    const completed = 960 * 60;
    const suspect = littlesLawCheck({
      connections: 10,
      durationSeconds: 60,
      completed,
      busyMs: completed * 400,
      cutOff: 10,
      cutOffMs: 10 * 5,
    });
    expect(suspect?.cause).toBe('latency-exceeds-littles-law');
    expect(suspect?.expectedMeanMs).toBeCloseTo(10 / 0.96, 1);
    expect(suspect?.ratio).toBeGreaterThan(30);
    expect(suspect?.message).toMatch(/credited to earlier requests/);
  });

  it('flags a trial whose connections were mostly idle or whose requests went uncounted', () => {
    const loop = steady(10, 5, 2);
    const suspect = littlesLawCheck({ ...loop, busyMs: loop.busyMs * 0.3, cutOff: 0, cutOffMs: 0 });
    expect(suspect?.cause).toBe('latency-below-littles-law');
    expect(suspect?.ratio).toBeCloseTo(0.3, 2);
  });

  it('puts the bounds just outside what a sound measurement shows', () => {
    const loop = steady(4, 2, 5);
    const at = (ratio: number) =>
      littlesLawCheck({ ...loop, busyMs: loop.busyMs * ratio, cutOff: 0, cutOffMs: 0 });
    expect(at(LITTLES_LAW_MAX_RATIO * 0.99)).toBeUndefined();
    expect(at(LITTLES_LAW_MAX_RATIO * 1.01)?.cause).toBe('latency-exceeds-littles-law');
    // A generator that spends 10 % of each cycle between answer and next send is still sound.
    expect(at(0.9)).toBeUndefined();
    expect(at(LITTLES_LAW_MIN_RATIO * 1.01)).toBeUndefined();
    expect(at(LITTLES_LAW_MIN_RATIO * 0.99)?.cause).toBe('latency-below-littles-law');
  });

  it('counts the time of requests cut off at the end, whatever the request count', () => {
    // One connection: 10 requests of 10 ms, then one that hangs until the trial stops at 5 s.
    const input = { connections: 1, durationSeconds: 5, completed: 10, busyMs: 10 * 10 };
    expect(littlesLawCheck({ ...input, cutOff: 1, cutOffMs: 4900 })).toBeUndefined();
    expect(littlesLawCheck({ ...input, cutOff: 0, cutOffMs: 0 })?.cause).toBe(
      'latency-below-littles-law',
    );
    // 2 connections, 1.2 s per request over 3 s: 4 completed and 2 cut off 0.6 s in.
    const slow = { connections: 2, durationSeconds: 3, completed: 4, busyMs: 4 * 1200 };
    expect(littlesLawCheck({ ...slow, cutOff: 2, cutOffMs: 1200 })).toBeUndefined();
  });

  it('takes known think time off what Little allows', () => {
    // 10 connections, each request 20 ms in flight then 80 ms of think time: 100 req/s.
    const input = { connections: 10, durationSeconds: 10, completed: 1000, busyMs: 1000 * 20 };
    expect(littlesLawCheck({ ...input, cutOff: 0, cutOffMs: 0 })?.cause).toBe(
      'latency-below-littles-law',
    );
    expect(littlesLawCheck({ ...input, cutOff: 0, cutOffMs: 0, thinkTimeMs: 80 })).toBeUndefined();
  });

  it('takes the measured opening of new connections off what Little allows', () => {
    // 10 connections for 2 s, a new connection per request: 5 ms in flight after 1.5 ms opening.
    const completed = Math.round(20_000 / 6.5);
    const input = { connections: 10, durationSeconds: 2, completed, busyMs: completed * 5 };
    const without = littlesLawRatio({ ...input, cutOff: 0, cutOffMs: 0 }) ?? 0;
    const withOpening =
      littlesLawRatio({ ...input, cutOff: 0, cutOffMs: 0, openingMs: completed * 1.5 }) ?? 0;
    expect(without).toBeCloseTo(5 / 6.5, 2);
    expect(withOpening).toBeCloseTo(1, 2);
  });

  it('says so when requests were in flight but none completed (a hang shorter than the timeout)', () => {
    const suspect = littlesLawCheck({
      connections: 10,
      durationSeconds: 5,
      completed: 0,
      busyMs: 0,
      cutOff: 10,
      cutOffMs: 10 * 5000,
    });
    expect(suspect?.cause).toBe('no-completed-requests');
    expect(suspect?.measuredMeanMs).toBe(5000);
    expect(suspect?.message).toMatch(/none completed/);
  });

  it('has nothing to check without connections, time or requests', () => {
    const none = { completed: 0, busyMs: 0, cutOff: 0, cutOffMs: 0 };
    expect(littlesLawCheck({ connections: 10, durationSeconds: 0, ...none })).toBeUndefined();
    expect(littlesLawCheck({ connections: 0, durationSeconds: 5, ...none })).toBeUndefined();
    expect(littlesLawCheck({ connections: 10, durationSeconds: 5, ...none })).toBeUndefined();
  });
});
