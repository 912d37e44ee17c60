/**
 * Shard results travel between the jobs of one workflow run as artifacts: each shard leg uploads
 * its result as `loadgate-shard-<job>[.<name>]-<i>-of-<N>`, and the merge job lists the run's
 * artifacts with the runner's own token (no API token needed: the run's artifact service, as
 * actions/download-artifact does), picks the shard ones back out of their names and downloads
 * them. Job ids hold no dot, so the name parses back unambiguously.
 */
import { DefaultArtifactClient, type ArtifactClient } from '@actions/artifact';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import { FileTooLargeError } from '../result/read-bounded.js';
import { readResultText, RunResultError } from '../result/schema.js';

export const SHARD_ARTIFACT_PREFIX = 'loadgate-shard-';
/** The one file inside a shard artifact. */
export const SHARD_RESULT_FILE = 'loadgate-shard-result.json';

export interface ShardArtifactKey {
  /** The workflow job that ran the shard (GITHUB_JOB: equal across matrix legs). */
  job: string;
  /** The action's `name` input, when given. */
  name?: string;
  index: number;
  count: number;
}

export interface ShardArtifact extends ShardArtifactKey {
  id: number;
  artifact: string;
}

export function shardArtifactName(key: ShardArtifactKey): string {
  const group = key.name === undefined ? key.job : `${key.job}.${key.name}`;
  return `${SHARD_ARTIFACT_PREFIX}${group.replace(/[":<>|*?\\/\r\n]+/g, '-')}-${key.index}-of-${key.count}`;
}

/** The key of a shard artifact's name; undefined for any other artifact. */
export function parseShardArtifactName(artifact: string): ShardArtifactKey | undefined {
  const m = /^loadgate-shard-([^.]+)(?:\.(.+))?-(\d+)-of-(\d+)$/.exec(artifact);
  if (!m) return undefined;
  return {
    job: m[1] as string,
    ...(m[2] === undefined ? {} : { name: m[2] }),
    index: Number(m[3]),
    count: Number(m[4]),
  };
}

/** Upload a shard result; throws when the upload fails (the merge cannot do without it). */
export async function uploadShardArtifact(
  key: ShardArtifactKey,
  resultJson: string,
  options: {
    client?: Pick<ArtifactClient, 'uploadArtifact'>;
    retentionDays: number;
    tempDir?: string;
  },
): Promise<{ name: string; id: number | undefined; size: number | undefined }> {
  const name = shardArtifactName(key);
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'loadgate-shard-'));
  try {
    const file = await writeFileAtomic(join(dir, SHARD_RESULT_FILE), resultJson);
    const client = options.client ?? new DefaultArtifactClient();
    const uploaded = await client.uploadArtifact(name, [file], dir, {
      retentionDays: options.retentionDays,
    });
    return { name, id: uploaded.id, size: uploaded.size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type RunArtifactClient = Pick<ArtifactClient, 'listArtifacts' | 'downloadArtifact'>;

/** The shard artifacts of the current workflow run (the latest of each name, after re-runs). */
export async function listShardArtifacts(client?: RunArtifactClient): Promise<ShardArtifact[]> {
  const { artifacts } = await (client ?? new DefaultArtifactClient()).listArtifacts({
    latest: true,
  });
  return artifacts.flatMap((a) => {
    const key = parseShardArtifactName(a.name);
    return key ? [{ ...key, id: a.id, artifact: a.name }] : [];
  });
}

/** Download one shard artifact of the current run; the result file's text. */
export async function downloadShardResult(
  artifact: ShardArtifact,
  options: { client?: RunArtifactClient; tempDir?: string } = {},
): Promise<string> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'loadgate-shard-'));
  try {
    await (options.client ?? new DefaultArtifactClient()).downloadArtifact(artifact.id, {
      path: dir,
    });
    return await readResultText(join(dir, SHARD_RESULT_FILE)).catch((error: unknown) => {
      if (!(error instanceof FileTooLargeError)) throw error;
      throw new RunResultError(
        `artifact ${artifact.artifact}`,
        `${SHARD_RESULT_FILE} ${error.message}`,
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
