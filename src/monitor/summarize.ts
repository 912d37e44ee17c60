import type { ResourceSample, ResourceSummary } from '../result/types.js';

/**
 * Peaks and means of resource samples. Pure; works on the samples of one window or of several
 * windows put end to end (means are over samples, which are about evenly spaced).
 * Postgres and Redis peaks are absent when no sample has them.
 */
export function summarize(samples: readonly ResourceSample[]): ResourceSummary {
  let cpuPeak = 0;
  let cpuSum = 0;
  let rssPeak = 0;
  let rssSum = 0;
  let pgPeak: number | undefined;
  let redisPeak: number | undefined;
  for (const s of samples) {
    cpuPeak = Math.max(cpuPeak, s.cpuPercent);
    cpuSum += s.cpuPercent;
    rssPeak = Math.max(rssPeak, s.rssBytes);
    rssSum += s.rssBytes;
    if (s.pgConnections !== undefined) pgPeak = Math.max(pgPeak ?? 0, s.pgConnections);
    if (s.redisUsedBytes !== undefined) redisPeak = Math.max(redisPeak ?? 0, s.redisUsedBytes);
  }
  const n = samples.length;
  return {
    samples: n,
    cpuPercentPeak: cpuPeak,
    cpuPercentMean: n === 0 ? 0 : cpuSum / n,
    rssBytesPeak: rssPeak,
    rssBytesMean: n === 0 ? 0 : rssSum / n,
    ...(pgPeak === undefined ? {} : { pgConnectionsPeak: pgPeak }),
    ...(redisPeak === undefined ? {} : { redisUsedBytesPeak: redisPeak }),
  };
}
