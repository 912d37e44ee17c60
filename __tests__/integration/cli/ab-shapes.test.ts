/**
 * `loadgate ab` against the three shapes a regression takes (issue: what a user feels): a request
 * that waits longer on a threaded Python service, one that burns more CPU and one that makes more
 * garbage on the Node one. Each fault is on the head only, in one operation: the scenario that
 * calls it is flagged, the one that does not is not. These assert what was measured, so the file
 * runs in the measuring group (vitest.config.ts); the rounds are the fewest that decide these
 * faults.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { abRun as ab, config, start } from './ab-helpers.js';
import { newMarker } from './helpers.js';

// Six rounds of two pairs of 0.3 s trials and a steady pair: enough for these faults, judged once
// at the end (the budget's rounds until decided have their own test: ab-budget.test.ts).
const FIXED = ['--rounds', '6', '--trials', '12'];

describe('loadgate ab, three shapes of regression', () => {
  it('a threaded Python service whose search waits 2 ms more: search-admins is a regression, list-admins is not', async () => {
    const marker = newMarker();
    const { run, result, scenario, regressed } = await ab(
      'python-wait',
      [
        '--start',
        start(marker, 'python3 examples/admin-service-python/admin_service.py', 'slow-search:2ms'),
        '--config',
        config('python-wait', ['list-admins', 'search-admins']),
        ...FIXED,
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(scenario('search-admins')?.status).toBe('regression');
    // Waiting shows in the median and in latency at a steady rate, not in the saturated tails.
    expect(
      regressed('search-admins').some((m) => ['p50', 'steadyP50', 'steadyP95'].includes(m)),
    ).toBe(true);
    expect(scenario('list-admins')?.status).not.toBe('regression');
    expect(result.ab.rounds).toBe(6);
  });

  it('the Node service with search burning CPU and get making garbage: both flagged, list is not', async () => {
    const marker = newMarker();
    const { run, result, scenario, regressed } = await ab(
      'node-cpu-alloc',
      [
        '--start',
        start(marker, `node ${BUNDLED.example}`, 'busy-search:0.3ms,alloc-get:1024kb'),
        '--config',
        config('node-cpu-alloc', ['list-admins', 'search-admins', 'get-admin']),
        ...FIXED,
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(scenario('search-admins')?.status).toBe('regression');
    // The cost of a request is what a CPU-bound change moves directly.
    expect(regressed('search-admins')).toContain('cpuPerRequest');
    expect(scenario('get-admin')?.status).toBe('regression');
    expect(scenario('list-admins')?.status).not.toBe('regression');
    const search = result.scenarios.find((s) => s.name === 'search-admins');
    expect(search?.trials.every((t) => (t.metrics.cpuPerRequest ?? 0) > 0)).toBe(true);
  });
});
