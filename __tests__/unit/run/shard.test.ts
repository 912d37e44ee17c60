import { describe, expect, it } from 'vitest';
import { parseMergeArgs, parseRunCommandArgs } from '../../../src/cli/shard-args.js';
import { parseConfig } from '../../../src/config/load-file.js';
import { buildPlan, type ResolvedScenario } from '../../../src/config/plan.js';
import { PRESETS } from '../../../src/presets/index.js';
import { checkShardable, parseShardSpec, parseStartAt, shareOf } from '../../../src/run/shard.js';
import { shardSchedule, warmupSecondsLeft } from '../../../src/run/shard-schedule.js';

describe('shard i/N', () => {
  it('reads i/N and names the field, the rule and the value when it is wrong', () => {
    expect(parseShardSpec('2/4', 'input shard')).toEqual({ index: 2, count: 4 });
    expect(parseShardSpec(' 64 / 64 ', '--shard')).toEqual({ index: 64, count: 64 });
    for (const bad of ['5/4', '0/4', '1/65', '1', 'a/b', '1/4/2', '-1/4', '']) {
      expect(() => parseShardSpec(bad, 'input shard'), bad).toThrow(
        `input shard: expected i/N with 1 ≤ i ≤ N ≤ 64, got "${bad}"`,
      );
    }
  });
});

describe('start-at', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  it('takes an ISO time with a zone and normalizes it to UTC', () => {
    expect(parseStartAt('2025-01-01T12:02:00Z', 'input start-at', now)).toBe(
      '2025-01-01T12:02:00.000Z',
    );
    expect(parseStartAt('2025-01-01T14:02:00+02:00', 'input start-at', now)).toBe(
      '2025-01-01T12:02:00.000Z',
    );
    // In the past: allowed (the shard is late and says so), not an error.
    expect(parseStartAt('2025-01-01T11:00:00Z', 'input start-at', now)).toBe(
      '2025-01-01T11:00:00.000Z',
    );
  });

  it('refuses a time without a zone, a non-time and one more than 6 hours ahead', () => {
    expect(() => parseStartAt('2025-01-01T12:02:00', 'input start-at', now)).toThrow(
      'input start-at: expected an ISO 8601 time with a time zone (e.g. 2025-01-01T12:00:00Z), got "2025-01-01T12:02:00"',
    );
    expect(() => parseStartAt('in two minutes', '--start-at', now)).toThrow(
      /^--start-at: expected/,
    );
    expect(() => parseStartAt('2025-01-01T18:00:01Z', '--start-at', now)).toThrow(
      '--start-at: 2025-01-01T18:00:01Z is more than 6 hours ahead',
    );
  });
});

function scenario(connections: number, rate?: number): ResolvedScenario {
  const plan = buildPlan(parseConfig({}, 'x'), 'x', {}, PRESETS);
  return { ...(plan.scenarios[0] as ResolvedScenario), connections, rate };
}

describe('a shard’s share', () => {
  it('splits connections as evenly as they go and adds up to the whole', () => {
    const shares = [1, 2, 3].map((index) => shareOf(scenario(10), { index, count: 3 }));
    expect(shares.map((s) => s.connections)).toEqual([4, 3, 3]);
    expect(shares.every((s) => s.rate === undefined)).toBe(true);
  });

  it('splits a rate in proportion to the connections', () => {
    const shares = [1, 2, 3].map((index) => shareOf(scenario(10, 300), { index, count: 3 }));
    expect(shares.map((s) => s.rate)).toEqual([120, 90, 90]);
  });

  it('refuses fewer connections than shards and kinds other than load, naming the scenario', () => {
    const plan = buildPlan(parseConfig({}, 'x'), 'x', {}, PRESETS);
    const few = { ...plan, scenarios: [{ ...plan.scenarios[0]!, connections: 2 }] };
    expect(() => checkShardable(few, { count: 3 })).toThrow(
      `shard: scenario "${plan.scenarios[0]!.name}" has 2 connection(s), fewer than the 3 shards`,
    );
    const full = buildPlan(parseConfig({}, 'x'), 'x', { profile: 'stress' }, PRESETS);
    expect(() => checkShardable(full, { count: 2 })).toThrow(/only load scenarios can be sharded/);
  });
});

describe('the common schedule', () => {
  it('puts the warm-up, then each trial one gap apart, then the next scenario', () => {
    const slots = shardSchedule(
      [
        { name: 'a', warmupSeconds: 2, trialSeconds: 5, trials: 2 },
        { name: 'b', warmupSeconds: 0, trialSeconds: 1, trials: 3 },
      ],
      1000,
    );
    expect(slots).toEqual([
      { name: 'a', warmupAtMs: 0, trialAtMs: [3000, 9000] },
      { name: 'b', warmupAtMs: 15000, trialAtMs: [15000, 17000, 19000] },
    ]);
  });

  it('cuts a late warm-up so the first trial keeps its slot', () => {
    expect(warmupSecondsLeft(2, 0, 3000, 1000)).toBe(2);
    expect(warmupSecondsLeft(2, 1500, 3000, 1000)).toBe(0.5);
    expect(warmupSecondsLeft(2, 2500, 3000, 1000)).toBe(0);
  });
});

describe('CLI flags', () => {
  const env = {};
  it('run --shard i/N --start-at T', () => {
    const inAMinute = new Date(Date.now() + 60_000).toISOString();
    const { settings } = parseRunCommandArgs(
      ['--shard', '2/3', '--start-at', inAMinute, '--base-url', 'http://x:1'],
      env,
    );
    expect(settings.shard).toEqual({ index: 2, count: 3, startAt: inAMinute });
  });

  it('refuses --start-at without --shard, --start with --shard, and a bad --shard', () => {
    expect(() => parseRunCommandArgs(['--start-at', '2099-01-01T00:00:00Z'], env)).toThrow(
      '--start-at: only with --shard i/N',
    );
    expect(() => parseRunCommandArgs(['--shard', '1/2', '--start', 'node s.js'], env)).toThrow(
      /^--shard: the shards drive one shared target/,
    );
    expect(() => parseRunCommandArgs(['--shard', '5/4'], env)).toThrow(
      '--shard: expected i/N with 1 ≤ i ≤ N ≤ 64, got "5/4"',
    );
  });

  it('merge --out FILE SHARD...', () => {
    expect(parseMergeArgs(['--out', 'm.json', 'a.json', 'b.json'])).toEqual({
      out: 'm.json',
      shards: ['a.json', 'b.json'],
    });
    expect(() => parseMergeArgs(['--out', 'm.json'])).toThrow(/merge needs the shard result files/);
  });
});
