/**
 * The action and the CLI are two front ends of one engine: the same request, named each one's
 * way, must build the same plan and judge it the same way. The action once ran the stored mode's
 * timing with `baseline: base-commit` (8 pairs in 4 rounds) while `loadgate ab` ran 14 pairs in 7;
 * this holds them together for each mode and a few profiles.
 */
import { describe, expect, it } from 'vitest';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import { abRunSettingsOf, runSettingsOf } from '../../../src/action/run-settings.js';
import { parseAbArgs, parseGateArgs } from '../../../src/cli/args.js';
import { modeDefaults } from '../../../src/config/mode.js';
import { summarizePlan } from '../../../src/config/plan.js';
import type { JudgeOptions } from '../../../src/judge/types.js';
import { planLine } from '../../../src/report/plan-line.js';
import { prepareAbPlan } from '../../../src/run/ab-run.js';
import { preparePlan } from '../../../src/run/execute.js';

const REPO = '/repo';
const BASE = '/tmp/base-worktree';

function actionInputs(values: Partial<Record<InputName, string>>) {
  return parseInputs((name) => values[name] ?? '', { workspace: REPO, cwd: REPO });
}

function judgedSame(action: JudgeOptions, cli: JudgeOptions): void {
  expect(action.alpha).toBe(cli.alpha);
  expect(action.minEffect).toBe(cli.minEffect);
  expect([...action.failOn].sort()).toEqual([...cli.failOn].sort());
  expect(action.alphaIsDefault).toBe(cli.alphaIsDefault);
  expect(action.minEffectIsDefault).toBe(cli.minEffectIsDefault);
}

const PROFILES = ['pr', 'load', 'stress', 'full'];

describe('baseline: base-commit and loadgate ab', () => {
  async function both(profile: string, action: Partial<Record<InputName, string>>, cli: string[]) {
    const inputs = actionInputs({
      baseline: 'base-commit',
      'start-command': 'npm start',
      profile,
      ...action,
    });
    const fromAction = abRunSettingsOf(inputs, runSettingsOf(inputs), { cwd: BASE }, REPO);
    const fromCli = parseAbArgs(
      ['--start', 'npm start', '--cwd', REPO, '--base-cwd', BASE, '--profile', profile, ...cli],
      {},
    );
    return {
      action: {
        settings: fromAction,
        judge: inputs.judge,
        ...(await prepareAbPlan(fromAction, 1)),
      },
      cli: { ...fromCli, judge: fromCli.options, ...(await prepareAbPlan(fromCli.settings, 1)) },
    };
  }

  it.each(PROFILES)('profile %s: the same plan, rounds, schedule and judge', async (profile) => {
    const { action, cli } = await both(profile, {}, []);
    expect(action.plan).toEqual(cli.plan);
    expect(action.rounds).toEqual(cli.rounds);
    expect(action.settings.schedule).toBe(cli.settings.schedule);
    expect(action.settings.serviceCpus).toBe(cli.settings.serviceCpus);
    judgedSame(action.judge, cli.judge);
    expect(planLine(summarizePlan(action.plan, 'ab', action.rounds), action.judge)).toBe(
      planLine(summarizePlan(cli.plan, 'ab', cli.rounds), cli.judge),
    );
  });

  it('the A/B defaults, whoever asks: rounds of 2 pairs of 1 s trials until decided within 5 min, α 0.01, 3 %', async () => {
    const { action } = await both('pr', {}, []);
    const load = action.plan.scenarios.filter((s) => s.kind === 'load');
    expect(load.length).toBeGreaterThan(0);
    for (const s of load) {
      expect(s.trialSeconds).toBe(modeDefaults('ab').timing.trialSeconds);
      expect(s.warmupSeconds).toBe(modeDefaults('ab').timing.warmupSeconds);
    }
    expect(action.rounds).toEqual({ budgetSeconds: 300, pairsPerRound: 2 });
    expect(action.judge.alpha).toBe(0.01);
    expect(planLine(summarizePlan(action.plan, 'ab', action.rounds), action.judge)).toBe(
      'plan: base and head side by side, 7 scenarios, rounds of 2 pairs of trials of 1 s and a pair at a steady rate until each scenario is decided, within 5 min, 1 s warm-up, α 0.01, min effect 3 %',
    );
  });

  it('a budget named either way is the same budget', async () => {
    const { action, cli } = await both('pr', { budget: '2m30s' }, ['--budget', '150']);
    expect(action.rounds).toEqual({ budgetSeconds: 150, pairsPerRound: 2 });
    expect(cli.rounds).toEqual(action.rounds);
    expect(action.settings.judged).toEqual(cli.settings.judged);
  });

  it('what one names, the other names too: rounds, schedule, CPUs, alpha, min effect, fail-on', async () => {
    const { action, cli } = await both(
      'pr',
      {
        'ab-rounds': '3',
        'ab-schedule': 'interleaved',
        'service-cpus': '1',
        alpha: '0.05',
        'min-effect': '5%',
        'fail-on': 'sla',
      },
      [
        '--rounds',
        '3',
        '--schedule',
        'interleaved',
        '--service-cpus',
        '1',
        '--alpha',
        '0.05',
        '--min-effect',
        '5%',
        '--fail-on',
        'sla',
      ],
    );
    expect(action.plan).toEqual(cli.plan);
    expect(action.rounds).toEqual({ fixed: 3 });
    expect(cli.rounds).toEqual({ fixed: 3 });
    expect(action.settings.schedule).toBe('interleaved');
    expect(cli.settings.schedule).toBe('interleaved');
    expect(action.settings.serviceCpus).toBe(cli.settings.serviceCpus);
    judgedSame(action.judge, cli.judge);
  });

  it('the CPU profile switch: auto by default, either name sets the other, a bad value named', async () => {
    const byDefault = await both('pr', {}, []);
    expect(byDefault.action.settings.cpuProfile?.mode).toBe('auto');
    expect(byDefault.cli.settings.cpuProfile?.mode).toBe('auto');
    for (const mode of ['always', 'off'] as const) {
      const { action, cli } = await both('pr', { 'cpu-profile': mode }, ['--cpu-profile', mode]);
      expect(action.settings.cpuProfile?.mode).toBe(mode);
      expect(cli.settings.cpuProfile?.mode).toBe(mode);
    }
    expect(() =>
      actionInputs({
        baseline: 'base-commit',
        'start-command': 'npm start',
        'cpu-profile': 'sometimes',
      }),
    ).toThrow(/input cpu-profile: expected "auto".*"always" or "off", got "sometimes"/);
    expect(() =>
      parseAbArgs(['--start', 'x', '--base-cwd', BASE, '--cpu-profile', 'yes'], {}),
    ).toThrow(/--cpu-profile: expected "auto".*"always" or "off", got "yes"/);
  });
});

describe('a stored baseline and loadgate gate', () => {
  it.each(PROFILES)('profile %s: the same plan and judge', async (profile) => {
    const inputs = actionInputs({ 'start-command': 'npm start', profile });
    const cli = parseGateArgs(['--start', 'npm start', '--cwd', REPO, '--profile', profile], {});
    const actionPlan = await preparePlan(runSettingsOf(inputs));
    const cliPlan = await preparePlan(cli.settings);
    expect(actionPlan).toEqual(cliPlan);
    judgedSame(inputs.judge, cli.options);
    const load = actionPlan.scenarios.filter((s) => s.kind === 'load');
    for (const s of load) expect(s.trials).toBe(modeDefaults('single').timing.trials);
    expect(planLine(summarizePlan(actionPlan, 'single'), inputs.judge)).toBe(
      planLine(summarizePlan(cliPlan, 'single'), cli.options),
    );
  });
});
