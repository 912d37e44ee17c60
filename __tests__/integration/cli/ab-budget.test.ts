/**
 * `loadgate ab` with a time budget (issue: enough evidence): a scenario made noisy on purpose
 * (same code on both sides, each process drawing its own cost of get) gets more rounds than a
 * quiet one, and passes. This asserts what was measured, so it runs in the measuring group
 * (vitest.config.ts).
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { abRun as ab, config, start } from './ab-helpers.js';
import { newMarker } from './helpers.js';

describe('loadgate ab with a budget', () => {
  it('with a budget, a scenario made noisy on purpose (same code) gets more rounds than a quiet one, and passes', async () => {
    const marker = newMarker();
    // Each process draws its own cost of get (up to 0.3 ms more): noise from round to round.
    const noise = 'jitter-get:0.3ms';
    const { run, scenario } = await ab(
      'noisy',
      [
        '--start',
        start(marker, `node ${BUNDLED.example}`, noise, noise),
        '--config',
        config('noisy', ['list-admins', 'get-admin']),
        '--budget',
        '40s',
        '--min-effect',
        '0.4',
      ],
      marker,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(scenario('list-admins')?.budget?.decided).toBe('within');
    const quiet = scenario('list-admins')?.budget?.rounds ?? 0;
    const noisy = scenario('get-admin')?.budget?.rounds ?? 0;
    expect(quiet).toBeGreaterThanOrEqual(3);
    expect(noisy).toBeGreaterThan(quiet);
    expect(scenario('get-admin')?.status).not.toBe('regression');
  });
});
