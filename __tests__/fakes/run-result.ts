/** A small hand-made RunResult that passes parseRunResult (src/result/schema.ts). */
import type { RunResult } from '../../src/result/types.js';

export function smallRunResult(
  p95 = 12.5,
  sha = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
): RunResult {
  const resources = {
    samples: 2,
    cpuPercentPeak: 41,
    cpuPercentMean: 35.5,
    rssBytesPeak: 96_000_000,
    rssBytesMean: 90_000_000,
  };
  return {
    schemaVersion: 1,
    tool: { name: 'loadgate', version: '0.1.0' },
    startedAt: '2025-01-01T12:00:00.000Z',
    finishedAt: '2025-01-01T12:00:30.000Z',
    git: { sha, ref: 'refs/heads/main' },
    environment: {
      cpuModel: 'AMD EPYC 7763 64-Core Processor',
      cores: 4,
      memoryBytes: 16_772_579_328,
      os: 'linux 6.8.0-1017-azure',
      nodeVersion: 'v24.3.0',
      hash: 'e3b0c442',
    },
    config: { hash: '5f2a9c1d', profile: 'pr', source: 'preset:admin' },
    target: { baseUrl: 'http://127.0.0.1:8000' },
    scenarios: [
      {
        name: 'list-admins',
        kind: 'load',
        settings: { connections: 10, warmupSeconds: 2, trialSeconds: 5, trials: 1 },
        sla: { p95Ms: 500, maxErrorRate: 0.01 },
        trials: [
          {
            index: 0,
            startedAt: '2025-01-01T12:00:02.000Z',
            durationSeconds: 5,
            metrics: {
              requests: 5000,
              throughput: 1000,
              p50: p95 / 2,
              p90: p95 * 0.9,
              p95,
              p99: p95 * 1.5,
              p999: p95 * 2,
              max: p95 * 3,
              mean: p95 / 1.8,
              errorRate: 0,
              errors: 0,
              timeouts: 0,
              unexpectedStatus: 0,
              statusCodes: { '200': 5000 },
            },
            endpoints: {
              list: {
                requests: 5000,
                throughput: 1000,
                p50: p95 / 2,
                p95,
                p99: p95 * 1.5,
                max: p95 * 3,
                errors: 0,
              },
            },
            series: [{ t: 1, requests: 1000, p95, errors: 0 }],
            resources: {
              samples: [
                { t: 0, cpuPercent: 30, rssBytes: 84_000_000 },
                { t: 1, cpuPercent: 41, rssBytes: 96_000_000 },
              ],
              summary: resources,
            },
            generatorCpuPercent: 22.5,
          },
        ],
        histogram: 'HISTFAAAACR4nJNpmSzMwMDAxQABzFCaEUzOmnmlkYGBAQBSWwJ5',
        endpointHistograms: {},
        resources,
        generatorSaturated: false,
      },
    ],
  };
}
