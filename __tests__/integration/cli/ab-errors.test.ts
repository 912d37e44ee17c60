/**
 * `loadgate ab` on errors and signals: a side that crashes, SIGTERM, a service that ignores PORT,
 * bad options. Nothing here depends on what the load measures, so it may share the machine.
 */
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abArgs, abScenarioFiles, QUICK, sideOf } from './ab-helpers.js';
import { eventually, newMarker, processesWithMarker, ROOT, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-ab-errors-'));
const { config } = abScenarioFiles(dir);

/** `loadgate ab` with a start command that never runs: the options are refused before it. */
function refusedAb(...options: string[]) {
  return runCli(['ab', '--base-cwd', ROOT, '--start', 'node -e 0', ...options]);
}

describe('loadgate ab on errors and signals', () => {
  it('a crash of the base side mid-run ends the run (exit 3) and stops the head too', async () => {
    const marker = newMarker();
    let killed = false;
    const run = await runCli(
      abArgs(config, marker, undefined, ['--out', join(dir, 'crash.json')]),
      {
        onStderr: (text) => {
          // A run with a budget counts pairs (`search-admins: head pair 2`), one with a fixed
          // number of rounds trials (`search-admins: head trial 2/10`).
          if (killed || !/ (?:pair 2 |trial 2\/)/.test(text)) return;
          const base = processesWithMarker(marker).filter((pid) => sideOf(pid) === 'base');
          for (const pid of base) process.kill(pid, 'SIGKILL');
          killed = base.length > 0;
        },
      },
    );
    expect(killed).toBe(true);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /the base service was killed by signal SIGKILL while loadgate was running/,
    );
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('SIGTERM to loadgate stops both services', async () => {
    const marker = newMarker();
    const run = await runCli(abArgs(config, marker, undefined, ['--out', join(dir, 'term.json')]), {
      onStderr: (text, child) => {
        if (/ (?:pair 1 |trial 1\/)/.test(text)) child.kill('SIGTERM');
      },
    });
    expect(run.code ?? 128 + 15).toBe(143);
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('a service that ignores PORT is a clear error naming the fix, before any load', async () => {
    const marker = newMarker();
    const started = Date.now();
    const fixed = `exec env PORT=18997 LOADGATE_TEST_MARKER=${marker} node ${BUNDLED.example}`;
    const run = await runCli([
      'ab',
      '--base-cwd',
      ROOT,
      '--start',
      fixed,
      '--config',
      config,
      ...QUICK,
      '--out',
      join(dir, 'port.json'),
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /the (base|head) service listens on 18997, not on the port it was given \(PORT=\d+\)/,
    );
    expect(run.stderr).toMatch(/listen on the PORT environment variable, or put \{port\}/);
    expect(run.stderr).not.toMatch(/ (trial|pair) 1\b/);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await eventually(() => processesWithMarker(marker).length === 0, 8000)).toBe(true);
  });

  it('a base checkout that cannot start while the head can names --setup (exit 3)', async () => {
    // The head's directory has the service; the base's is a bare checkout without it, as a
    // fresh worktree lacks what the head's job installed or built.
    const head = join(dir, 'head');
    const base = join(dir, 'base');
    mkdirSync(head, { recursive: true });
    mkdirSync(base, { recursive: true });
    copyFileSync(
      join(ROOT, '__tests__/integration/faults/fixtures/tiny-api.mjs'),
      join(head, 'server.mjs'),
    );
    const run = await runCli([
      'ab',
      '--cwd',
      head,
      '--base-cwd',
      base,
      '--start',
      'exec node server.mjs',
      '--ready-timeout',
      '10',
      '--out',
      join(dir, 'unprepared.json'),
    ]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(
      /the base commit could not start while the head did\. The base runs from a fresh checkout of its commit \(.*\/base\) with nothing installed or built: give --setup to prepare it before it starts/,
    );
    expect(run.stderr).toMatch(/Cannot find module .*server\.mjs/);
  });

  it('a base URL without {port} is refused before anything starts (exit 2)', async () => {
    const run = await refusedAb('--base-url', 'http://127.0.0.1:8000');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--base-url: "http:\/\/127.0.0.1:8000" has no \{port\}/);
  });

  it('a bad --schedule or --service-cpus is refused before anything starts (exit 2)', async () => {
    const schedule = await refusedAb('--schedule', 'both');
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toMatch(
      /--schedule: expected "auto", "duet" or "interleaved", got "both"/,
    );
    const cpus = await refusedAb('--service-cpus', 'last');
    expect(cpus.code).toBe(2);
    expect(cpus.stderr).toMatch(
      /--service-cpus: expected a CPU list for taskset like "1" or "2-3", got "last"/,
    );
  });

  it('rounds that are not a whole number, or more than the pairs, are refused before anything starts (exit 2)', async () => {
    const zero = await refusedAb('--rounds', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(
      /--rounds: expected "auto" or a whole number from 1 to 50, got "0"/,
    );
    // A round needs at least one pair of every scenario.
    const many = await refusedAb('--rounds', '5', '--trials', '3');
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(
      /rounds: 5 rounds need at least 5 pairs per scenario, but a scenario has 3 \(trials\)/,
    );
  });
});
