import { describe, expect, it } from 'vitest';
import { parseInputs, type InputName } from '../../../src/action/inputs.js';
import { chooseShardGroup } from '../../../src/action/merge-job.js';
import {
  parseShardArtifactName,
  shardArtifactName,
  type ShardArtifact,
} from '../../../src/github/shard-artifacts.js';

function inputs(values: Partial<Record<InputName, string>>) {
  return parseInputs((name) => values[name] ?? '', { workspace: '/repo', cwd: '/repo' });
}

describe('inputs shard, start-at and merge', () => {
  it('are off by default', () => {
    expect(inputs({})).toMatchObject({ shard: undefined, merge: undefined });
    expect(inputs({ merge: 'false' }).merge).toBeUndefined();
  });

  it('shard i/N with a common start, against a running target', () => {
    const startAt = new Date(Date.now() + 120_000).toISOString();
    expect(inputs({ shard: '2/4', 'start-at': startAt }).shard).toEqual({
      index: 2,
      count: 4,
      startAt,
    });
  });

  it('merge: true, or the id of the shard job', () => {
    expect(inputs({ merge: 'true' }).merge).toEqual({ job: undefined });
    expect(inputs({ merge: 'load_eu-1' }).merge).toEqual({ job: 'load_eu-1' });
  });

  it('bad values and combinations name the input', () => {
    expect(() => inputs({ shard: '5/4' })).toThrow(
      'input shard: expected i/N with 1 ≤ i ≤ N ≤ 64, got "5/4"',
    );
    expect(() => inputs({ shard: '1/2', 'start-at': 'soon' })).toThrow(
      /^input start-at: expected an ISO 8601 time with a time zone/,
    );
    expect(() => inputs({ 'start-at': '2025-01-01T00:00:00Z' })).toThrow(
      'input start-at: only with shard (the shard legs wait for it), got "2025-01-01T00:00:00Z"',
    );
    expect(() => inputs({ shard: '1/2', 'start-command': 'npm start' })).toThrow(
      /^input shard: the shards drive one shared target at base-url/,
    );
    expect(() => inputs({ shard: '1/2', merge: 'true' })).toThrow(
      'input merge: a job either runs a shard (shard) or merges the shards (merge), not both',
    );
    expect(() => inputs({ merge: 'yes please' })).toThrow(
      'input merge: expected "true", "false" or the id of the job that ran the shards, got "yes please"',
    );
    expect(() => inputs({ merge: 'true', 'start-command': 'npm start' })).toThrow(
      /^input merge: the merge job runs no load of its own/,
    );
  });
});

describe('shard artifact names', () => {
  it('carry job, name, i and N, and read back even with dashes in the name', () => {
    const keys = [
      { job: 'load', index: 1, count: 4 },
      { job: 'load-test_2', name: 'eu-3-of-9', index: 12, count: 12 },
    ];
    for (const key of keys) {
      expect(parseShardArtifactName(shardArtifactName(key))).toEqual(key);
    }
    expect(shardArtifactName(keys[0]!)).toBe('loadgate-shard-load-1-of-4');
    expect(shardArtifactName(keys[1]!)).toBe('loadgate-shard-load-test_2.eu-3-of-9-12-of-12');
    expect(parseShardArtifactName('loadgate-report-load')).toBeUndefined();
    expect(parseShardArtifactName('loadgate-baseline')).toBeUndefined();
  });
});

describe('which shard results the merge job takes', () => {
  const artifact = (job: string, index: number, name?: string): ShardArtifact => {
    const key = { job, index, count: 2, ...(name === undefined ? {} : { name }) };
    return { ...key, id: index, artifact: shardArtifactName(key) };
  };
  const found = [
    artifact('load', 2),
    artifact('load', 1),
    artifact('load', 1, 'eu'),
    artifact('soak', 1, 'eu'),
  ];

  it('those with its own name, in index order', () => {
    expect(
      chooseShardGroup(found, { name: undefined, job: undefined }).map((a) => a.artifact),
    ).toEqual(['loadgate-shard-load-1-of-2', 'loadgate-shard-load-2-of-2']);
  });

  it('several jobs with that name: merge names one, or it is an error listing them', () => {
    expect(() => chooseShardGroup(found, { name: 'eu', job: undefined })).toThrow(
      'shard results of several jobs in this workflow run (load, soak): say which with merge: <job id>',
    );
    expect(chooseShardGroup(found, { name: 'eu', job: 'soak' }).map((a) => a.artifact)).toEqual([
      'loadgate-shard-soak.eu-1-of-2',
    ]);
  });

  it('none: an error saying what was found', () => {
    expect(() => chooseShardGroup([], { name: undefined, job: undefined })).toThrow(
      'no shard results without a name in this workflow run (shard artifacts found: none)',
    );
    expect(() => chooseShardGroup(found, { name: 'us', job: undefined })).toThrow(
      /^no shard results named us in this workflow run \(shard artifacts found: loadgate-shard-load-2-of-2, /,
    );
  });
});
