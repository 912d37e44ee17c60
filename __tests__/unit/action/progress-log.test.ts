import { describe, expect, it } from 'vitest';
import type { ActionLog } from '../../../src/action/deps.js';
import { progressLog } from '../../../src/action/progress-log.js';

/** A log that records every call, groups as markers, as the step's log would show them. */
function recordingLog(groups = true): { log: ActionLog; lines: string[] } {
  const lines: string[] = [];
  const log: ActionLog = {
    info: (m) => lines.push(m),
    notice: (m) => lines.push(`notice: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    ...(groups
      ? {
          startGroup: (name: string) => lines.push(`::group::${name}`),
          endGroup: () => lines.push('::endgroup::'),
        }
      : {}),
  };
  return { log, lines };
}

const trial = (side: 'base' | 'head', n: number) =>
  ({
    type: 'trial',
    scenario: 'search',
    trial: n,
    trials: 4,
    throughput: 100,
    p95: 2,
    errorRate: 0,
    side,
  }) as const;

describe('the action log of a run', () => {
  it('groups each scenario, labels base and head, keeps rounds and decisions outside', () => {
    const { log, lines } = recordingLog();
    const progress = progressLog(log, { alpha: 0.01, minEffect: 0.03 });
    progress({ type: 'round', round: 1, rounds: 2, scenarios: 1 });
    progress({ type: 'scenario', scenario: 'search', index: 1, total: 1 });
    progress({ type: 'warmup', scenario: 'search', seconds: 1, side: 'base' });
    progress(trial('base', 1));
    progress(trial('head', 1));
    progress({ type: 'round', round: 2, rounds: 2, scenarios: 1 });
    progress({ type: 'scenario', scenario: 'search', index: 1, total: 1 });
    progress({
      type: 'scenario-failed',
      scenario: 'search',
      message: 'setup failed',
      side: 'head',
    });
    progress.close();
    progress.close();
    const shown = lines.map((l) => l.replace(/\(\d+ s elapsed.*\)$/, '(…)'));
    expect(shown).toEqual([
      'loadgate: round 1 of 2: 1 scenario (…)',
      '::group::loadgate: [1/1] search, round 1/2 (…)',
      'search: base warm-up 1 s',
      'search: base trial 1/4  100 req/s  p95 2.00 ms  errors 0 %',
      'search: head trial 1/4  100 req/s  p95 2.00 ms  errors 0 %',
      '::endgroup::',
      'loadgate: round 2 of 2: 1 scenario (…)',
      '::group::loadgate: [1/1] search, round 2/2 (…)',
      'loadgate: search head: FAILED: setup failed',
      'warning: search (head): setup failed',
      '::endgroup::',
    ]);
  });

  it('without groups, the scenario line is a plain line', () => {
    const { log, lines } = recordingLog(false);
    const progress = progressLog(log, { alpha: 0.05, minEffect: 0.1 });
    progress({ type: 'scenario', scenario: 'list', index: 2, total: 3 });
    progress.close();
    expect(lines).toEqual([expect.stringMatching(/^loadgate: \[2\/3\] list \(0 s elapsed\)$/)]);
  });
});
