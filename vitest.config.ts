import { defineConfig } from 'vitest/config';
import LongestFirst from './__tests__/setup/sequencer.js';

/**
 * Unit tests are pure and fast. Integration tests spawn real services, Postgres and Redis. One at
 * a time they leave this 2-core machine half idle (readiness polls, restarts, fixed-length
 * trials), so they share it, as far as what each asserts allows:
 * - `integration-io` asserts behaviour only (exit codes, files, artifacts, comments, cleanup,
 *   redaction) and `integration-shared` measures, but looks for changes many times what a busy
 *   neighbour moves (a function in a CPU profile, a fault knob's own cost, shards merged): these
 *   run first, three files at a time beside the unit files;
 * - `integration` holds files whose verdicts rest on modest changes but hold beside one
 *   neighbour (noise floors, the kinds, the history): after the others, two files at a time;
 * - `integration-alone` (ALONE below) runs last, one file at a time: A/B detection, and the
 *   stored comparisons whose CPU probe a neighbour moves.
 * Figures themselves belong to bench/, run alone.
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

/**
 * Measuring files that still need the machine to themselves: the action's stored comparisons (a
 * baseline run, then pull-request runs judged against it: a neighbour that comes or goes between
 * them moves the CPU probe past its limit, and the comparison is rightly undecided), the budget's
 * noisy-versus-quiet rounds (a neighbour keeps the quiet scenario undecided as long), and the A/B
 * detection files (two duets at once, four services and two load generators on two cores, missed
 * the CPU fault's cost per request and failed a same-code run).
 */
const ALONE = [
  '__tests__/integration/action/action.test.ts',
  '__tests__/integration/cli/ab-budget.test.ts',
  '__tests__/integration/cli/ab-shapes.test.ts',
  '__tests__/integration/cli/ab.test.ts',
  '__tests__/integration/action/base-commit.test.ts',
];

/** Measuring files whose assertions hold beside other files (see above). */
const SHARED_MEASURING = [
  '__tests__/integration/cli/profile.test.ts',
  '__tests__/integration/cli/profile-start.test.ts',
  '__tests__/integration/shards/cli-shards.test.ts',
  '__tests__/integration/example-service/faults.test.ts',
  '__tests__/integration/load/faults-cli.test.ts',
  '__tests__/integration/load/client-fix.test.ts',
  '__tests__/integration/load/littles-law-driver.test.ts',
];

const slow = { testTimeout: 120_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // The CLI and the example service bundled once (scripts/bundle-for-runs.ts): each start of
    // either then costs a fraction of a second instead of compiling the sources again.
    globalSetup: ['__tests__/setup/bundles.ts'],
    // The longest files first, with or without timings from an earlier run.
    sequence: { sequencer: LongestFirst },
    // At most three files at a time (vitest wants one limit per group: 3, then 2, then 1).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['__tests__/unit/**/*.test.ts'],
          maxWorkers: 3,
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
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
          ...slow,
        },
      },
      {
        test: {
          name: 'integration-shared',
          include: SHARED_MEASURING,
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
          ...slow,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['__tests__/integration/**/*.test.ts'],
          exclude: [...BEHAVIOUR_ONLY, ...SHARED_MEASURING, ...ALONE],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          ...slow,
        },
      },
      {
        test: {
          name: 'integration-alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          ...slow,
        },
      },
    ],
  },
});
