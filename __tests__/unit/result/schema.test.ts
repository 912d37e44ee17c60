import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunResult, readRunResult, RunResultError } from '../../../src/result/schema.js';
import { buildRun, noisy } from '../helpers/results.js';

const run = buildRun(
  [
    { name: 'list', p95: noisy(20, 3, 0.03, 1), dbP95: [1, 2, 3] },
    { name: 'bulk', p95: [1, 2, 3], failure: 'service died' },
  ],
  { noiseFloor: { list: { p95: 0.03 } } },
);

describe('parseRunResult', () => {
  it('accepts a valid result, as an object or as text', () => {
    expect(parseRunResult(run, 'r.json')).toEqual(run);
    expect(parseRunResult(JSON.stringify(run), 'r.json')).toEqual(run);
  });

  it('names the source and the problem', () => {
    expect(() => parseRunResult('nope', 'x.json')).toThrow(/^x\.json: not valid JSON/);
    expect(() => parseRunResult([], 'x.json')).toThrow(/x\.json: not a loadgate result/);
    expect(() => parseRunResult({ hello: 1 }, 'x.json')).toThrow(/not a loadgate result/);
    expect(() => parseRunResult({ ...run, schemaVersion: 3 }, 'x.json')).toThrow(
      /x\.json: result schema version 3 is not supported \(this loadgate reads version 1\)/,
    );
    const { environment: _e, ...noEnv } = run;
    expect(() => parseRunResult(noEnv, 'x.json')).toThrow(
      /x\.json: invalid loadgate result: environment:/,
    );
    const neg = structuredClone(run);
    const t = neg.scenarios[0]?.trials[0];
    if (t) t.metrics.errorRate = 2;
    expect(() => parseRunResult(neg, 'x.json')).toThrow(
      /scenarios\[0\]\.trials\[0\]\.metrics\.errorRate: expected a share/,
    );
  });

  it('readRunResult: missing file → RunResultError naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loadgate-result-'));
    try {
      const missing = join(dir, 'missing.json');
      const err = await readRunResult(missing).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunResultError);
      expect((err as Error).message).toBe(`${missing}: file not found`);
      const ok = join(dir, 'ok.json');
      await writeFile(ok, JSON.stringify(run), 'utf8');
      await expect(readRunResult(ok)).resolves.toEqual(run);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
