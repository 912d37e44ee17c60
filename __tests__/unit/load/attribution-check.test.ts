import { describe, expect, it } from 'vitest';
import {
  AttributionCheck,
  attributionCheckEnabled,
  requestIdOf,
} from '../../../src/load/attribution-check.js';

const sent = (id: string | undefined) =>
  Buffer.from(
    `GET /items HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n` +
      (id === undefined ? '' : `x-loadgate-request-id: ${id}\r\n`) +
      `accept: */*\r\n\r\n`,
  );

describe('requestIdOf', () => {
  it('reads the id header from the bytes written for a request', () => {
    expect(requestIdOf(sent('42'))).toBe('42');
    expect(requestIdOf(sent(undefined))).toBeUndefined();
    expect(requestIdOf(undefined)).toBeUndefined();
  });
});

describe('AttributionCheck', () => {
  it('passes answers credited to the request they answer, and failures resolving their own id', () => {
    const check = new AttributionCheck();
    const a = check.issue('list');
    const b = check.issue('create');
    const c = check.issue('list');
    check.answered('list', a, a);
    check.settled('create', b);
    check.settled('list', c);
    expect(check.summary()).toEqual({ checked: 3, mismatched: 0, unresolved: 0 });
  });

  it('catches an answer credited to an older request, even of the same endpoint', () => {
    const check = new AttributionCheck();
    const lost = check.issue('list');
    const next = check.issue('list');
    // The lost request's entry stayed queued: the answer to `next` is credited to it.
    check.answered('list', lost, next);
    expect(check.summary()).toEqual({ checked: 1, mismatched: 1, unresolved: 1 });
  });

  it('catches an answer credited to the wrong endpoint, or without an echoed id', () => {
    const check = new AttributionCheck();
    const create = check.issue('create');
    check.answered('list', create, create);
    const list = check.issue('list');
    check.answered('list', list, undefined);
    expect(check.summary().mismatched).toBe(2);
  });

  it('counts what was sent and never resolved, and what resolved twice', () => {
    const check = new AttributionCheck();
    const a = check.issue('x');
    check.issue('x');
    check.settled('x', a);
    check.settled('x', a);
    expect(check.summary()).toEqual({ checked: 2, mismatched: 1, unresolved: 1 });
  });

  it('is on only with LOADGATE_CHECK_ATTRIBUTION=1', () => {
    expect(attributionCheckEnabled({ LOADGATE_CHECK_ATTRIBUTION: '1' })).toBe(true);
    expect(attributionCheckEnabled({ LOADGATE_CHECK_ATTRIBUTION: '0' })).toBe(false);
    expect(attributionCheckEnabled({})).toBe(false);
  });
});
