import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-file.js';
import { buildPlan as buildGenericPlan } from '../../../src/config/plan.js';
import { PRESETS } from '../../../src/presets/index.js';

/** The plan as run/ builds it: with the built-in presets. */
const buildPlan = (...[config, source, overrides]: Parameters<typeof buildGenericPlan>) =>
  buildGenericPlan(config, source, overrides, PRESETS);

describe('kind profiles and settings', () => {
  it('keeps the PR profile as it was and offers a profile per kind plus full', () => {
    const pr = buildPlan(parseConfig({}, 'x'), 'x');
    expect(pr.scenarios.every((s) => s.kind === 'load')).toBe(true);
    expect(pr.scenarios.some((s) => 'stress' in s)).toBe(false);
    expect(() => buildPlan(parseConfig({}, 'x'), 'x', { profile: 'nightly' })).toThrow(
      /expected one of load, pr, stress, spike, volume, soak, recovery, full$/,
    );
    const full = buildPlan(parseConfig({}, 'x'), 'x', { profile: 'full' });
    expect(full.scenarios.map((s) => s.kind)).toEqual([
      ...Array.from({ length: 7 }, () => 'load'),
      'stress',
      'spike',
      'soak',
      'recovery',
      'volume',
    ]);
    const two = buildPlan(parseConfig({}, 'x'), 'x', { profile: 'stress, soak' });
    expect(two.scenarios.map((s) => s.name)).toEqual(['stress-admins', 'soak-admins']);
  });

  it('resolves the preset kinds with their defaults and kind SLAs', () => {
    const plan = buildPlan(parseConfig({}, 'x'), 'x', { profile: 'full' });
    const by = (name: string) => plan.scenarios.find((s) => s.name === name);
    expect(by('stress-admins')?.stress).toEqual({
      startConnections: 1,
      maxConnections: 1000,
      factor: 2,
      stepSeconds: 2,
    });
    expect(by('spike-admins')?.sla.maxRecoverySeconds).toBe(5);
    expect(by('soak-admins')?.sla).toMatchObject({ maxLeakMbPerMin: 1, maxP95SlopeMsPerMin: 5 });
    expect(by('soak-admins')?.soak).toMatchObject({
      seconds: 60,
      windowSeconds: 5,
      minLeakGrowthMb: 10,
    });
    expect(by('volume-admins')?.volume).toMatchObject({
      admins: 10_000,
      grants: 100_000,
      bulkUsers: 1000,
      adminBasePath: '/api/v1/admin-management',
    });
    // The seed's 5 s per 100 users, scaled to 1000.
    expect(by('volume-admins')?.sla.maxBulkMs).toBe(50_000);
    expect(by('recovery-admins')?.sla).toMatchObject({
      maxServerErrors: 0,
      minValidSuccessRate: 0.99,
      healthAfter: 1,
    });
  });

  it('lets --duration set the main phase of each kind, not the load trials', () => {
    const plan = buildPlan(parseConfig({}, 'x'), 'x', { profile: 'full', duration: 7 });
    const by = (name: string) => plan.scenarios.find((s) => s.name === name);
    expect(by('soak-admins')?.soak?.seconds).toBe(7);
    expect(by('spike-admins')?.spike?.spikeSeconds).toBe(7);
    expect(by('stress-admins')?.stress?.stepSeconds).toBe(7);
    expect(by('list-admins')?.trialSeconds).toBe(2);
  });

  it('defaults a file scenario of another kind to its own profile and full, not pr', () => {
    const config = parseConfig(
      {
        preset: 'none',
        scenarios: [
          { name: 'l', requests: [{ name: 'g', path: '/a' }] },
          {
            name: 's',
            kind: 'stress',
            requests: [{ name: 'g', path: '/a' }],
            stress: { maxConnections: 8 },
          },
        ],
      },
      'x',
    );
    expect(buildPlan(config, 'x').scenarios.map((s) => s.name)).toEqual(['l']);
    const stress = buildPlan(config, 'x', { profile: 'stress' }).scenarios[0];
    expect(stress?.stress).toEqual({
      startConnections: 1,
      maxConnections: 8,
      factor: 2,
      stepSeconds: 2,
    });
  });

  it('rejects settings of another kind and impossible schedules', () => {
    const wrong = parseConfig(
      {
        preset: 'none',
        scenarios: [{ name: 'l', requests: [{ name: 'g', path: '/a' }], soak: { seconds: 5 } }],
      },
      'x',
    );
    expect(() => buildPlan(wrong, 'x')).toThrow(
      /scenarios\.l: "soak" settings on a scenario of kind load/,
    );
    expect(() =>
      parseConfig(
        {
          scenarios: [
            {
              name: 's',
              kind: 'stress',
              requests: [{ name: 'g', path: '/a' }],
              stress: { startConnections: 9, maxConnections: 2 },
            },
          ],
        },
        'x.yml',
      ),
    ).toThrow(/maxConnections must be ≥ startConnections/);
  });
});
