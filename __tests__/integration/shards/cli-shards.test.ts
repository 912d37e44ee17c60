/**
 * Three `loadgate run --shard i/3` processes against one example service, on a common start
 * time, merged with `loadgate merge`, and compared with one unsharded run of the same total
 * connections (one process, `--shard 1/1`) against the same service in the same seconds: a
 * stall of the shared 2-core machine then hits both alike (run one after the other, their p99s
 * differed by up to 50 % by that alone), and the service's latency is mostly a fixed 200 ms
 * wait, so tens of milliseconds of scheduling noise stay small beside it and what is left to
 * differ is the sharding and the merge.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../../src/result/histogram.js';
import type { RunResult } from '../../../src/result/types.js';
import { DIST } from '../action/harness.js';
import { runCli as runSourceCli } from '../cli/helpers.js';
import {
  healthConfig,
  medianTrialPercentiles,
  startSharedService,
  type SharedService,
} from './helpers.js';

const CONNECTIONS = 60;
let service: SharedService;
let dir: string;

beforeAll(async () => {
  service = await startSharedService(200);
  dir = mkdtempSync(join(tmpdir(), 'lg-cli-shards-'));
});

afterAll(() => {
  service?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult;
// The bundle (run `npm run build` first): four CLIs compiling TypeScript at once would take
// seconds of both cores just before the common start, and test the shipped file less.
const runCli = (args: string[]) => runSourceCli(args, { entry: join(DIST, 'cli.js') });

describe('loadgate run --shard i/3 ×3, loadgate merge', () => {
  it('merges to the sum of the shards and to the percentiles of one unsharded run', async () => {
    const config = healthConfig(dir, CONNECTIONS, 5, 2.5);
    const common = ['--base-url', service.baseUrl, '--config', config];
    // Far enough ahead for four CLIs to start on a busy 2-core machine.
    const startAtMs = Date.now() + 6_000;
    const startAt = new Date(startAtMs).toISOString();
    const files = [1, 2, 3].map((i) => join(dir, `shard-${i}.json`));
    const singleFile = join(dir, 'single.json');
    const [single, ...shards] = await Promise.all([
      // The whole load from one process, on the shards' schedule (its trials cover the same
      // seconds as theirs): `--shard 1/1` changes nothing else.
      runCli(['run', ...common, '--shard', '1/1', '--start-at', startAt, '--out', singleFile]),
      ...files.map((out, i) =>
        runCli(['run', ...common, '--shard', `${i + 1}/3`, '--start-at', startAt, '--out', out]),
      ),
    ]);
    for (const run of [single!, ...shards]) expect(run.code, run.stderr).toBe(0);

    const mergedFile = join(dir, 'merged.json');
    const merge = await runCli(['merge', '--out', mergedFile, ...[...files].reverse()]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toContain(`merged 3 shard results into ${mergedFile}`);

    const parts = files.map(read);
    const merged = read(mergedFile);
    const unsharded = read(singleFile);

    // Each shard drove its third, on the common clock.
    expect(parts.map((p) => p.scenarios[0]!.shard?.connections)).toEqual([20, 20, 20]);
    expect(parts.map((p) => p.shard?.startAt)).toEqual([startAt, startAt, startAt]);
    const spreads = merged.scenarios[0]!.trials.map((_, k) => {
      const starts = parts.map((p) => Date.parse(p.scenarios[0]!.trials[k]!.startedAt));
      return Math.max(...starts) - Math.min(...starts);
    });
    expect(Math.max(...spreads), `trial start spreads ${spreads.join(', ')} ms`).toBeLessThan(1000);

    // Counts: the merged trial is the sum of the shards' trials.
    const scenario = merged.scenarios[0]!;
    expect(scenario.settings.connections).toBe(CONNECTIONS);
    expect(scenario.trials).toHaveLength(5);
    const sum = (f: (r: RunResult) => number) => parts.reduce((a, p) => a + f(p), 0);
    for (const [k, trial] of scenario.trials.entries()) {
      expect(trial.metrics.requests).toBe(sum((p) => p.scenarios[0]!.trials[k]!.metrics.requests));
      expect(trial.metrics.throughput).toBeCloseTo(
        sum((p) => p.scenarios[0]!.trials[k]!.metrics.throughput),
        6,
      );
      expect(trial.shard).toBeUndefined();
    }
    expect(decodeHistogram(scenario.histogram).totalCount).toBe(
      sum((p) => decodeHistogram(p.scenarios[0]!.histogram).totalCount),
    );
    expect(merged.merged?.shards.map((s) => s.index)).toEqual([1, 2, 3]);

    // Latency: the same service time, whether one process drove it or three.
    const m = medianTrialPercentiles(scenario);
    const u = medianTrialPercentiles(unsharded.scenarios[0]!);
    console.log(
      `merged p50 ${m.p50} ms p99 ${m.p99} ms; unsharded p50 ${u.p50} ms p99 ${u.p99} ms; ` +
        `start spreads ${spreads.join('/')} ms`,
    );
    expect(Math.abs(m.p50 - u.p50) / u.p50).toBeLessThan(0.1);
    expect(Math.abs(m.p99 - u.p99) / u.p99).toBeLessThan(0.1);
  });
});
