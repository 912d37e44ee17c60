/**
 * The history file, pure: a run's summary, appending in time order, the cap, a re-run replacing
 * its entry, and validation of what is read.
 */
import { describe, expect, it } from 'vitest';
import { historyText } from '../../../src/baseline/history-file.js';
import { HISTORY_CAP, type History } from '../../../src/result/history.js';
import {
  appendRun,
  emptyHistory,
  historyProblem,
  machineDescription,
  summarizeRun,
} from '../../../src/result/history-append.js';
import {
  HistoryError,
  MAX_HISTORY_SCENARIOS,
  parseHistory,
} from '../../../src/result/history-schema.js';
import type { RunResult } from '../../../src/result/types.js';
import { buildRun } from '../helpers/results.js';

const day = (i: number) => new Date(Date.UTC(2025, 0, 1 + i, 12)).toISOString();

function run(i: number, over: Partial<RunResult> = {}): RunResult {
  const r = buildRun(
    [
      { name: 'list', p95: [10.123456789, 11, 12], dbP95: [1, 2, 3], errorRate: [0, 0, 0.01] },
      { name: 'broken', p95: [1], failure: 'setup failed' },
    ],
    { startedAt: day(i), sha: `${i}`.padStart(40, 'a') },
  );
  return { ...r, ...over };
}

describe('summarizeRun', () => {
  it('keeps per scenario and gated metric the per-trial values, compactly', () => {
    const probe = { cpuMs: 61.23456, memoryMs: 70.5 };
    const entry = summarizeRun(
      run(1, {
        probe: { version: 1, before: probe, score: probe },
        environment: {
          ...run(1).environment,
          kernel: '6.8.0-1021-azure',
          runnerImage: 'ubuntu24 20250105.1',
        },
      }),
      { runId: 42 },
    );
    expect(entry).toEqual({
      commit: '1'.padStart(40, 'a'),
      ref: 'refs/heads/main',
      startedAt: day(1),
      runId: 42,
      configHash: 'cfg-1111',
      profile: 'pr',
      machine: {
        hash: 'env-aaaa',
        description:
          'AMD EPYC 7763 64-Core Processor ×2, 8.0 GB, linux 6.8.0-1021-azure, ubuntu24 20250105.1',
      },
      probe: { cpuMs: 61.2346, memoryMs: 70.5 },
      scenarios: {
        list: {
          p50: [5.06173, 5.5, 6],
          p95: [10.1235, 11, 12],
          p99: [15.1852, 16.5, 18],
          throughput: [1000, 1000, 1000],
          errorRate: [0, 0, 0.01],
          dbP95: [1, 2, 3],
        },
      },
    });
  });

  it('an A/B result contributes its head side; partial and shard results none', () => {
    const head = run(2);
    const ab: RunResult = {
      ...head,
      ab: {
        seed: 1,
        base: { baseUrl: 'x', scenarios: [] },
        head: { baseUrl: 'y' },
        order: {},
      },
    };
    expect(summarizeRun(ab)).toEqual(summarizeRun(head));
    expect(historyProblem(run(3, { partial: { completed: 1, planned: 2 } }))).toMatch(/partial/);
    expect(() => summarizeRun(run(3, { partial: { completed: 1, planned: 2 } }))).toThrow(
      /not added to the history: the result is partial/,
    );
    expect(historyProblem(run(3, { scenarios: [] }))).toMatch(/no scenario/);
  });

  it('keeps scenarios named like what a plain object inherits', () => {
    // Attack (or accident): `name in {}` is true for constructor, toString, valueOf: those
    // scenarios silently never reached the history of main.
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];
    const r = buildRun(
      names.map((name) => ({ name, p95: [10, 11, 12] })),
      { startedAt: day(1), sha: '1'.padStart(40, 'a') },
    );
    const entry = summarizeRun(r);
    expect(Object.keys(entry.scenarios).sort()).toEqual([...names].sort());
    expect(entry.scenarios['constructor']?.p95).toEqual([10, 11, 12]);
    expect(Object.getPrototypeOf(entry.scenarios['toString'])).toBe(Object.prototype);
  });

  it('describes a machine without kernel or image as the result does', () => {
    expect(machineDescription(run(1).environment)).toBe(
      'AMD EPYC 7763 64-Core Processor ×2, 8.0 GB, linux x64',
    );
  });
});

describe('appendRun', () => {
  const entry = (i: number, runId?: number) =>
    summarizeRun(run(i), runId === undefined ? {} : { runId });

  it('appends newest last, in time order', () => {
    let h = emptyHistory();
    for (const i of [1, 3, 2]) h = appendRun(h, entry(i)).history;
    expect(h.runs.map((r) => r.startedAt)).toEqual([day(1), day(2), day(3)]);
  });

  it(`keeps the newest ${HISTORY_CAP} runs`, () => {
    let h = emptyHistory();
    let dropped = 0;
    for (let i = 0; i < HISTORY_CAP + 3; i++) {
      const out = appendRun(h, entry(i));
      h = out.history;
      dropped += out.dropped;
    }
    expect(h.runs).toHaveLength(HISTORY_CAP);
    expect(dropped).toBe(3);
    expect(h.runs[0]?.startedAt).toBe(day(3));
    const small = appendRun(h, entry(100), 5);
    expect(small.history.runs).toHaveLength(5);
    expect(small.history.runs.at(-1)?.startedAt).toBe(day(100));
  });

  it('a re-run of the same workflow run replaces its entry; never mutates its input', () => {
    const first = appendRun(emptyHistory(), entry(1, 7)).history;
    const frozen = structuredClone(first);
    const again = appendRun(first, { ...entry(2, 7) });
    expect(again.replaced).toBe(true);
    expect(again.history.runs).toHaveLength(1);
    expect(again.history.runs[0]?.startedAt).toBe(day(2));
    expect(first).toEqual(frozen);
    // Without run ids: the same commit and start is the same run.
    const twice = appendRun(appendRun(emptyHistory(), entry(1)).history, entry(1));
    expect(twice).toMatchObject({ replaced: true, history: { runs: [{ startedAt: day(1) }] } });
  });

  it('refuses a cap below 1', () => {
    expect(() => appendRun(emptyHistory(), entry(1), 0)).toThrow(/cap/);
  });
});

describe('parseHistory', () => {
  const valid = (): History => appendRun(emptyHistory(), summarizeRun(run(1))).history;

  it('round-trips what historyText writes (one run per line)', () => {
    const h = appendRun(valid(), summarizeRun(run(2))).history;
    const text = historyText(h);
    expect(text.split('\n')).toHaveLength(8); // {, version, runs: [, 2 runs, ], }, ''
    expect(parseHistory(text, 'h.json')).toEqual(h);
    expect(parseHistory(historyText(emptyHistory()), 'e.json')).toEqual(emptyHistory());
  });

  it('caps the scenarios of one run', () => {
    const h = valid() as unknown as { runs: { scenarios: Record<string, unknown> }[] };
    const one = h.runs[0]!.scenarios['list'];
    h.runs[0]!.scenarios = Object.fromEntries(
      Array.from({ length: MAX_HISTORY_SCENARIOS + 1 }, (_, i) => [`s${i}`, one]),
    );
    expect(() => parseHistory(h, 'history.json')).toThrow(
      new RegExp(
        `runs\\[0\\]\\.scenarios: expected at most ${MAX_HISTORY_SCENARIOS} scenarios in a run`,
      ),
    );
  });

  it('names the file and the problem', () => {
    const bad = (doc: unknown) => () => parseHistory(doc, 'baselines/history.json');
    expect(bad('{')).toThrow(/^baselines\/history\.json: not valid JSON/);
    expect(bad([])).toThrow(HistoryError);
    expect(bad({ schemaVersion: 1 })).toThrow(/not a loadgate history/);
    expect(bad({ schemaVersion: 2, runs: [] })).toThrow(
      /history schema version 2 is not supported/,
    );
    const h = valid() as unknown as { runs: Record<string, unknown>[] };
    (h.runs[0] as Record<string, unknown>).startedAt = 'yesterday';
    expect(bad(h)).toThrow(/runs\[0\]\.startedAt: expected an ISO 8601 time/);
    const neg = valid() as unknown as {
      runs: { scenarios: Record<string, Record<string, number[]>> }[];
    };
    neg.runs[0]!.scenarios['list']!['p95'] = [-1];
    expect(bad(neg)).toThrow(/runs\[0\]\.scenarios\.list\.p95\[0\]: expected a number ≥ 0/);
    const extra = { ...valid(), note: 'x' };
    expect(bad(extra)).toThrow(/invalid loadgate history/);
    const unknownMetric = valid() as unknown as {
      runs: { scenarios: Record<string, Record<string, number[]>> }[];
    };
    unknownMetric.runs[0]!.scenarios['list']!['p42'] = [1];
    expect(bad(unknownMetric)).toThrow(/invalid loadgate history/);
  });
});
