import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptBaselineError, FileBaselineStore } from '../../../src/baseline/store.js';
import { buildRun, noisy } from '../helpers/results.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgate-baseline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileBaselineStore', () => {
  it('missing baseline → undefined, not an error', async () => {
    const store = new FileBaselineStore(join(dir, 'nothing-here'));
    await expect(store.load('main')).resolves.toBeUndefined();
  });

  it('saves atomically and loads back the same result', async () => {
    const store = new FileBaselineStore(join(dir, 'baselines'));
    const run = buildRun([{ name: 'list', p95: noisy(20, 5, 0.03, 1) }]);
    await store.save('main', run);
    await expect(store.load('main')).resolves.toEqual(run);
    await store.save('main', { ...run, startedAt: '2025-02-02T00:00:00.000Z' });
    expect((await store.load('main'))?.startedAt).toBe('2025-02-02T00:00:00.000Z');
    expect(await readdir(join(dir, 'baselines'))).toEqual(['main.json']);
    expect(store.describe()).toContain('baselines');
  });

  it('corrupt JSON → a clear error naming the file', async () => {
    const store = new FileBaselineStore(dir);
    await writeFile(join(dir, 'main.json'), '{"schemaVersion": 1, "tool": ', 'utf8');
    const err = await store.load('main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptBaselineError);
    expect((err as Error).message).toContain(join(dir, 'main.json'));
    expect((err as Error).message).toMatch(/not valid JSON/);
  });

  it('wrong schema or version → a clear error naming what is wrong', async () => {
    const store = new FileBaselineStore(dir);
    const run = buildRun([{ name: 'list', p95: [1, 2, 3] }]);
    await writeFile(join(dir, 'v2.json'), JSON.stringify({ ...run, schemaVersion: 2 }), 'utf8');
    await expect(store.load('v2')).rejects.toThrow(/schema version 2 is not supported/);
    const broken = structuredClone(run) as unknown as {
      scenarios: { trials: { metrics: { p95: unknown } }[] }[];
    };
    const first = broken.scenarios[0]?.trials[1];
    if (first) first.metrics.p95 = 'fast';
    await writeFile(join(dir, 'bad.json'), JSON.stringify(broken), 'utf8');
    await expect(store.load('bad')).rejects.toThrow(/scenarios\[0\]\.trials\[1\]\.metrics\.p95/);
  });

  it('rejects names that would escape the directory', async () => {
    const store = new FileBaselineStore(dir);
    await expect(store.load('../etc/passwd')).rejects.toThrow(/invalid baseline name/);
    await expect(store.save('a/b', buildRun([]))).rejects.toThrow(/invalid baseline name/);
  });
});
