import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyText } from '../../../src/baseline/history-file.js';
import { parseCompareArgs } from '../../../src/cli/main.js';
import { compareCommand } from '../../../src/commands/compare.js';
import type { Verdict } from '../../../src/judge/types.js';
import { appendRun, emptyHistory, summarizeRun } from '../../../src/result/history-append.js';
import { buildRun, noisy } from '../helpers/results.js';
import type { ScenarioSpec } from '../helpers/results.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgate-compare-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = (name: string, p95: number, seed: number): ScenarioSpec => ({
  name,
  p95: noisy(p95, 10, 0.03, seed),
  p99: noisy(p95 * 1.6, 10, 0.03, seed + 1),
  throughput: noisy(1000, 10, 0.03, seed + 2),
  sla: { p95Ms: 500 },
});

async function files(currentP95: number) {
  const baseline = join(dir, 'baseline.json');
  const current = join(dir, 'current.json');
  await writeFile(baseline, JSON.stringify(buildRun([spec('list', 20, 1)])), 'utf8');
  await writeFile(current, JSON.stringify(buildRun([spec('list', currentP95, 11)])), 'utf8');
  return { baseline, current };
}

describe('compareCommand', () => {
  it('exit 0 when nothing regressed, and writes report and verdict', async () => {
    const f = await files(20);
    const report = join(dir, 'out', 'report.md');
    const json = join(dir, 'out', 'verdict.json');
    const r = await compareCommand({ ...f, report, json });
    expect(r.exitCode).toBe(0);
    expect(r.terminal).toMatch(/^loadgate: PASS/);
    expect((await readFile(report, 'utf8')).split('\n')[0]).toBe('<!-- loadgate:loadgate -->');
    const verdict = JSON.parse(await readFile(json, 'utf8')) as Verdict;
    expect(verdict.schemaVersion).toBe(1);
    expect(verdict).toEqual(r.verdict);
  });

  it('exit 1 on a regression; 0 with fail-on none or sla only', async () => {
    const f = await files(26);
    const r = await compareCommand(f);
    expect(r.exitCode).toBe(1);
    expect(r.verdict?.counts.regressions).toBeGreaterThan(0);
    expect((await compareCommand({ ...f, failOn: 'none' })).exitCode).toBe(0);
    expect((await compareCommand({ ...f, failOn: 'sla' })).exitCode).toBe(0);
    expect((await compareCommand({ ...f, failOn: 'regression,sla' })).exitCode).toBe(1);
  });

  it('exit 1 on an SLA breach', async () => {
    const f = await files(600);
    const r = await compareCommand({ ...f, failOn: 'sla' });
    expect(r.exitCode).toBe(1);
    expect(r.verdict?.counts.slaBreaches).toBe(1);
  });

  it('exit 2 on bad input, naming the file or the flag', async () => {
    const f = await files(20);
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{ not json', 'utf8');
    const c = await compareCommand({ ...f, baseline: corrupt });
    expect(c.exitCode).toBe(2);
    expect(c.terminal).toContain(corrupt);
    expect(c.terminal).toMatch(/not valid JSON/);

    const missing = await compareCommand({ ...f, current: join(dir, 'nope.json') });
    expect(missing.exitCode).toBe(2);
    expect(missing.terminal).toMatch(/nope\.json: file not found/);

    const v2 = join(dir, 'v2.json');
    await writeFile(v2, JSON.stringify({ ...buildRun([]), schemaVersion: 2 }), 'utf8');
    const wrong = await compareCommand({ ...f, baseline: v2 });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.terminal).toMatch(/v2\.json: result schema version 2 is not supported/);

    const alpha = await compareCommand({ ...f, alpha: '1.5' });
    expect(alpha.exitCode).toBe(2);
    expect(alpha.terminal).toContain(
      '--alpha: expected a significance level above 0 and at most 0.5 (e.g. 0.05), got "1.5"',
    );
    expect((await compareCommand({ ...f, alpha: 'abc' })).exitCode).toBe(2);
    const eff = await compareCommand({ ...f, minEffect: '-0.1' });
    expect(eff.terminal).toContain('--min-effect: expected a share from 0 to below 1');
    const fo = await compareCommand({ ...f, failOn: 'sla,speed' });
    expect(fo.exitCode).toBe(2);
    expect(fo.terminal).toContain(
      '--fail-on: expected "sla", "regression", "undecided" (several comma-separated, e.g. "sla,regression") or "none", got "sla,speed"',
    );
    expect((await compareCommand({ ...f, failOn: 'none,sla' })).exitCode).toBe(2);
  });

  describe('--history FILE', () => {
    /** Main's runs: the level of each run differs (about 6 % SD), as on shared runners. */
    const LEVELS = [1, 1.06, 0.95, 1.1, 0.97, 1.03, 0.92, 1.08, 1.0, 0.98];
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString();
    const runAt = (level: number, i: number) =>
      buildRun(
        [
          {
            name: 'list',
            p95: noisy(20 * level, 8, 0.02, 100 + i * 7),
            throughput: noisy(1000 / level, 8, 0.02, 102 + i * 7),
          },
        ],
        { startedAt: day(i), sha: String(i % 10).repeat(40) },
      );

    async function historyFiles(currentLevel: number) {
      const main = LEVELS.map((level, i) => runAt(level, i));
      const history = main.reduce(
        (h, r, i) => appendRun(h, summarizeRun(r, { runId: i + 1 })).history,
        emptyHistory(),
      );
      const paths = {
        baseline: join(dir, 'baseline.json'),
        current: join(dir, 'current.json'),
        historyFile: join(dir, 'history.json'),
      };
      await writeFile(paths.baseline, JSON.stringify(main[main.length - 1]), 'utf8');
      await writeFile(paths.current, JSON.stringify(runAt(currentLevel, 20)), 'utf8');
      await writeFile(paths.historyFile, historyText(history), 'utf8');
      return paths;
    }

    it('a run on a slower machine (within main’s spread) passes against the history; one run against one cannot tell', async () => {
      const f = await historyFiles(1.12);
      const { historyFile, ...oneRun } = f;
      const alone = await compareCommand(oneRun);
      expect(alone.exitCode).toBe(0);
      expect(alone.verdict?.counts.undecidedScenarios).toBe(1);
      expect((await compareCommand({ ...oneRun, failOn: 'undecided' })).exitCode).toBe(1);
      const r = await compareCommand(f);
      expect(r.exitCode).toBe(0);
      expect(r.verdict?.history).toMatchObject({ runs: 10, used: 10, fallback: null });
      expect(r.verdict?.scenarios[0]?.comparisons.find((c) => c.metric === 'p95')?.test?.name).toBe(
        'history-prediction',
      );
      expect(
        parseCompareArgs(['--baseline', 'b', '--current', 'c', '--history', historyFile]),
      ).toMatchObject({ historyFile });
    });

    it('a real slowdown still fails against the history', async () => {
      const r = await compareCommand(await historyFiles(1.45));
      expect(r.exitCode).toBe(1);
      expect(r.verdict?.counts.regressions).toBeGreaterThan(0);
    });

    it('exit 2 for a missing or invalid history, naming the flag and the file', async () => {
      const f = await historyFiles(1);
      const missing = await compareCommand({ ...f, historyFile: join(dir, 'none.json') });
      expect(missing.exitCode).toBe(2);
      expect(missing.terminal).toMatch(
        /^loadgate compare: --history: no history file at .*none\.json yet \(loadgate history append/,
      );
      await writeFile(f.historyFile, '{"schemaVersion": 1, "runs": [{}]}', 'utf8');
      const invalid = await compareCommand(f);
      expect(invalid.exitCode).toBe(2);
      expect(invalid.terminal).toMatch(
        /--history: .*history\.json: invalid loadgate history: runs\[0\]/,
      );
    });
  });
});
