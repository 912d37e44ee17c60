import { chmod, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBaselineName } from '../../../src/baseline/errors.js';
import { readHistoryFile } from '../../../src/baseline/history-file.js';
import { readBaselineFile } from '../../../src/baseline/read-file.js';
import { MAX_HISTORY_BYTES } from '../../../src/result/history-schema.js';
import { MAX_RESULT_BYTES, readRunResult } from '../../../src/result/schema.js';
import { writeFileAtomic } from '../../../src/files/write-atomic.js';
import { smallRunResult } from '../../fakes/run-result.js';
import { buildRun, noisy } from '../helpers/results.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgate-baseline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readBaselineFile (the one reader of a baseline file)', () => {
  it('reads a valid result with its provenance', async () => {
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify(smallRunResult()));
    const out = await readBaselineFile(file, 'baselines/ok.json');
    expect(out.result?.schemaVersion).toBe(1);
    expect(out.description).toEqual({
      kind: 'file',
      display: 'baselines/ok.json',
      gitSha: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      startedAt: '2025-01-01T12:00:00.000Z',
    });
    expect(out.fatal).toBeUndefined();
  });

  it('a missing file is no baseline, with a notice, not an error', async () => {
    const out = await readBaselineFile(join(dir, 'nope.json'), 'baselines/nope.json');
    expect(out.result).toBeUndefined();
    expect(out.fatal).toBeUndefined();
    expect(out.description.kind).toBe('none');
    expect(out.notice).toMatch(/no baseline file at baselines\/nope.json yet/);
  });

  it('reads back exactly what the atomic writer wrote, and overwrites in place', async () => {
    const run = buildRun([{ name: 'list', p95: noisy(20, 5, 0.03, 1) }]);
    const file = join(dir, 'baselines', 'main.json');
    await writeFileAtomic(file, `${JSON.stringify(run, null, 2)}\n`);
    expect((await readBaselineFile(file, 'main.json')).result).toEqual(run);
    await writeFileAtomic(file, JSON.stringify({ ...run, startedAt: '2025-02-02T00:00:00.000Z' }));
    expect((await readBaselineFile(file, 'main.json')).result?.startedAt).toBe(
      '2025-02-02T00:00:00.000Z',
    );
    expect(await readdir(join(dir, 'baselines'))).toEqual(['main.json']);
  });

  it('corrupt JSON is fatal, naming the file and the problem', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"schemaVersion": 1, "tool": ', 'utf8');
    const out = await readBaselineFile(file, 'baselines/bad.json');
    expect(out.result).toBeUndefined();
    expect(out.fatal).toMatch(/^baseline file baselines\/bad.json: not valid JSON/);
    expect(out.problem).toMatch(/^baselines\/bad.json: not valid JSON/);
  });

  it('a wrong schema version or a broken field is fatal, naming what is wrong', async () => {
    const run = buildRun([{ name: 'list', p95: [1, 2, 3] }]);
    await writeFile(join(dir, 'v2.json'), JSON.stringify({ ...run, schemaVersion: 2 }), 'utf8');
    expect((await readBaselineFile(join(dir, 'v2.json'), 'v2.json')).fatal).toMatch(
      /schema version 2 is not supported/,
    );
    const broken = structuredClone(run) as unknown as {
      scenarios: { trials: { metrics: { p95: unknown } }[] }[];
    };
    const first = broken.scenarios[0]?.trials[1];
    if (first) first.metrics.p95 = 'fast';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(broken), 'utf8');
    expect((await readBaselineFile(join(dir, 'bad.json'), 'bad.json')).fatal).toMatch(
      /scenarios\[0\]\.trials\[1\]\.metrics\.p95/,
    );
  });

  it('an unreadable file is fatal, not "no baseline"', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file: a directory in its place is unreadable as a file for everyone.
      const out = await readBaselineFile(dir, 'baselines/dir.json');
      expect(out.fatal).toMatch(/baselines\/dir.json cannot be read/);
      return;
    }
    const file = join(dir, 'locked.json');
    await writeFile(file, '{}');
    await chmod(file, 0o000);
    expect((await readBaselineFile(file, 'locked.json')).fatal).toMatch(/cannot be read/);
  });

  it('baseline names cannot escape their folder', () => {
    expect(() => assertBaselineName('../etc/passwd')).toThrow(/invalid baseline name/);
    expect(() => assertBaselineName('a/b')).toThrow(/invalid baseline name/);
    expect(() => assertBaselineName('loadgate-baseline')).not.toThrow();
  });

  it('refuses a file larger than a result can be, without reading it', async () => {
    // Attack: a multi-gigabyte "baseline" committed to the repository (sparse here: no disk).
    const file = join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, MAX_RESULT_BYTES + 1);
    const out = await readBaselineFile(file, 'baselines/huge.json');
    expect(out.result).toBeUndefined();
    expect(out.fatal).toMatch(
      /^baseline file baselines\/huge\.json cannot be read \(is larger than 64 MiB, the most loadgate reads of such a file\)/,
    );
    await expect(readRunResult(file)).rejects.toThrow(/huge\.json: is larger than 64 MiB/);
  });
});

describe('readHistoryFile', () => {
  it('refuses a history larger than one can be', async () => {
    const file = join(dir, 'history.json');
    await writeFile(file, '');
    await truncate(file, MAX_HISTORY_BYTES + 1);
    await expect(readHistoryFile(file, 'baselines/history.json')).rejects.toThrow(
      /^baselines\/history\.json: is larger than 16 MiB/,
    );
  });
});
