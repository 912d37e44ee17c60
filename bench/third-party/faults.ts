/**
 * The third-party app's fault knobs (pure): `THIRD_PARTY_FAULTS`, comma-separated
 * `<shape>-<op>:<amount>` with the shapes of the example services' knobs:
 *   busy-<op>:<n>ms    n ms of CPU spin (blocks the event loop)
 *   slow-<op>:<n>ms    a wait of n ms that burns no CPU, fractions of a ms included
 *   alloc-<op>:<n>kb   about n KB of short-lived garbage (small objects, dropped at once)
 * for the operations the benchmark's scenarios call.
 */
export const THIRD_PARTY_OPS = ['list', 'search', 'get', 'filter', 'create'] as const;
export type ThirdPartyOp = (typeof THIRD_PARTY_OPS)[number];

export interface ThirdPartyFaults {
  busyMs: Partial<Record<ThirdPartyOp, number>>;
  slowMs: Partial<Record<ThirdPartyOp, number>>;
  allocKb: Partial<Record<ThirdPartyOp, number>>;
}

const SHAPES = {
  busy: ['busyMs', 'ms'],
  slow: ['slowMs', 'ms'],
  alloc: ['allocKb', 'kb'],
} as const;

/** Parses the knobs; throws naming the knob and what was expected. Empty: no faults. */
export function parseThirdPartyFaults(spec: string | undefined): ThirdPartyFaults {
  const faults: ThirdPartyFaults = { busyMs: {}, slowMs: {}, allocKb: {} };
  for (const knob of (spec ?? '').split(',').map((k) => k.trim())) {
    if (knob === '') continue;
    const m = /^(busy|slow|alloc)-([a-z]+):(\d+(?:\.\d+)?)(ms|kb)$/i.exec(knob);
    const shape = m && SHAPES[m[1]?.toLowerCase() as keyof typeof SHAPES];
    const op = m?.[2]?.toLowerCase() as ThirdPartyOp;
    if (!m || !shape || m[4]?.toLowerCase() !== shape[1] || !THIRD_PARTY_OPS.includes(op)) {
      throw new Error(
        `THIRD_PARTY_FAULTS: bad knob "${knob}": expected busy-<op>:<n>ms, slow-<op>:<n>ms or alloc-<op>:<n>kb with <op> one of ${THIRD_PARTY_OPS.join(', ')}`,
      );
    }
    faults[shape[0]][op] = Number(m[3]);
  }
  return faults;
}
