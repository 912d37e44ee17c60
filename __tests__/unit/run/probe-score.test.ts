/**
 * The machine probe's score (run/probe.ts): the faster of a run's readings, so one slow reading
 * on an otherwise quiet machine does not read as a slower machine, while work beside the whole
 * run (both readings slow) still does.
 */
import { describe, expect, it } from 'vitest';
import { machineProbe, PROBE_VERSION, probeScore } from '../../../src/run/probe.js';

describe('probeScore', () => {
  it('takes the faster reading of each workload', () => {
    expect(
      probeScore([
        { cpuMs: 43.3, memoryMs: 19.9 },
        { cpuMs: 35.3, memoryMs: 31.9 },
      ]),
    ).toEqual({ cpuMs: 35.3, memoryMs: 19.9 });
  });

  it('both readings slow (work beside the whole run): the score is slow', () => {
    expect(
      probeScore([
        { cpuMs: 66.1, memoryMs: 20 },
        { cpuMs: 52.7, memoryMs: 21 },
      ]).cpuMs,
    ).toBe(52.7);
  });

  it('one reading (the run ended early) is its own score', () => {
    expect(probeScore([{ cpuMs: 36.12345, memoryMs: 20 }])).toEqual({
      cpuMs: 36.123,
      memoryMs: 20,
    });
  });

  it('a probe records its version and both readings beside the score', () => {
    const before = { cpuMs: 40, memoryMs: 20 };
    const after = { cpuMs: 36, memoryMs: 25 };
    expect(machineProbe(before, after)).toEqual({
      version: PROBE_VERSION,
      before,
      after,
      score: { cpuMs: 36, memoryMs: 20 },
    });
    expect(PROBE_VERSION).toBe(3);
    expect(machineProbe(undefined, after)).toBeUndefined();
  });
});
