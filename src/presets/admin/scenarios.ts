import type { ScenarioInput, SetupStepConfig } from '../../config/schema.js';
import type { SlaThresholds } from '../../result/types.js';

/**
 * The built-in admin preset's scenarios: the seed's load tests (CRUD, permissions, search/filter,
 * bulk, concurrent admins) against any service with the admin API (docs/architecture.md). Needs
 * no config. Each runs under its kind's default profiles: the load tests in `pr`, the others only
 * under their own kind's profile and `full`.
 *
 * Order matters a little: reads run before the create-heavy scenarios so the table they read is
 * the same size in every run of the same config.
 */

/** Where the admin API lives unless the file says otherwise (`adminBasePath`). */
export const ADMIN_BASE_PATH = '/api/v1/admin-management';

/**
 * The seed's SLA numbers (docs/architecture.md, "The admin preset"): every scenario of a run with
 * this preset gets them unless its file overrides them.
 */
export const ADMIN_SLA: Readonly<SlaThresholds> = {
  p95Ms: 500,
  maxErrorRate: 0.01,
  dbP95Ms: 100,
  maxRssMb: 512,
  maxCpuPercent: 80,
  maxPgConnections: 20,
  maxRedisMb: 100,
};

/** Every request of the admin API carries the run's token (`--token`, `auth-token`). */
export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  authorization: 'Bearer {{token}}',
};

/** The seed: bulk actions on 100 users in under 5 s. */
export const BULK_MS_PER_100_USERS = 5000;

type RequestInput = ScenarioInput['requests'][number];

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

/** The admin API's requests, each defined once; scenarios weigh them and vary their bodies. */
function adminRequests(base: string) {
  const one = `${base}/admins/{{pool.admins}}`;
  const list: RequestInput = { name: 'list', method: 'GET', path: `${base}/admins?limit=10` };
  const get: RequestInput = { name: 'get', method: 'GET', path: one };
  return {
    list,
    get,
    search: (term: string): RequestInput => ({
      name: 'search',
      method: 'GET',
      path: `${base}/admins?limit=10&search=${term}`,
    }),
    update: (apellido: string): RequestInput => ({
      name: 'update',
      method: 'PATCH',
      path: one,
      body: { apellido },
    }),
    grant: (reason: string): RequestInput => ({
      name: 'grant',
      method: 'POST',
      path: `${one}/permissions/grant`,
      body: { permission_ids: ['users.read.global'], reason },
    }),
    create: (prefix: string): RequestInput => ({
      name: 'create',
      method: 'POST',
      path: `${base}/admins`,
      body: adminBody(prefix),
      expect: 201,
    }),
  };
}

type AdminRequests = ReturnType<typeof adminRequests>;

/** The read mix the concurrent admins and the other kinds share. */
const readMix = (r: AdminRequests): RequestInput[] => [
  { ...r.list, weight: 4 },
  { ...r.search('pooladmin'), weight: 2 },
  { ...r.get, weight: 3 },
];

/**
 * The seed's other test kinds, one preset scenario each, never in `pr`. Sized so that each alone
 * is short (wall times in docs/measurements.md): stress steps of 2 s from 1 to 1000 connections, a 5 + 5 + 10 s
 * spike, a 60 s soak, recovery in trials; volume seeds the seed's 10k admins / 100k grants.
 * Order: stress before soak (the soak runs at half the knee), volume last (its 10k admins would
 * change what the others read).
 */
function kindScenarios(r: AdminRequests, admins: SetupStepConfig): ScenarioInput[] {
  const reads = readMix(r);
  return [
    {
      name: 'stress-admins',
      kind: 'stress',
      description: 'Reads at 1, 2, 4 … 1000 connections until the SLA breaks',
      setup: [admins],
      requests: reads,
      warmupSeconds: 1,
      stress: { startConnections: 1, maxConnections: 1000, factor: 2, stepSeconds: 2 },
    },
    {
      name: 'spike-admins',
      kind: 'spike',
      description: 'Reads at 10 connections, a burst to 100, back to 10',
      setup: [admins],
      connections: 10,
      requests: reads,
      warmupSeconds: 1,
      spike: { multiplier: 10, baseSeconds: 5, spikeSeconds: 5, afterSeconds: 10 },
    },
    {
      name: 'soak-admins',
      kind: 'soak',
      // No creates: a growing table would grow RSS (in-memory databases) and read as a leak.
      description: 'Reads and updates for a minute: RSS and p95 trends',
      setup: [admins],
      requests: [...reads, { ...r.update('Soak{{seq}}'), weight: 1 }],
      connections: 10,
      warmupSeconds: 2,
      soak: { seconds: 60, windowSeconds: 5 },
    },
    {
      name: 'recovery-admins',
      kind: 'recovery',
      description: '20 % invalid creates (422 expected) among valid ones, then /health',
      requests: [
        { ...r.create('kind'), weight: 4 },
        { ...r.create('kind'), name: 'create-invalid', body: { invalid: 'data' }, expect: 422 },
      ],
      trials: 3,
      recovery: { invalidShare: 0.2 },
    },
    {
      name: 'volume-admins',
      kind: 'volume',
      description: 'List and search over 10k admins / 100k grants, bulk action on 1000',
      requests: [
        { ...r.list, weight: 2 },
        { ...r.search('volumeadmin'), weight: 1 },
      ],
      trials: 3,
      volume: { admins: 10_000, grants: 100_000, bulkUsers: 1000 },
    },
  ];
}

export function adminScenarios(base: string): ScenarioInput[] {
  const r = adminRequests(base);
  const admins = createPool(base, 'admins', 200);
  const bulkAdmins = createPool(base, 'bulk_admins', 1000);
  return [
    {
      name: 'list-admins',
      description: 'GET a page of 10 admins',
      setup: [admins],
      requests: [r.list],
      sla: { minThroughput: 200 },
    },
    {
      name: 'search-admins',
      description: 'Search admins by name, 10 a page',
      setup: [admins],
      requests: [r.search('pooladmin')],
      sla: { minThroughput: 150 },
    },
    {
      name: 'get-admin',
      description: 'GET one admin by id',
      setup: [admins],
      requests: [r.get],
    },
    {
      name: 'grant-permission',
      description: 'Grant a permission to an admin',
      setup: [admins],
      requests: [r.grant('loadgate grant {{seq}}')],
      sla: { p95Ms: 200, minThroughput: 100 },
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
      sla: { maxRequestMs: BULK_MS_PER_100_USERS },
    },
    {
      name: 'concurrent-admins',
      description: 'Many admins at once: a weighted mix of reads and writes',
      setup: [admins],
      connections: 20,
      requests: [
        ...readMix(r),
        { ...r.update('Updated{{seq}}'), weight: 1 },
        { ...r.grant('loadgate mix {{seq}}'), weight: 2 },
        { ...r.create('mix'), weight: 1 },
      ],
    },
    {
      name: 'create-admin',
      description: 'Create admins with unique emails',
      requests: [r.create('load')],
      sla: { minThroughput: 50 },
    },
    ...kindScenarios(r, admins),
  ];
}
