import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/judge/types.js';
import { seededRandom } from '../../../src/stats/random.js';
import { TrialRecorder } from '../../../src/load/recorder.js';
import {
  addEncoded,
  decodeHistogram,
  encodeHistogram,
  newHistogram,
  percentileMs,
  toMicros,
} from '../../../src/result/histogram.js';
import { mergeShardResults, ShardMergeError } from '../../../src/result/merge.js';
import { parseRunResult } from '../../../src/result/schema.js';
import type { RunResult } from '../../../src/result/types.js';
import {
  deal,
  ENDPOINTS,
  record,
  shardResult,
  syntheticRequests,
  type SyntheticRequest,
} from './shard-fixtures.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

describe('adding encoded histograms', () => {
  it('equals recording every sample into one histogram (random samples, 2 to 5 parts)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seededRandom(seed);
      const n = 1 + Math.floor(r() * 3000);
      // Wide values: µs to minutes (beyond the 60 s the histogram starts with: it resizes).
      const samples = Array.from({ length: n }, () => toMicros(Math.exp(r() * 16) / 10));
      const whole = newHistogram();
      for (const s of samples) whole.recordValue(s);
      const parts = deal(samples, 2 + Math.floor(r() * 4), seed).map((part) => {
        const h = newHistogram();
        for (const s of part) h.recordValue(s);
        return encodeHistogram(h);
      });
      const merged = addEncoded(parts);
      expect(merged.totalCount, `seed ${seed}`).toBe(n);
      for (const p of PERCENTILES) {
        expect(merged.getValueAtPercentile(p), `seed ${seed} p${p}`).toBe(
          whole.getValueAtPercentile(p),
        );
      }
      expect(merged.minNonZeroValue).toBe(whole.minNonZeroValue);
      // The encoding keeps the top bucket, not the raw largest value: equal within a bucket.
      expect(Math.abs(merged.maxValue - whole.maxValue) / whole.maxValue).toBeLessThan(1e-3);
      expect(merged.mean).toBe(whole.mean);
      // And it survives its own encoding.
      expect(decodeHistogram(encodeHistogram(merged)).getValueAtPercentile(99)).toBe(
        whole.getValueAtPercentile(99),
      );
    }
  });

  it('adds nothing for absent or empty parts', () => {
    expect(addEncoded([undefined, encodeHistogram(newHistogram())]).totalCount).toBe(0);
  });
});

/** Trial k of the whole run, recorded by one recorder that saw every shard's requests. */
function wholeTrial(requests: SyntheticRequest[]) {
  return record(
    new TrialRecorder(ENDPOINTS, 0),
    [...requests].sort((a, b) => a.atMs - b.atMs),
  );
}

function shards(
  trials: SyntheticRequest[][],
  count: number,
  extra: (index: number) => Partial<Parameters<typeof shardResult>[0]> = () => ({}),
): RunResult[] {
  const perShard = trials.map((t, k) => deal(t, count, 100 + k));
  return Array.from({ length: count }, (_, i) =>
    shardResult({
      index: i + 1,
      count,
      trials: perShard.map((t) => t[i] as SyntheticRequest[]),
      startAt: '2025-03-01T09:59:00.000Z',
      ...extra(i + 1),
    }),
  );
}

const asInputs = (results: RunResult[]) =>
  results.map((result, i) => ({ source: `shard-${i + 1}.json`, result }));

describe('mergeShardResults', () => {
  const trials = [syntheticRequests(7, 6000), syntheticRequests(8, 5000)];
  const parts = shards(trials, 3);
  const merged = mergeShardResults(asInputs(parts));

  it('recomputes every trial figure from the summed histograms: as if one recorder saw it all', () => {
    for (const [k, requests] of trials.entries()) {
      const whole = wholeTrial(requests);
      const m = merged.scenarios[0]!.trials[k]!.metrics;
      const w = whole.metrics;
      for (const key of ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const) {
        expect(m[key], `trial ${k} ${key}`).toBe(w[key]);
      }
      expect(w.timeouts).toBeGreaterThan(0); // the fixture has timeouts, so `answered` is tested
      expect(m.answered).toEqual(w.answered);
      for (const key of ['requests', 'errors', 'timeouts', 'unexpectedStatus'] as const) {
        expect(m[key], `trial ${k} ${key}`).toBe(w[key]);
      }
      expect(m.statusCodes).toEqual(w.statusCodes);
      expect(m.errorRate).toBeCloseTo(w.errorRate, 12);
      expect(m.dbP95).toBe(w.dbP95);
      const endpoints = merged.scenarios[0]!.trials[k]!.endpoints;
      for (const name of ENDPOINTS) {
        const { throughput: _t, ...rest } = endpoints[name]!;
        const { throughput: _w, ...wholeRest } = whole.endpoints[name]!;
        expect(rest, `trial ${k} endpoint ${name}`).toEqual(wholeRest);
      }
      const series = merged.scenarios[0]!.trials[k]!.series;
      expect(series).toEqual(whole.series);
    }
  });

  it('sums requests and throughput of the shards', () => {
    for (const [k] of trials.entries()) {
      const shardTrials = parts.map((p) => p.scenarios[0]!.trials[k]!.metrics);
      const m = merged.scenarios[0]!.trials[k]!.metrics;
      expect(m.requests).toBe(shardTrials.reduce((a, t) => a + t.requests, 0));
      expect(m.throughput).toBeCloseTo(
        shardTrials.reduce((a, t) => a + t.throughput, 0),
        9,
      );
      expect(m.throughput).toBeCloseTo(wholeTrial(trials[k]!).metrics.throughput, 9);
    }
  });

  it('merges the scenario histograms exactly and keeps the result as small as a single run', () => {
    const all = trials.flat();
    const scenario = merged.scenarios[0]!;
    const histogram = decodeHistogram(scenario.histogram);
    const whole = newHistogram();
    for (const k of trials.keys()) whole.add(wholeTrial(trials[k]!).histogram);
    expect(histogram.totalCount).toBe(all.length);
    expect(percentileMs(histogram, 99)).toBe(percentileMs(whole, 99));
    expect(scenario.settings.connections).toBe(12);
    expect(scenario.shard).toBeUndefined();
    expect(scenario.trials.every((t) => t.shard === undefined)).toBe(true);
    expect(merged.shard).toBeUndefined();
    expect(merged.merged?.count).toBe(3);
    expect(merged.merged?.shards.map((s) => s.scenarios.mix!.connections)).toEqual([4, 4, 4]);
    expect(JSON.stringify(merged).length).toBeLessThan(JSON.stringify(parts[0]).length);
    // An ordinary result: it reads back as one.
    expect(parseRunResult(JSON.parse(JSON.stringify(merged)), 'merged')).toEqual(merged);
  });

  it('is the same whatever order the shards come in', () => {
    const reversed = mergeShardResults(asInputs([...parts].reverse()));
    expect(reversed.scenarios).toEqual(merged.scenarios);
  });

  it('aligned shards with a common start: no warnings', () => {
    expect(merged.warnings).toBeUndefined();
  });
});

describe('shards that do not belong together', () => {
  const trials = [syntheticRequests(3, 300)];

  function mergeError(results: RunResult[], sources?: string[]): string {
    try {
      mergeShardResults(
        results.map((result, i) => ({ source: sources?.[i] ?? `s${i + 1}.json`, result })),
      );
    } catch (error) {
      expect(error).toBeInstanceOf(ShardMergeError);
      return (error as Error).message;
    }
    throw new Error('expected the merge to fail');
  }

  it('a missing shard is named, with the ones found', () => {
    const [a, , c] = shards(trials, 3);
    expect(mergeError([a!, c!], ['a.json', 'c.json'])).toBe(
      'shard 2/3 is missing (found 1/3 from a.json, 3/3 from c.json)',
    );
  });

  it('a shard given twice is named with both sources', () => {
    const [a, b] = shards(trials, 2);
    expect(mergeError([a!, b!, b!], ['a.json', 'b.json', 'b-again.json'])).toBe(
      'shard 2/2 appears twice: b.json and b-again.json',
    );
  });

  it('a shard of another configuration is named with the difference', () => {
    const results = shards(trials, 2, (i) => (i === 2 ? { configHash: 'ffff0000' } : {}));
    expect(mergeError(results, ['a.json', 'b.json'])).toBe(
      'shard 2/2 (b.json) does not belong with shard 1/2 (a.json): configuration hash 5f2a9c1d ≠ ffff0000',
    );
  });

  it('a shard of another N, another start time, or no shard at all', () => {
    const two = shards(trials, 2);
    const three = shards(trials, 3);
    expect(mergeError([two[0]!, three[1]!], ['a.json', 'b.json'])).toBe(
      'b.json is shard 2/3, but a.json is shard 1/2: the shards of one run share N',
    );
    const late = shards(trials, 2, (i) => (i === 2 ? { startAt: '2025-03-01T11:00:00.000Z' } : {}));
    expect(mergeError(late)).toContain(
      'start-at 2025-03-01T09:59:00.000Z ≠ 2025-03-01T11:00:00.000Z',
    );
    const { shard: _dropped, ...plain } = two[1]!;
    expect(mergeError([two[0]!, plain], ['a.json', 'plain.json'])).toMatch(
      /^plain\.json is not a shard result/,
    );
  });

  it('a shard whose trials lack their histograms', () => {
    const [a, b] = shards(trials, 2);
    const { shard: _dropped, ...bare } = b!.scenarios[0]!.trials[0]!;
    b!.scenarios[0]!.trials[0] = bare;
    expect(mergeError([a!, b!], ['a.json', 'b.json'])).toBe(
      'shard 2/2 (b.json): trial 1 of "mix" has no shard detail (histograms) to merge',
    );
  });
});

describe('alignment', () => {
  const trials = [syntheticRequests(11, 400), syntheticRequests(12, 400)];

  it('without start-at, the merged result warns that windows may not align', () => {
    const results = shards(trials, 2, () => ({ startAt: undefined }));
    const merged = mergeShardResults(asInputs(results));
    expect(merged.warnings).toEqual([
      'The 2 shards had no common start time (start-at): each began when it was ready, so trial windows may not align.',
    ]);
    // The report shows them: the judge repeats a result's warnings.
    expect(judge(undefined, merged, DEFAULT_JUDGE_OPTIONS).warnings).toContain(merged.warnings![0]);
  });

  it('a shard that started a trial late is reported with the spread', () => {
    const results = shards(trials, 2, (i) => (i === 2 ? { offsetsMs: [0, 1200] } : {}));
    const merged = mergeShardResults(asInputs(results));
    expect(merged.warnings).toEqual([
      'Trials of "mix" did not line up across shards: trial 2 started 1.20 s apart (trials last 3 s), so its sums mix different moments.',
    ]);
    expect(merged.merged?.shards[1]?.scenarios.mix?.maxLateMs).toBe(1200);
  });

  it('a start spread within a tenth of the trial is not worth a warning', () => {
    const results = shards(trials, 2, (i) => (i === 2 ? { offsetsMs: [250, 0] } : {}));
    expect(mergeShardResults(asInputs(results)).warnings).toBeUndefined();
  });
});
