import { describe, expect, it } from 'vitest';
import { parseThirdPartyFaults } from '../../../bench/third-party/faults.js';

describe("the third-party app's fault knobs", () => {
  it('reads each shape per operation, fractions included', () => {
    expect(parseThirdPartyFaults(' busy-search:0.25ms, slow-get:0.1ms,alloc-create:64kb ')).toEqual(
      {
        busyMs: { search: 0.25 },
        slowMs: { get: 0.1 },
        allocKb: { create: 64 },
      },
    );
  });

  it('is empty without a variable or with an empty one', () => {
    const none = { busyMs: {}, slowMs: {}, allocKb: {} };
    expect(parseThirdPartyFaults(undefined)).toEqual(none);
    expect(parseThirdPartyFaults('')).toEqual(none);
  });

  it.each([
    ['busy-search:2kb', 'busy-search:2kb'],
    ['alloc-list:5ms', 'alloc-list:5ms'],
    ['slow-health:1ms', 'slow-health:1ms'],
    ['spin-get:1ms', 'spin-get:1ms'],
    ['busy-get', 'busy-get'],
  ])('a bad knob (%s) is an error naming it and what was expected', (spec, knob) => {
    expect(() => parseThirdPartyFaults(spec)).toThrow(
      new RegExp(
        `THIRD_PARTY_FAULTS: bad knob "${knob}": expected busy-<op>:<n>ms.*list, search, get, filter, create`,
      ),
    );
  });
});
