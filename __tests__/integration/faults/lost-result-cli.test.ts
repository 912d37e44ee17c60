/**
 * Faults that lost a result in the CLI, each injected for real (the CLI from source against a
 * small service that is not the admin API, `preset: none`, trials of 0.3 s):
 *
 * - the service crashes in the second scenario: the first one's result is kept, marked partial
 *   (a single run and an A/B run);
 * - SIGTERM mid-run: the same, with the signal as the reason, exit 143;
 * - the result file cannot be written (a part of its path is a file): exit 2 naming the path and
 *   the file the result was kept in instead, not exit 4 with a stack trace;
 * - `gate --report` into an unwritable path: exit 2 naming it, the result written first;
 * - `calibrate` whose run B cannot start: run A is kept beside the baseline and named.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import { freePort, newMarker, processesWithMarker, runCli } from '../cli/helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures/tiny-api.mjs');
const markers: string[] = [];

afterEach(() => {
  for (const m of markers.splice(0)) {
    for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  }
});

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'lg-lost-'));
}

/** A scenarios file: `first` hits /ok, `second` hits `secondPath`. */
function config(dir: string, secondPath: string, secondSeconds = 0.3): string {
  const path = join(dir, 'loadgate.yml');
  writeFileSync(
    path,
    [
      'preset: none',
      'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0, connections: 2 }',
      'scenarios:',
      '  - { name: first, requests: [{ name: ok, path: /ok }] }',
      `  - { name: second, trialSeconds: ${secondSeconds}, requests: [{ name: it, path: ${secondPath} }] }`,
      '',
    ].join('\n'),
  );
  return path;
}

async function serviceArgs(startPrefix = ''): Promise<string[]> {
  const port = await freePort();
  const marker = newMarker();
  markers.push(marker);
  return [
    '--start',
    `${startPrefix}exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node ${FIXTURE}`,
    '--base-url',
    `http://127.0.0.1:${port}`,
    '--ready-timeout',
    '20',
  ];
}

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RunResult;

describe('the CLI never loses a result', () => {
  it('a crash in the second scenario keeps the first, marked partial (exit 3)', async () => {
    const dir = workDir();
    const out = join(dir, 'result.json');
    const run = await runCli([
      'run',
      ...(await serviceArgs()),
      '--config',
      config(dir, '/crash'),
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/crashed|exited/);
    expect(run.stderr).toContain(`partial result (1 of 2 scenarios finished) kept in ${out}`);
    const result = read(out);
    expect(result.scenarios.map((s) => s.name)).toEqual(['first']);
    expect(result.scenarios[0]!.trials).toHaveLength(1);
    expect(result.partial).toMatchObject({ completed: 1, planned: 2 });
    expect(result.partial?.reason).toMatch(/service/);
  });

  it('ab: a crash in the second scenario keeps both sides of the first, marked partial', async () => {
    const dir = workDir();
    const out = join(dir, 'ab.json');
    const marker = newMarker();
    markers.push(marker);
    const run = await runCli([
      'ab',
      '--start',
      `exec env LOADGATE_TEST_MARKER=${marker} node ${FIXTURE}`,
      '--base-cwd',
      dir,
      '--cwd',
      dir,
      '--config',
      config(dir, '/crash'),
      '--out',
      out,
      '--rounds',
      '1',
      '--trials',
      '1',
      '--trial-seconds',
      '0.3',
      '--warmup',
      '0',
      // One round: the first scenario is finished before the second starts (with a budget it
      // would still be undecided, and so not finished, when the second crashes).
      '--rounds',
      '1',
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`partial result (1 of 2 scenarios finished) kept in ${out}`);
    const result = read(out);
    expect(result.scenarios.map((s) => s.name)).toEqual(['first']);
    expect(result.ab?.base.scenarios.map((s) => s.name)).toEqual(['first']);
    expect(result.partial).toMatchObject({ completed: 1, planned: 2 });
  });

  it('SIGTERM mid-run keeps what finished (exit 143)', async () => {
    const dir = workDir();
    const out = join(dir, 'result.json');
    let sent = false;
    const run = await runCli(
      ['run', ...(await serviceArgs()), '--config', config(dir, '/ok', 30), '--out', out],
      {
        // The first scenario's trial is printed; its partial result follows at once.
        onStderr: (text, child) => {
          if (!sent && /first: trial 1\/1/.test(text)) {
            sent = true;
            const poll = setInterval(() => {
              if (existsSync(out)) {
                clearInterval(poll);
                child.kill('SIGTERM');
              }
            }, 20);
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(143);
    const result = read(out);
    expect(result.scenarios.map((s) => s.name)).toEqual(['first']);
    expect(result.partial).toEqual({ completed: 1, planned: 2, reason: 'stopped by SIGTERM' });
    expect(run.stderr).toContain(`partial result (1 of 2 scenarios finished) kept in ${out}`);
  });

  it('a result path that cannot be written: exit 2 naming it, the result kept elsewhere', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'blocker'), 'a file, not a folder');
    const out = join(dir, 'blocker', 'result.json');
    const run = await runCli([
      'run',
      ...(await serviceArgs()),
      '--config',
      config(dir, '/ok'),
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
    const m =
      /cannot write the result to (\S+): (.+)\. The result was kept in (\S+) instead\./.exec(
        run.stderr,
      );
    expect(m, run.stderr).not.toBeNull();
    expect(m![1]).toBe(out);
    expect(m![2]).toMatch(/ENOTDIR|EEXIST/);
    const kept = read(m![3]!);
    expect(kept.scenarios.map((s) => s.name)).toEqual(['first', 'second']);
    expect(kept.partial).toBeUndefined();
  });

  it('gate: a report path that cannot be written exits 2 naming it; the result is there', async () => {
    const dir = workDir();
    writeFileSync(join(dir, 'blocker'), 'x');
    const out = join(dir, 'result.json');
    const run = await runCli([
      'gate',
      ...(await serviceArgs()),
      '--config',
      config(dir, '/ok'),
      '--baseline',
      join(dir, 'none.json'),
      '--out',
      out,
      '--report',
      join(dir, 'blocker', 'report.md'),
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/loadgate: cannot write \S*blocker\S*: .*\((ENOTDIR|EEXIST)\)/);
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(read(out).scenarios).toHaveLength(2);
  });

  it('calibrate: run B failing keeps run A beside the baseline, named', async () => {
    const dir = workDir();
    const out = join(dir, 'baselines', 'loadgate-baseline.json');
    const once = join(dir, 'started-once');
    // The service starts once; the second start (run B) fails.
    const run = await runCli([
      'calibrate',
      ...(await serviceArgs(
        `test -e ${once} && { echo 'database gone' >&2; exit 1; }; touch ${once}; `,
      )),
      '--config',
      config(dir, '/ok'),
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(3);
    const runA = join(dir, 'baselines', 'loadgate-baseline.run-a.json');
    expect(run.stderr).toContain(`run A is kept complete in ${runA}`);
    expect(existsSync(out)).toBe(false);
    const a = read(runA);
    expect(a.scenarios.map((s) => s.name)).toEqual(['first', 'second']);
    expect(a.partial).toBeUndefined();
  });
});
