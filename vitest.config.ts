import { defineConfig } from 'vitest/config';

/**
 * Unit tests are pure and fast. Integration tests spawn real services, Postgres and Redis:
 * - `integration` holds those whose assertions depend on what the load measures (detection,
 *   latencies, resource figures): they run one file at a time, after everything else, so the
 *   figures are honest on a 2-core machine;
 * - `integration-io` holds those that assert behaviour only (exit codes, files, artifacts,
 *   comments, cleanup, redaction): they may share the machine, two files at a time.
 */
const BEHAVIOUR_ONLY = [
  '__tests__/integration/faults/**/*.test.ts',
  '__tests__/integration/github/**/*.test.ts',
  '__tests__/integration/action/base-worktree.test.ts',
  '__tests__/integration/shards/action-shards.test.ts',
  '__tests__/integration/history/cli-history.test.ts',
  '__tests__/integration/cli/dist.test.ts',
  '__tests__/integration/cli/package.test.ts',
  '__tests__/integration/cli/ab-errors.test.ts',
  '__tests__/integration/cli/run-postgres-redis.test.ts',
  '__tests__/integration/cli/run-cli.test.ts',
  '__tests__/integration/cli/help.test.ts',
  '__tests__/integration/cli/own-api.test.ts',
  '__tests__/integration/kinds/pool.test.ts',
  '__tests__/integration/load/bundle.test.ts',
  '__tests__/integration/example-service/api.test.ts',
  '__tests__/integration/service/service.test.ts',
  '__tests__/integration/service/listening-ports.test.ts',
];

const slow = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // The CLI and the example service bundled once (scripts/bundle-for-runs.ts): each start of
    // either then costs a fraction of a second instead of compiling the sources again.
    globalSetup: ['__tests__/setup/bundles.ts'],
    // Enough workers for the unit and behaviour-only projects to run side by side (each keeps
    // its own limit below); the measuring project still runs one file at a time after them.
    maxWorkers: 4,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/unit/**/*.test.ts'],
          maxWorkers: 2,
          // Pure modules: one module graph per worker instead of one per file (most of a unit
          // file's time was importing).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration-io',
          include: BEHAVIOUR_ONLY,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...slow,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['__tests__/integration/**/*.test.ts'],
          exclude: BEHAVIOUR_ONLY,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...slow,
        },
      },
    ],
  },
});
