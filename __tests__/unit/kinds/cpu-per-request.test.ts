import { describe, expect, it } from 'vitest';
import { withCpuPerRequest } from '../../../src/kinds/load.js';
import type { TrialMetrics } from '../../../src/result/types.js';

const metrics = (requests: number): TrialMetrics => ({
  requests,
  throughput: requests,
  p50: 1,
  p90: 2,
  p95: 2,
  p99: 3,
  p999: 4,
  max: 5,
  mean: 1.2,
  errorRate: 0,
  errors: 0,
  timeouts: 0,
  unexpectedStatus: 0,
  statusCodes: { '200': requests },
});

describe('the cost of a request', () => {
  it('is the CPU the service used over the requests it completed, in µs', () => {
    expect(withCpuPerRequest(metrics(2000), 0.5).cpuPerRequest).toBe(250);
  });

  it('is absent without a process to read or a request completed', () => {
    expect(withCpuPerRequest(metrics(2000), undefined).cpuPerRequest).toBeUndefined();
    expect(withCpuPerRequest(metrics(0), 0.5).cpuPerRequest).toBeUndefined();
  });
});
