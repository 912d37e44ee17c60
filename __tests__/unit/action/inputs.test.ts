import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, parseInputs } from '../../../src/action/inputs.js';
import type { InputName } from '../../../src/action/inputs.js';
import { OUTPUT_NAMES } from '../../../src/action/run-action.js';

const ROOT = join(import.meta.dirname, '../../..');

function inputs(values: Partial<Record<InputName, string>>, workspace = '/repo') {
  return parseInputs((name) => values[name] ?? '', { workspace, cwd: '/repo' });
}

describe('action.yml', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };

  it('declares exactly the inputs the parser reads, with the same defaults, each documented', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.keys(INPUT_DEFAULTS).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(String(spec.default ?? ''), name).toBe(INPUT_DEFAULTS[name as InputName]);
      expect(spec.description, name).toMatch(/Default/);
    }
  });

  it('declares the outputs the action sets and runs dist/index.js on node24', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});

describe('parseInputs', () => {
  it('applies the defaults', () => {
    const i = inputs({});
    expect(i).toMatchObject({
      start: undefined,
      cwd: '/repo',
      baseUrl: 'http://127.0.0.1:8000',
      readyTimeoutSeconds: 60,
      profile: 'pr',
      baseline: { kind: 'artifact' },
      baselineArtifact: 'loadgate-baseline',
      saveBaseline: 'auto',
      comment: 'always',
      githubToken: undefined,
    });
    expect(i.judge.alpha).toBe(0.05);
    expect(i.judge.minEffect).toBe(0.1);
    expect([...i.judge.failOn].sort()).toEqual(['regression', 'sla']);
  });

  it('reads every input', () => {
    const i = inputs({
      'start-command': 'npm start',
      'working-directory': 'services/api',
      'base-url': 'http://127.0.0.1:9000/',
      'ready-url': 'http://127.0.0.1:9000/ready',
      'ready-timeout': '12.5',
      'auth-token': 'tok',
      config: 'loadgate.yml',
      profile: 'pr,load',
      baseline: 'baselines/main.json',
      'baseline-artifact': 'perf-base',
      'save-baseline': 'TRUE',
      'fail-on': 'regression',
      comment: 'on-change',
      alpha: '0.01',
      'min-effect': '15%',
      'postgres-url': 'postgres://u:p@127.0.0.1:5432/db',
      'redis-url': 'redis://127.0.0.1:6379',
      'github-token': 'ghs_x',
    });
    expect(i).toMatchObject({
      start: 'npm start',
      cwd: '/repo/services/api',
      baseUrl: 'http://127.0.0.1:9000',
      readyUrl: 'http://127.0.0.1:9000/ready',
      readyTimeoutSeconds: 12.5,
      authToken: 'tok',
      config: 'loadgate.yml',
      profile: 'pr,load',
      baseline: {
        kind: 'file',
        path: '/repo/services/api/baselines/main.json',
        display: 'baselines/main.json',
      },
      baselineArtifact: 'perf-base',
      saveBaseline: 'true',
      comment: 'on-change',
      githubToken: 'ghs_x',
    });
    expect(i.judge).toEqual({ alpha: 0.01, minEffect: 0.15, failOn: new Set(['regression']) });
  });

  it('comment takes on-failure beside always, on-change and never', () => {
    for (const mode of ['always', 'on-change', 'on-failure', 'never'] as const) {
      expect(inputs({ comment: mode }).comment).toBe(mode);
    }
    expect(inputs({ comment: 'On-Failure' }).comment).toBe('on-failure');
  });

  it('fail-on none reports only', () => {
    expect(inputs({ 'fail-on': 'none' }).judge.failOn.size).toBe(0);
    expect([...inputs({ 'fail-on': 'sla, regression' }).judge.failOn]).toEqual([
      'sla',
      'regression',
    ]);
  });

  it.each<[Partial<Record<InputName, string>>, string]>([
    [
      { 'ready-timeout': '0' },
      'input ready-timeout: expected a positive number of seconds (e.g. 60), got "0"',
    ],
    [
      { 'ready-timeout': '1m' },
      'input ready-timeout: expected a positive number of seconds (e.g. 60), got "1m"',
    ],
    [
      { 'base-url': 'localhost:8000' },
      'input base-url: expected an http:// or https:// URL (e.g. http://127.0.0.1:8000), got "localhost:8000"',
    ],
    [{ 'ready-url': 'ftp://x' }, 'input ready-url: expected an http:// or https:// URL'],
    [
      { baseline: '../elsewhere/main.json' },
      'input baseline: expected "base-commit", "artifact", "none" or the path of a result file inside the repository (/repo), got "../elsewhere/main.json"',
    ],
    [{ 'baseline-artifact': 'a/b' }, 'input baseline-artifact: expected an artifact name'],
    [
      { 'save-baseline': 'yes' },
      'input save-baseline: expected "auto", "true" or "false", got "yes"',
    ],
    [
      { 'fail-on': 'latency' },
      'input fail-on: expected "sla", "regression", "undecided" (several comma-separated, e.g. "sla,regression") or "none", got "latency"',
    ],
    [{ 'fail-on': 'none,sla' }, 'input fail-on: expected "none" alone'],
    [
      { comment: 'sometimes' },
      'input comment: expected "always", "on-change", "on-failure" or "never", got "sometimes"',
    ],
    [
      { alpha: '0.9' },
      'input alpha: expected a significance level above 0 and at most 0.5 (e.g. 0.05), got "0.9"',
    ],
    [{ alpha: 'abc' }, 'input alpha: expected a significance level'],
    [
      { 'min-effect': '100%' },
      'input min-effect: expected a share from 0 to below 1, e.g. 0.10 or 10%, got "100%"',
    ],
    [
      { 'postgres-url': 'mysql://u:secret@db/x' },
      'input postgres-url: expected a postgres:// or postgresql:// URL, got "mysql://***@db/x"',
    ],
    [{ 'redis-url': 'http://x' }, 'input redis-url: expected a redis:// or rediss:// URL'],
    [{ profile: 'pr;rm -rf' }, 'input profile: expected a profile name'],
  ])('rejects %o naming the input', (values, message) => {
    expect(() => inputs(values)).toThrow(message);
  });

  it('accepts a baseline path anywhere without a workspace (local runs)', () => {
    const i = parseInputs((n) => (n === 'baseline' ? '/tmp/b.json' : ''), { cwd: '/x' });
    expect(i.baseline).toEqual({ kind: 'file', path: '/tmp/b.json', display: '/tmp/b.json' });
  });

  it('base-commit: both sides started by loadgate, each on its own {port}, α 0.01, min effect 3 %', () => {
    const i = inputs({
      baseline: 'base-commit',
      'start-command': 'npm start',
      'setup-command': 'npm ci',
      'base-ref': 'main',
      'postgres-url': 'postgres://u:p@127.0.0.1:5432/app_{side}',
    });
    expect(i.baseline).toEqual({ kind: 'base-commit' });
    expect(i.baseUrl).toBe('http://127.0.0.1:{port}');
    expect(i.setupCommand).toBe('npm ci');
    expect(i.baseRef).toBe('main');
    expect(i.abSchedule).toBeUndefined(); // auto: duet where the services can be pinned
    expect(i.serviceCpus).toBeUndefined();
    expect(i.abRounds).toBeUndefined(); // auto: rounds of two pairs
    expect(i.judge.minEffect).toBe(0.03);
    expect(i.judge.alpha).toBe(0.01);
    expect(i.postgresUrl).toBe('postgres://u:p@127.0.0.1:5432/app_{side}');
    // Against a stored baseline the defaults stay as they were.
    const stored = inputs({});
    expect(stored.baseUrl).toBe('http://127.0.0.1:8000');
    expect(stored.judge.minEffect).toBe(0.1);
    expect(stored.judge.alpha).toBe(0.05);
    const chosen = inputs({
      baseline: 'base-commit',
      'start-command': 'x',
      'min-effect': '5%',
      alpha: '0.05',
    }).judge;
    expect([chosen.minEffect, chosen.alpha]).toEqual([0.05, 0.05]);
  });

  it('base-commit: interleaved pairs and the CPUs of the services on request', () => {
    const i = inputs({
      baseline: 'base-commit',
      'start-command': 'x',
      'ab-schedule': 'interleaved',
      'service-cpus': '1',
      'ab-rounds': '3',
    });
    expect(i.abSchedule).toBe('interleaved');
    expect(i.serviceCpus).toBe('1');
    expect(i.abRounds).toBe(3);
  });

  it.each([
    [
      { baseline: 'base-commit' },
      'input start-command: expected the command that starts the service',
    ],
    [
      { baseline: 'base-commit', 'start-command': 'x', 'base-url': 'http://127.0.0.1:8000' },
      'input base-url: "http://127.0.0.1:8000" has no {port}',
    ],
    [
      { baseline: 'base-commit', 'start-command': 'x', 'base-url': 'localhost:{port}' },
      'input base-url: expected an http:// or https:// URL',
    ],
    [
      { baseline: 'base-commit', 'start-command': 'x', 'ab-schedule': 'together' },
      'input ab-schedule: expected "auto", "duet" or "interleaved", got "together"',
    ],
    [
      { baseline: 'base-commit', 'start-command': 'x', 'ab-rounds': 'many' },
      'input ab-rounds: expected "auto" or a whole number from 1 to 50, got "many"',
    ],
    [
      { baseline: 'base-commit', 'start-command': 'x', 'service-cpus': '1,two' },
      'input service-cpus: expected a CPU list for taskset like "1" or "2-3", got "1,two"',
    ],
  ])('base-commit rejects %o naming the input', (values, message) => {
    expect(() => inputs(values)).toThrow(message);
  });
});

describe('the security inputs', () => {
  it('reads log-tail on or off', () => {
    expect(inputs({}).logTail).toBe('on');
    expect(inputs({ 'log-tail': 'OFF' }).logTail).toBe('off');
    expect(() => inputs({ 'log-tail': 'quiet' })).toThrow(
      /input log-tail: expected "on" or "off", got "quiet"/,
    );
  });

  it('reads secret-variables as names, comma- or newline-separated', () => {
    expect(inputs({}).secretVariables).toEqual([]);
    expect(
      inputs({ 'secret-variables': 'STRIPE_SK, DATABASE_CONN\n_X1\n' }).secretVariables,
    ).toEqual(['STRIPE_SK', 'DATABASE_CONN', '_X1']);
    expect(() => inputs({ 'secret-variables': 'OK, $NOPE' })).toThrow(
      /input secret-variables: expected environment variable names .* got "\$NOPE"/,
    );
  });
});
