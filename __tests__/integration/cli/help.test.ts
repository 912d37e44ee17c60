/**
 * `loadgate <command> --help` (and `-h`, and `loadgate help <command>`) prints that command's own
 * usage and exits 0, for every command; a bad flag names the flag and shows that command's usage
 * (exit 2). The bundled CLI, as users run it.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/usage.js';
import { runCli } from './helpers.js';

describe('loadgate <command> --help', () => {
  it.each(COMMANDS)('%s --help: its own usage, exit 0', async (command) => {
    const run = await runCli([command, '--help'], { timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^loadgate ${command}: `));
    expect(run.stdout).toMatch(new RegExp(`Usage:\\n  loadgate ${command} `));
    // Its own, not the overview of every command.
    expect(run.stdout).not.toMatch(/^Commands:$/m);
    expect(run.stderr).toBe('');
  });

  it('-h after other flags, and help <command>, say the same', async () => {
    const dashH = await runCli(['run', '-c', 'x.yml', '-h'], { timeoutMs: 20_000 });
    const help = await runCli(['help', 'run'], { timeoutMs: 20_000 });
    const long = await runCli(['run', '--help'], { timeoutMs: 20_000 });
    expect(dashH.code).toBe(0);
    expect(help.code).toBe(0);
    expect(dashH.stdout).toBe(long.stdout);
    expect(help.stdout).toBe(long.stdout);
    expect(long.stdout).toMatch(/-c, --config FILE/);
    expect(long.stdout).toMatch(/-o, --out FILE/);
  });

  it('history --help is history’s usage, not a complaint about append or show', async () => {
    const run = await runCli(['history', '--help'], { timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/loadgate history append --result FILE/);
    expect(run.stdout + run.stderr).not.toMatch(/expected "append" or "show"/);
  });

  it('an unknown flag names it and shows the command’s usage, exit 2', async () => {
    const run = await runCli(['gate', '--bogus'], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^loadgate: gate: Unknown option '--bogus'\n\nloadgate gate: /);
    expect(run.stderr).not.toMatch(/To specify a positional argument/);
  });

  it('a flag without its value names it', async () => {
    const run = await runCli(['init', '--openapi'], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/init: Option '--openapi <value>' argument missing/);
  });

  it('loadgate --help lists every command', async () => {
    const run = await runCli(['--help'], { timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
