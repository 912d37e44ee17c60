import { describe, expect, it } from 'vitest';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import { parseAbArgs, parseCompareArgs, parseGateArgs } from '../../../src/cli/main.js';
import { compareCommand } from '../../../src/commands/compare.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../../../src/judge/options.js';

/** The message a parser throws, without its field name (`input alpha` / `--alpha`). */
function messageOf(parse: () => unknown, field: string): string {
  try {
    parse();
  } catch (error) {
    const message = (error as Error).message;
    expect(message.startsWith(`${field}: `), message).toBe(true);
    return message.slice(field.length);
  }
  throw new Error(`${field}: expected an error`);
}

const BAD: [option: 'alpha' | 'min-effect' | 'fail-on', value: string][] = [
  ['alpha', '0.9'],
  ['alpha', 'abc'],
  ['alpha', '0'],
  ['min-effect', '100%'],
  ['min-effect', '-0.1'],
  ['min-effect', 'ten'],
  ['fail-on', 'latency'],
  ['fail-on', 'none,sla'],
  ['fail-on', ',,'],
];

describe('one parser for alpha, min-effect and fail-on', () => {
  it.each(BAD)(
    '%s %j: the action input and the CLI flag give the same message',
    (option, value) => {
      const action = messageOf(
        () => parseInputs((name: InputName) => (name === option ? value : ''), { cwd: '/repo' }),
        `input ${option}`,
      );
      const gate = messageOf(() => parseGateArgs([`--${option}=${value}`], {}), `--${option}`);
      expect(gate).toBe(action);
    },
  );

  it('compare reports the same message as gate', async () => {
    const out = await compareCommand({ baseline: 'b.json', current: 'c.json', alpha: '0.9' });
    expect(out.exitCode).toBe(2);
    expect(out.terminal).toBe(
      'loadgate compare: --alpha: expected a significance level above 0 and at most 0.5 (e.g. 0.05), got "0.9"',
    );
    expect(
      parseCompareArgs(['--baseline', 'b', '--current', 'c', '--fail-on', 'sla regression']),
    ).toMatchObject({ failOn: 'sla regression' });
  });

  it('accepts the same good values everywhere: shares, percentages, spaces or commas', () => {
    const cli = parseJudgeOptions(
      { alpha: '0.01', minEffect: '15%', failOn: 'sla regression' },
      CLI_JUDGE_FIELDS,
    );
    expect(cli).toEqual({ alpha: 0.01, minEffect: 0.15, failOn: new Set(['sla', 'regression']) });
    const gate = parseGateArgs(
      ['--alpha', '0.01', '--min-effect', '15%', '--fail-on', 'sla, regression'],
      {},
    );
    expect(gate.options).toMatchObject({ alpha: 0.01, minEffect: 0.15 });
    expect([...gate.options.failOn]).toEqual(['sla', 'regression']);
    const action = parseInputs(
      (name: InputName) =>
        ({ alpha: '0.01', 'min-effect': '15%', 'fail-on': 'sla regression' })[name as string] ?? '',
      { cwd: '/repo' },
    );
    expect(action.judge).toEqual(cli);
  });

  it('defaults: α 0.05 and 10 % against a stored baseline, α 0.01 and 3 % side by side', () => {
    expect(parseGateArgs([], {}).options).toMatchObject({ alpha: 0.05, minEffect: 0.1 });
    const ab = (extra: string[]) =>
      parseAbArgs(['--base-cwd', 'base', '--start', 'node server.js', ...extra], {}).options;
    expect(ab([])).toMatchObject({ alpha: 0.01, minEffect: 0.03 });
    expect(ab(['--alpha', '0.05'])).toMatchObject({ alpha: 0.05, minEffect: 0.03 });
  });

  it('a stored baseline marks the defaults it took (against a history: α 0.01 and 5 %), in the CLI and the action alike', () => {
    expect(parseGateArgs([], {}).options).toMatchObject({
      alphaIsDefault: true,
      minEffectIsDefault: true,
    });
    const given = parseGateArgs(['--alpha', '0.05', '--min-effect', '10%'], {}).options;
    expect(given.alphaIsDefault).toBeUndefined();
    expect(given.minEffectIsDefault).toBeUndefined();
    const ab = parseAbArgs(['--base-cwd', 'base', '--start', 'node server.js'], {}).options;
    expect(ab.alphaIsDefault).toBeUndefined();
    expect(ab.minEffectIsDefault).toBeUndefined();
    expect(parseJudgeOptions({ alpha: '0.01' }, CLI_JUDGE_FIELDS)).toMatchObject({
      alpha: 0.01,
      minEffectIsDefault: true,
    });
  });
});
