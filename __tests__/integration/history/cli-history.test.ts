/**
 * `loadgate history append|show` over files, and the machine probe on this machine (real worker
 * threads).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHistoryArgs } from '../../../src/cli/history-args.js';
import { main } from '../../../src/cli/main.js';
import { historyCommand } from '../../../src/commands/history.js';
import { parseHistory } from '../../../src/result/history-schema.js';
import { machineProbe, probeOnce, PROBE_VERSION } from '../../../src/run/probe.js';
import { buildRun, noisy } from '../../unit/helpers/results.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-history-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function output() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, sink: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

function resultFile(i: number, over: Record<string, unknown> = {}): string {
  const file = join(dir, `result-${i}.json`);
  const run = buildRun([{ name: 'list', p95: [10 + i, 11 + i, 12 + i] }], {
    startedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
    sha: String(i).repeat(40).slice(0, 40),
  });
  writeFileSync(file, JSON.stringify({ ...run, ...over }));
  return file;
}

const run = (args: string[]) => {
  const o = output();
  return historyCommand(parseHistoryArgs(args), o.sink).then((r) => ({ ...r, ...o }));
};

describe('loadgate history', () => {
  const file = join(dir, 'baselines', 'history.json');

  it('append starts a new history, then appends in time order', async () => {
    const a = await run(['append', '--file', file, '--result', resultFile(2), '--run-id', '9']);
    expect(a.exitCode).toBe(0);
    expect(a.err.join('\n')).toMatch(/no history file at .* yet: a new history starts/);
    expect(a.out.join('\n')).toMatch(
      /^appended 2222222 \(2025-01-03 00:00\) to .*history\.json: 1 runs$/,
    );
    const b = await run([
      'append',
      '--file',
      file,
      '--result',
      resultFile(1),
      '--accepted',
      'perf-ok',
      '--pull-request',
      '7',
    ]);
    expect(b.exitCode).toBe(0);
    const history = parseHistory(readFileSync(file, 'utf8'), file);
    expect(history.runs.map((r) => r.commit?.slice(0, 1))).toEqual(['1', '2']);
    expect(history.runs[0]?.accepted).toEqual({ label: 'perf-ok', pullRequest: 7, scenarios: [] });
    expect(history.runs[1]?.runId).toBe(9);
  });

  it('show prints the runs, each scenario’s p95 by run, and the change points', async () => {
    const s = await run(['show', '--file', file]);
    expect(s.exitCode).toBe(0);
    const text = s.out.join('\n');
    expect(text).toMatch(/history\.json: 2 runs/);
    expect(text).toMatch(/#\s+started \(UTC\)\s+commit\s+cpu ms\s+mem ms\s+machine\s+accepted/);
    expect(text).toMatch(/1\s+2025-01-02 00:00\s+1111111 .*perf-ok #7/);
    expect(text).toMatch(/list: 12(\.0)? 13(\.0)?/);
    expect(text).toMatch(
      /change points: not searched yet \(a series needs 8 runs of main, 2 so far\)/,
    );
    expect((await run(['show', '--file', file, '--last', '1'])).out.join('\n')).toMatch(
      /2 runs, the last 1 shown/,
    );
  });

  it('show names the change points of a longer history, an accepted one as expected', async () => {
    const stepped = join(dir, 'stepped.json');
    for (let i = 0; i < 12; i++) {
      const result = join(dir, `stepped-${i}.json`);
      const measured = buildRun(
        [{ name: 'list', p95: noisy(i >= 8 ? 14 : 10, 6, 0.02, 900 + i) }],
        {
          startedAt: new Date(Date.UTC(2025, 1, 1 + i)).toISOString(),
          sha: `${i.toString(16)}`.repeat(40),
        },
      );
      writeFileSync(result, JSON.stringify(measured));
      const accepted = i === 8 ? ['--accepted', 'perf-ok', '--pull-request', '12'] : [];
      expect(
        (await run(['append', '--file', stepped, '--result', result, ...accepted])).exitCode,
      ).toBe(0);
    }
    const text = (await run(['show', '--file', stepped])).out.join('\n');
    expect(text).toMatch(/change points \(E-Divisive, α 0\.05 over \d+ series, steps ≥ 10 %\):/);
    expect(text).toMatch(
      / {2}list p95 \+\d+\.\d % from run #9 \(2025-02-09, 7777777\.\.8888888\), p [\d.e-]+: expected \(perf-ok #12\)/,
    );
  });

  it('refuses a corrupt history (never overwrites it), a partial result and bad flags', async () => {
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"schemaVersion": 1, "runs": [{}]}');
    const c = await run(['append', '--file', corrupt, '--result', resultFile(3)]);
    expect(c.exitCode).toBe(2);
    expect(c.err.join('\n')).toMatch(/corrupt\.json: invalid loadgate history: runs\[0\]/);
    expect(readFileSync(corrupt, 'utf8')).toBe('{"schemaVersion": 1, "runs": [{}]}');
    const partial = await run([
      'append',
      '--file',
      file,
      '--result',
      resultFile(4, { partial: { completed: 0, planned: 1 } }),
    ]);
    expect(partial.exitCode).toBe(2);
    expect(partial.err.join('\n')).toMatch(/is not added: the result is partial/);
    expect((await run(['show', '--file', join(dir, 'none.json')])).exitCode).toBe(2);
    expect(() => parseHistoryArgs(['append'])).toThrow(/needs --result FILE/);
    expect(() => parseHistoryArgs(['prune'])).toThrow(/expected "append" or "show", got "prune"/);
    expect(() => parseHistoryArgs(['show', '--result', 'x'])).toThrow(
      /--result: only with history append/,
    );
    expect(await main(['history', 'show', '--file', join(dir, 'none.json')])).toBe(2);
  });
});

describe('the machine probe', () => {
  it('reads the CPU of every core and the memory walk, in well under a second', async () => {
    const t0 = performance.now();
    const reading = await probeOnce();
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(reading.cpuMs).toBeGreaterThan(1);
    expect(reading.memoryMs).toBeGreaterThan(1);
    const probe = machineProbe(reading, { cpuMs: reading.cpuMs * 4, memoryMs: reading.memoryMs });
    expect(probe?.version).toBe(PROBE_VERSION);
    // The faster reading is the score: one slow reading does not move it.
    expect(probe?.score.cpuMs).toBeCloseTo(reading.cpuMs, 2);
  });
});
