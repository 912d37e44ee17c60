import { LOAD_PROFILES } from '../../config/defaults.js';
import type { ScenarioInput, SetupStepConfig } from '../../config/schema.js';

/**
 * The built-in admin preset: the seed's load tests (CRUD, permissions, search/filter, bulk,
 * concurrent admins) against any service with the admin API (docs/architecture.md). Needs no config.
 *
 * Order matters a little: reads run before the create-heavy scenarios so the table they read is
 * the same size in every run of the same config.
 */

const adminBody = (prefix: string) => ({
  email: `${prefix}.{{uid}}@loadgate.test`,
  nombre: `${prefix === 'pool' ? 'PoolAdmin' : 'LoadAdmin'}{{seq}}`,
  apellido: 'Loadgate',
  user_type: 'ADMIN',
  security_clearance_level: 3,
});

function createPool(base: string, pool: string, count: number): SetupStepConfig {
  return {
    pool,
    count,
    capture: 'id',
    concurrency: 16,
    request: {
      method: 'POST',
      path: `${base}/admins`,
      body: adminBody('pool'),
      expect: 201,
    },
  };
}

/**
 * The seed's other test kinds, one preset scenario each, never in `pr`: each runs under its
 * own profile and `full`. Sized so that each alone is short (wall times in README): stress steps
 * of 2 s from 1 to 1000 connections, a 5 + 5 + 10 s spike, a 60 s soak, recovery in trials;
 * volume seeds the seed's 10k admins / 100k grants. Order: stress before soak (the soak runs at
 * half the knee), volume last (its 10k admins would change what the others read).
 */
function kindScenarios(base: string, admins: SetupStepConfig): ScenarioInput[] {
  const reads = [
    { name: 'list', method: 'GET' as const, path: `${base}/admins?limit=10`, weight: 4 },
    {
      name: 'search',
      method: 'GET' as const,
      path: `${base}/admins?limit=10&search=pooladmin`,
      weight: 2,
    },
    { name: 'get', method: 'GET' as const, path: `${base}/admins/{{pool.admins}}`, weight: 3 },
  ];
  const create = {
    name: 'create',
    method: 'POST' as const,
    path: `${base}/admins`,
    body: adminBody('kind'),
    expect: 201,
  };
  return [
    {
      name: 'stress-admins',
      kind: 'stress',
      description: 'Reads at 1, 2, 4 … 1000 connections until the SLA breaks',
      setup: [admins],
      requests: reads,
      warmupSeconds: 1,
      stress: { startConnections: 1, maxConnections: 1000, factor: 2, stepSeconds: 2 },
      profiles: ['stress', 'full'],
    },
    {
      name: 'spike-admins',
      kind: 'spike',
      description: 'Reads at 10 connections, a burst to 100, back to 10',
      setup: [admins],
      requests: reads,
      connections: 10,
      warmupSeconds: 1,
      spike: { multiplier: 10, baseSeconds: 5, spikeSeconds: 5, afterSeconds: 10 },
      profiles: ['spike', 'full'],
    },
    {
      name: 'soak-admins',
      kind: 'soak',
      // No creates: a growing table would grow RSS (in-memory databases) and read as a leak.
      description: 'Reads and updates for a minute: RSS and p95 trends',
      setup: [admins],
      requests: [
        ...reads,
        {
          name: 'update',
          method: 'PATCH',
          path: `${base}/admins/{{pool.admins}}`,
          body: { apellido: 'Soak{{seq}}' },
          weight: 1,
        },
      ],
      connections: 10,
      warmupSeconds: 2,
      soak: { seconds: 60, windowSeconds: 5 },
      profiles: ['soak', 'full'],
    },
    {
      name: 'recovery-admins',
      kind: 'recovery',
      description: '20 % invalid creates (422 expected) among valid ones, then /health',
      requests: [
        { ...create, weight: 4 },
        {
          name: 'create-invalid',
          method: 'POST',
          path: `${base}/admins`,
          body: { invalid: 'data' },
          expect: 422,
          weight: 1,
        },
      ],
      trials: 3,
      recovery: { invalidShare: 0.2 },
      profiles: ['recovery', 'full'],
    },
    {
      name: 'volume-admins',
      kind: 'volume',
      description: 'List and search over 10k admins / 100k grants, bulk action on 1000',
      requests: [
        { name: 'list', method: 'GET', path: `${base}/admins?limit=10`, weight: 2 },
        {
          name: 'search',
          method: 'GET',
          path: `${base}/admins?limit=10&search=volumeadmin`,
          weight: 1,
        },
      ],
      trials: 3,
      volume: { admins: 10_000, grants: 100_000, bulkUsers: 1000 },
      profiles: ['volume', 'full'],
    },
  ];
}

export function adminPreset(base: string): ScenarioInput[] {
  const admins = createPool(base, 'admins', 200);
  const bulkAdmins = createPool(base, 'bulk_admins', 1000);
  const profiles = [...LOAD_PROFILES];
  return [
    {
      name: 'list-admins',
      description: 'GET a page of 10 admins',
      setup: [admins],
      requests: [{ name: 'list', method: 'GET', path: `${base}/admins?limit=10` }],
      sla: { minThroughput: 200 },
      profiles,
    },
    {
      name: 'search-admins',
      description: 'Search admins by name, 10 a page',
      setup: [admins],
      requests: [
        { name: 'search', method: 'GET', path: `${base}/admins?limit=10&search=pooladmin` },
      ],
      sla: { minThroughput: 150 },
      profiles,
    },
    {
      name: 'get-admin',
      description: 'GET one admin by id',
      setup: [admins],
      requests: [{ name: 'get', method: 'GET', path: `${base}/admins/{{pool.admins}}` }],
      profiles,
    },
    {
      name: 'grant-permission',
      description: 'Grant a permission to an admin',
      setup: [admins],
      requests: [
        {
          name: 'grant',
          method: 'POST',
          path: `${base}/admins/{{pool.admins}}/permissions/grant`,
          body: { permission_ids: ['users.read.global'], reason: 'loadgate grant {{seq}}' },
        },
      ],
      sla: { p95Ms: 200, minThroughput: 100 },
      profiles,
    },
    {
      name: 'bulk-deactivate',
      description: 'Bulk deactivate 100 admins',
      setup: [bulkAdmins],
      connections: 2,
      requests: [
        {
          name: 'bulk-deactivate',
          method: 'POST',
          path: `${base}/admins/bulk-action`,
          body: {
            user_ids: '{{pool.bulk_admins:100}}',
            action: 'deactivate',
            reason: 'loadgate bulk {{seq}}',
          },
        },
      ],
      // The seed: bulk actions on 100 users in under 5 s.
      sla: { maxRequestMs: 5000 },
      profiles,
    },
    {
      name: 'concurrent-admins',
      description: 'Many admins at once: a weighted mix of reads and writes',
      setup: [admins],
      connections: 20,
      requests: [
        { name: 'list', method: 'GET', path: `${base}/admins?limit=10`, weight: 4 },
        {
          name: 'search',
          method: 'GET',
          path: `${base}/admins?limit=10&search=pooladmin`,
          weight: 2,
        },
        { name: 'get', method: 'GET', path: `${base}/admins/{{pool.admins}}`, weight: 3 },
        {
          name: 'update',
          method: 'PATCH',
          path: `${base}/admins/{{pool.admins}}`,
          body: { apellido: 'Updated{{seq}}' },
          weight: 1,
        },
        {
          name: 'grant',
          method: 'POST',
          path: `${base}/admins/{{pool.admins}}/permissions/grant`,
          body: { permission_ids: ['users.read.global'], reason: 'loadgate mix {{seq}}' },
          weight: 2,
        },
        {
          name: 'create',
          method: 'POST',
          path: `${base}/admins`,
          body: adminBody('mix'),
          expect: 201,
          weight: 1,
        },
      ],
      profiles,
    },
    {
      name: 'create-admin',
      description: 'Create admins with unique emails',
      requests: [
        {
          name: 'create',
          method: 'POST',
          path: `${base}/admins`,
          body: adminBody('load'),
          expect: 201,
        },
      ],
      sla: { minThroughput: 50 },
      profiles,
    },
    ...kindScenarios(base, admins),
  ];
}
