/**
 * Which scenarios the CPU profile round measures (run/ab-run.ts): with `auto`, those the judged
 * rounds found regressed, judged as the gate judges them; with `always`, every load scenario
 * that finished; with `off`, none. And the round's time counted in a budget's time spent.
 */
import { describe, expect, it } from 'vitest';
import { scenariosToProfile, withProfile } from '../../../src/run/ab-run.js';
import { noProfileNote } from '../../../src/run/profile-round.js';
import type { ProfileSection, RunResult } from '../../../src/result/types.js';
import { abRun, demoScenarios } from '../helpers/ab-runs.js';

const JUDGED = { alpha: 0.01, minEffect: 0.03 };

function planOf(run: RunResult) {
  return [
    ...run.scenarios.map((s) => ({ name: s.name, kind: s.kind })),
    { name: 'spike-search', kind: 'spike' as const },
  ];
}

describe('the scenarios a CPU profile round measures', () => {
  const slowSearch = abRun(demoScenarios({ 'search-admins': { search: 3 } }));
  const same = abRun(demoScenarios());

  it('auto: the regressed scenarios only; none when nothing regressed', () => {
    expect(
      scenariosToProfile(slowSearch, planOf(slowSearch), 'auto', JUDGED).map((s) => s.name),
    ).toEqual(['search-admins']);
    expect(scenariosToProfile(same, planOf(same), 'auto', JUDGED)).toEqual([]);
  });

  it('always: every load scenario that finished; off: none', () => {
    const failed: RunResult = {
      ...same,
      scenarios: same.scenarios.map((s) =>
        s.name === 'get-admin' ? { ...s, failure: 'the service crashed' } : s,
      ),
    };
    const always = scenariosToProfile(failed, planOf(failed), 'always', JUDGED).map((s) => s.name);
    expect(always).toEqual(same.scenarios.map((s) => s.name).filter((n) => n !== 'get-admin'));
    expect(scenariosToProfile(slowSearch, planOf(slowSearch), 'off', JUDGED)).toEqual([]);
  });

  it('counts the round in the budget’s time spent, and keeps the section', () => {
    const profile: ProfileSection = { mode: 'auto', seconds: 7.5, intervalUs: 200, scenarios: [] };
    const budgeted: RunResult = {
      ...same,
      ab: {
        ...same.ab!,
        sequential: {
          budgetSeconds: 300,
          maxRounds: 30,
          familySize: 8,
          looks: {},
          finalLook: [],
          decided: {},
          spentSeconds: 100,
          scenarioSeconds: {},
        },
      },
    };
    const after = withProfile(budgeted, profile);
    expect(after.ab?.sequential?.spentSeconds).toBe(107.5);
    expect(after.ab?.profile).toEqual(profile);
    expect(withProfile(same, profile).ab?.sequential).toBeUndefined();
  });
});

describe('why a scenario has no profile comparison', () => {
  it('names the side that wrote none, or says profiling needs Node when neither did', () => {
    expect(noProfileNote(['head'], [])).toMatch(
      /^no CPU profile of the head: its service wrote none, so there is nothing to compare\. A Node service writes its profile when it exits on SIGTERM; one killed by a signal/,
    );
    expect(noProfileNote(['base', 'head'], [])).toMatch(
      /^no CPU profile: neither service wrote one\. Profiling needs a Node service: V8's profiler, preloaded through NODE_OPTIONS/,
    );
    expect(noProfileNote(['base'], ['CPU.1.0.cpuprofile: not a CPU profile: …'])).toBe(
      'no CPU profile of the base: its profile could not be read (CPU.1.0.cpuprofile: not a CPU profile: …), so there is nothing to compare.',
    );
  });
});
