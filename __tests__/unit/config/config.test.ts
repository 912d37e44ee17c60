import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/errors.js';
import { parseConfig } from '../../../src/config/load-file.js';
import { buildPlan as buildGenericPlan, presetOf } from '../../../src/config/plan.js';
import { PRESETS } from '../../../src/presets/index.js';

/** The plan as run/ builds it: with the built-in presets. */
const buildPlan = (...[config, source, overrides]: Parameters<typeof buildGenericPlan>) =>
  buildGenericPlan(config, source, overrides, PRESETS);

describe('parseConfig', () => {
  it('accepts an empty document as the preset with defaults', () => {
    const config = parseConfig(undefined, 'x.yml');
    expect(presetOf(config)).toBe('admin');
    expect(config.scenarios).toEqual([]);
  });

  it('names the path and what was expected for each problem', () => {
    const bad = {
      defaults: { trials: 0 },
      scenarios: [
        { name: 'ok', requests: [{ name: 'r', path: 'no-slash', expect: 'x' }], conections: 3 },
      ],
    };
    let message = '';
    try {
      parseConfig(bad, 'loadgate.yml');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^loadgate\.yml is not a valid loadgate config:/);
    expect(message).toMatch(/defaults\.trials: .*>=1/);
    expect(message).toMatch(/scenarios\[0\]\.requests\[0\]\.path: .*"\/"/);
    expect(message).toMatch(/scenarios\[0\]\.requests\[0\]\.expect: .*expected number/);
    expect(message).toMatch(/scenarios\[0\]: Unrecognized key: "conections"/);
  });
});

describe('buildPlan', () => {
  it('knows no preset of its own: the catalogue comes from run/', () => {
    expect(() => buildGenericPlan(parseConfig({}, 'x'), 'x')).toThrow(
      'preset: "admin" is not available here (known: none)',
    );
    const none = parseConfig(
      { preset: 'none', scenarios: [{ name: 'only', requests: [{ name: 'root', path: '/' }] }] },
      'x',
    );
    expect(buildGenericPlan(none, 'x').scenarios.map((s) => s.name)).toEqual(['only']);
  });

  it('resolves the preset with the PR profile defaults and seed SLAs', () => {
    const plan = buildPlan(parseConfig({}, 'x'), 'x');
    expect(plan.profile).toBe('pr');
    expect(plan.scenarios.map((s) => s.name)).toEqual([
      'list-admins',
      'search-admins',
      'get-admin',
      'grant-permission',
      'bulk-deactivate',
      'concurrent-admins',
      'create-admin',
    ]);
    const grant = plan.scenarios.find((s) => s.name === 'grant-permission');
    expect(grant?.sla).toMatchObject({
      p95Ms: 200,
      minThroughput: 100,
      maxErrorRate: 0.01,
      maxRssMb: 512,
    });
    expect(grant?.requests[0]?.headers).toMatchObject({
      authorization: 'Bearer {{token}}',
      'content-type': 'application/json',
    });
    expect(grant?.trials).toBe(8);
    expect(plan.hash).toMatch(/^[0-9a-f]{12}$/);
  });

  it('lets a file scenario replace a preset one, exclude others, and overrides win', () => {
    const config = parseConfig(
      {
        preset: 'admin',
        exclude: ['bulk-deactivate'],
        defaults: { trials: 4, sla: { p95Ms: 300 } },
        scenarios: [{ name: 'list-admins', requests: [{ name: 'l', path: '/x' }], connections: 3 }],
      },
      'x',
    );
    const plan = buildPlan(config, 'x', { trialSeconds: 0.5 });
    expect(plan.scenarios.map((s) => s.name)).not.toContain('bulk-deactivate');
    const list = plan.scenarios[0];
    expect(list?.requests[0]?.path).toBe('/x');
    expect(list?.connections).toBe(3);
    expect(list?.trials).toBe(4);
    expect(list?.trialSeconds).toBe(0.5);
    expect(list?.sla.p95Ms).toBe(300);
  });

  it('keeps the plan of a run without a config as it was (its hash pins the preset)', () => {
    // The hashes of the admin preset before a file with scenarios stopped running it by default:
    // baselines stored by earlier versions stay comparable.
    const hash = (profile: string, mode: 'single' | 'ab') =>
      buildPlan(parseConfig({}, 'x'), 'x', { profile, mode }).hash;
    expect(hash('pr', 'single')).toBe('aa0ff5216dc0');
    expect(hash('pr', 'ab')).toBe('b2eb1be1f962');
    expect(hash('full', 'single')).toBe('c7bd707ca2da');
  });

  it('runs only the scenarios of a file that has some and names no preset', () => {
    const own = {
      defaults: { headers: { 'X-Api-Key': '{{env.API_KEY}}' } },
      scenarios: [
        { name: 'list-todos', requests: [{ name: 'list', path: '/todos?limit=10' }] },
        {
          name: 'create-todo',
          requests: [{ name: 'create', method: 'POST', path: '/todos', body: {}, expect: 201 }],
          sla: { p95Ms: 50 },
        },
      ],
    } as const;
    const plan = buildPlan(parseConfig(own, 'x'), 'x');
    expect(plan.scenarios.map((s) => s.name)).toEqual(['list-todos', 'create-todo']);
    // No admin token header: only what the file asks for.
    expect(plan.scenarios[0]?.requests[0]?.headers).toEqual({ 'x-api-key': '{{env.API_KEY}}' });
    // The generic SLA (error rate ≤ 1 %), and what the file sets; none of the seed's numbers.
    expect(plan.scenarios[0]?.sla).toEqual({ maxErrorRate: 0.01 });
    expect(plan.scenarios[1]?.sla).toEqual({ maxErrorRate: 0.01, p95Ms: 50 });

    // `preset: none` says the same; `preset: admin` adds the preset, its header and its SLA.
    const none = buildPlan(parseConfig({ ...own, preset: 'none' }, 'x'), 'x');
    expect(none.hash).toBe(plan.hash);
    const admin = buildPlan(parseConfig({ ...own, preset: 'admin' }, 'x'), 'x');
    expect(admin.scenarios.map((s) => s.name)).toContain('list-admins');
    const mine = admin.scenarios.find((s) => s.name === 'list-todos');
    expect(mine?.requests[0]?.headers).toEqual({
      authorization: 'Bearer {{token}}',
      'x-api-key': '{{env.API_KEY}}',
    });
    expect(mine?.sla).toMatchObject({ p95Ms: 500, maxRssMb: 512, maxErrorRate: 0.01 });
  });

  it('says why exclude means nothing when no preset runs', () => {
    const config = parseConfig(
      {
        exclude: ['bulk-deactivate'],
        scenarios: [{ name: 'a', requests: [{ name: 'r', path: '/' }] }],
      },
      'x',
    );
    expect(() => buildPlan(config, 'x')).toThrow(
      /exclude: no preset runs, so there is nothing to leave out \(bulk-deactivate\).*`preset: admin`/,
    );
  });

  it('changes the hash when the measurement changes, not otherwise', () => {
    const a = buildPlan(parseConfig({}, 'x'), 'x');
    const b = buildPlan(parseConfig({}, 'y'), 'y');
    const c = buildPlan(parseConfig({ defaults: { connections: 11 } }, 'x'), 'x');
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it('rejects unknown profiles, excludes and unfilled pools with the name and the choices', () => {
    expect(() => buildPlan(parseConfig({}, 'x'), 'x', { profile: 'nightly' })).toThrow(
      /profile: unknown profile nightly; expected one of load, pr/,
    );
    expect(() => buildPlan(parseConfig({ exclude: ['nope'] }, 'x'), 'x')).toThrow(
      /exclude: no preset scenario named nope/,
    );
    const orphan = parseConfig(
      {
        preset: 'none',
        scenarios: [{ name: 's', requests: [{ name: 'g', path: '/a/{{pool.ids}}' }] }],
      },
      'x',
    );
    expect(() => buildPlan(orphan, 'x')).toThrow(
      /scenarios\.s: requests read \{\{pool\.ids\}\} but no setup step fills pool "ids"/,
    );
  });
});
