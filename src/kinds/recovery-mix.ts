import type { ResolvedRequest } from '../config/plan.js';

/**
 * Pure logic of the recovery kind: which requests are the invalid ones and how the mix is
 * weighted. An invalid request is one whose expected status is a 4xx (the service must refuse
 * it cleanly); every other request is a valid one that must still succeed.
 */

export function isInvalidRequest(request: Pick<ResolvedRequest, 'expect'>): boolean {
  return request.expect >= 400 && request.expect < 500;
}

/**
 * Rescale weights so the invalid requests make up `share` of the mix, keeping the proportions
 * within each group. Unchanged when `share` is undefined or a group is empty.
 */
export function withInvalidShare<T extends Pick<ResolvedRequest, 'expect' | 'weight'>>(
  requests: readonly T[],
  share: number | undefined,
): T[] {
  const invalid = requests.filter(isInvalidRequest);
  const valid = requests.filter((r) => !isInvalidRequest(r));
  if (share === undefined || invalid.length === 0 || valid.length === 0) return [...requests];
  const sum = (list: readonly T[]) => list.reduce((a, r) => a + r.weight, 0);
  const invalidTotal = sum(invalid);
  const validTotal = sum(valid);
  return requests
    .map((r) => ({
      ...r,
      weight: isInvalidRequest(r)
        ? (share * r.weight) / invalidTotal
        : ((1 - share) * r.weight) / validTotal,
    }))
    .filter((r) => r.weight > 0);
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'other';

export function statusClass(status: number): StatusClass {
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'other';
}
