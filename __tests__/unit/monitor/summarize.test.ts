import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/monitor/summarize.js';

describe('summarize', () => {
  it('gives zeros for no samples', () => {
    expect(summarize([])).toEqual({
      samples: 0,
      cpuPercentPeak: 0,
      cpuPercentMean: 0,
      rssBytesPeak: 0,
      rssBytesMean: 0,
    });
  });

  it('computes peaks and means', () => {
    const summary = summarize([
      { t: 0, cpuPercent: 10, rssBytes: 100, pgConnections: 3, redisUsedBytes: 1000 },
      { t: 1, cpuPercent: 90, rssBytes: 300, pgConnections: 8 },
      { t: 2, cpuPercent: 50, rssBytes: 200, redisUsedBytes: 5000 },
    ]);
    expect(summary).toEqual({
      samples: 3,
      cpuPercentPeak: 90,
      cpuPercentMean: 50,
      rssBytesPeak: 300,
      rssBytesMean: 200,
      pgConnectionsPeak: 8,
      redisUsedBytesPeak: 5000,
    });
  });

  it('leaves the Postgres and Redis peaks out when no sample has them', () => {
    const summary = summarize([{ t: 0, cpuPercent: 1, rssBytes: 1 }]);
    expect('pgConnectionsPeak' in summary).toBe(false);
    expect('redisUsedBytesPeak' in summary).toBe(false);
  });

  it('keeps a peak of 0 connections', () => {
    expect(
      summarize([{ t: 0, cpuPercent: 0, rssBytes: 0, pgConnections: 0 }]).pgConnectionsPeak,
    ).toBe(0);
  });

  it('works on windows put end to end', () => {
    const a = [
      { t: 0, cpuPercent: 20, rssBytes: 10 },
      { t: 1, cpuPercent: 40, rssBytes: 10 },
    ];
    const b = [{ t: 0, cpuPercent: 60, rssBytes: 30 }];
    expect(summarize([...a, ...b])).toMatchObject({
      samples: 3,
      cpuPercentMean: 40,
      cpuPercentPeak: 60,
      rssBytesPeak: 30,
    });
  });
});
