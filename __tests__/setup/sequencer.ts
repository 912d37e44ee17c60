/**
 * The order test files start in. Vitest starts the largest files first when it has no timings
 * (a fresh clone, as in CI), and a short file can hold the longest run: started last, it would
 * keep the others waiting. So the unit files go first (a few seconds in all, instead of a tail
 * after the integration files beside them), then these, which measured the longest here
 * (seconds, alone); every other file keeps vitest's own order after them.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST_FIRST = [
  'integration/cli/ab-shapes.test.ts', // 52
  'integration/action/action.test.ts', // 52
  'integration/cli/calibrate-gate.test.ts', // 44
  'integration/cli/ab-budget.test.ts', // 42
  'integration/cli/ab.test.ts', // 41
  'integration/kinds/kinds.test.ts', // 37
  'integration/action/base-commit.test.ts', // 32
  'integration/shards/cli-shards.test.ts', // 25
  'integration/cli/profile.test.ts', // 24
  'integration/cli/profile-start.test.ts', // 21
  'integration/cli/run-cli.test.ts', // 21
  'integration/example-service/faults.test.ts', // 19
];

function rank(spec: TestSpecification): number {
  if (spec.moduleId.includes('/__tests__/unit/')) return -1;
  const at = LONGEST_FIRST.findIndex((f) => spec.moduleId.endsWith(f));
  return at === -1 ? LONGEST_FIRST.length : at;
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const own = await super.sort(files);
    return [...own].sort((a, b) => rank(a) - rank(b));
  }
}
