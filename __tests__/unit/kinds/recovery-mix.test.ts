import { describe, expect, it } from 'vitest';
import {
  isInvalidRequest,
  statusClass,
  withInvalidShare,
} from '../../../src/kinds/recovery-mix.js';

describe('recovery mix', () => {
  const requests = [
    { name: 'create', expect: 201, weight: 1 },
    { name: 'get', expect: 200, weight: 3 },
    { name: 'invalid', expect: 422, weight: 1 },
  ];

  it('treats a request expecting a 4xx as invalid', () => {
    expect(requests.map(isInvalidRequest)).toEqual([false, false, true]);
  });

  it('rescales the weights to the invalid share, keeping proportions within each group', () => {
    const mixed = withInvalidShare(requests, 0.2);
    const weights = mixed.map((r) => r.weight);
    expect(weights[0]).toBeCloseTo(0.2, 12);
    expect(weights[1]).toBeCloseTo(0.6, 12);
    expect(weights[2]).toBeCloseTo(0.2, 12);
    expect(withInvalidShare(requests, undefined)).toEqual(requests);
    expect(withInvalidShare(requests, 0).map((r) => r.name)).toEqual(['create', 'get']);
    expect(withInvalidShare(requests.slice(0, 2), 0.5)).toEqual(requests.slice(0, 2));
  });

  it('classes statuses', () => {
    expect([200, 204, 301, 404, 422, 500, 503, 0].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
      'other',
    ]);
  });
});
