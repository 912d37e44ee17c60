/**
 * The services the detection benchmark measures: the Node example, the Python example, and a
 * third-party app from npm (bench/third-party/). For each: how it starts, its scenarios, how a
 * fault reaches its head alone, and which scenario calls each operation.
 */
import { build } from 'esbuild';
import { bundleForRuns, BUNDLED } from '../../scripts/bundle-for-runs.js';

export const SERVICES = ['node', 'python', 'thirdparty'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const FAULTS = ['busy', 'slow', 'alloc'] as const;
export type FaultShape = (typeof FAULTS)[number];

const THIRD_PARTY_BUNDLE = '.loadgate/build/third-party-server.mjs';

export interface BenchService {
  name: ServiceName;
  /** The command both sides start with (the fault variable is set in front of it). */
  command: string;
  /** The variable its fault knobs are read from. */
  faultsVariable: string;
  /** Knobs both sides get, so both run the same hooks (a knob on an operation no scenario calls). */
  neutral: string;
  /** The scenarios file (repository-relative); undefined: the built-in admin preset. */
  config?: string;
  /** The runtime the allocation knob's cost is measured in (sizing.ts). */
  runtime: 'node' | 'python';
  /** Per operation, the scenario that calls it alone. */
  scenarioOf: Record<string, string>;
  /** Scenarios that call every operation in a mix (not "another scenario" when flagged). */
  mixes: string[];
}

const ADMIN_SCENARIOS = {
  search: 'search-admins',
  list: 'list-admins',
  get: 'get-admin',
  grant: 'grant-permission',
  create: 'create-admin',
};

export const BENCH_SERVICES: Record<ServiceName, BenchService> = {
  node: {
    name: 'node',
    command: `node ${BUNDLED.example}`,
    faultsVariable: 'ADMIN_SERVICE_FAULTS',
    neutral: 'busy-health:0.001ms,slow-health:0.001ms',
    runtime: 'node',
    scenarioOf: ADMIN_SCENARIOS,
    mixes: ['concurrent-admins'],
  },
  python: {
    name: 'python',
    command: 'python3 examples/admin-service-python/admin_service.py',
    faultsVariable: 'ADMIN_SERVICE_FAULTS',
    neutral: 'busy-health:0.001ms,slow-health:0.001ms',
    runtime: 'python',
    scenarioOf: ADMIN_SCENARIOS,
    mixes: ['concurrent-admins'],
  },
  thirdparty: {
    name: 'thirdparty',
    command: `node ${THIRD_PARTY_BUNDLE}`,
    faultsVariable: 'THIRD_PARTY_FAULTS',
    neutral: '',
    config: 'bench/third-party/loadgate.yml',
    runtime: 'node',
    scenarioOf: {
      list: 'list-articles',
      search: 'search-articles',
      get: 'get-article',
      filter: 'filter-articles',
      create: 'create-article',
    },
    mixes: [],
  },
};

export function parseService(value: string): BenchService {
  const service = BENCH_SERVICES[value as ServiceName];
  if (!service)
    throw new Error(`--service: expected one of ${SERVICES.join(', ')}, got "${value}"`);
  return service;
}

export function parseFault(value: string): FaultShape {
  if (!(FAULTS as readonly string[]).includes(value)) {
    throw new Error(`--fault: expected one of ${FAULTS.join(', ')}, got "${value}"`);
  }
  return value as FaultShape;
}

/** The start command of both sides: `headKnobs` on the head only, the neutral knobs on both. */
export function startCommand(service: BenchService, headKnobs: string): string {
  const head = [service.neutral, headKnobs].filter(Boolean).join(',');
  const value = `"$([ "$LOADGATE_SIDE" = head ] && echo '${head}' || echo '${service.neutral}')"`;
  return `exec env ${service.faultsVariable}=${value} ${service.command}`;
}

/** Bundles what the services start (a bare `node` start per restart, not a TypeScript compile). */
export async function bundleServices(): Promise<void> {
  await bundleForRuns();
  await build({
    entryPoints: ['bench/third-party/server.ts'],
    outfile: THIRD_PARTY_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}
