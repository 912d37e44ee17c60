/**
 * Upload the run's result JSON and report markdown as one artifact (`loadgate-report-<job>`), so
 * a report survives when no comment can be posted (fork PRs) and a privileged `workflow_run`
 * workflow can pick it up. Never throws: a failure comes back as a warning string.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import type { BaselineArtifactClient } from './baseline-artifact.js';

export const RESULT_FILE = 'loadgate-result.json';
export const REPORT_FILE = 'loadgate-report.md';

export interface ReportArtifactInput {
  /** The RunResult (serialized as JSON) or its JSON text; absent: no result file (nothing ran). */
  result?: unknown;
  markdown: string;
  /** Artifact name (default `loadgate-report-<job>`; give matrix legs distinct names). */
  name?: string;
  /** Job key used in the default name (default GITHUB_JOB, else `run`). */
  job?: string;
  /** More files to put in the artifact, name → text (e.g. a `pr.json` for a workflow_run commenter). */
  extraFiles?: Record<string, string>;
  retentionDays?: number;
  artifactClient?: Pick<BaselineArtifactClient, 'uploadArtifact'>;
  tempDir?: string;
}

export type ReportArtifactOutcome =
  | { ok: true; id: number | undefined; name: string; size: number | undefined }
  | { ok: false; name: string; warning: string };

/**
 * The key of one loadgate run in a workflow: the job id (GITHUB_JOB, equal across matrix legs),
 * and `-<name>` when the `name` input tells legs or steps apart. It keys the sticky comment's
 * marker and the report artifact's name; the fork commenter reads it back from that name.
 */
export function runKey(job: string | undefined, name: string | undefined): string {
  const key = job ?? 'loadgate';
  return name === undefined || name === '' ? key : `${key}-${name}`;
}

/** Artifact names may not hold `" : < > | * ? \ /` or line breaks. */
export function reportArtifactName(job: string): string {
  return `loadgate-report-${job.replace(/[":<>|*?\\/\r\n]+/g, '-')}`;
}

export async function uploadReportArtifact(
  input: ReportArtifactInput,
): Promise<ReportArtifactOutcome> {
  const name = input.name ?? reportArtifactName(input.job ?? process.env.GITHUB_JOB ?? 'run');
  if (!input.artifactClient && !process.env.ACTIONS_RUNTIME_TOKEN) {
    return {
      ok: false,
      name,
      warning: `report artifact ${name} not uploaded: ACTIONS_RUNTIME_TOKEN is not set (not running in GitHub Actions)`,
    };
  }
  let dir: string | undefined;
  try {
    dir = await mkdtemp(
      join(input.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'loadgate-report-'),
    );
    const files: Record<string, string> = {
      ...(input.result === undefined
        ? {}
        : {
            [RESULT_FILE]:
              typeof input.result === 'string' ? input.result : `${JSON.stringify(input.result)}\n`,
          }),
      [REPORT_FILE]: input.markdown,
      ...input.extraFiles,
    };
    const paths: string[] = [];
    for (const [file, text] of Object.entries(files)) {
      if (file.includes('/') || file.includes('\\') || file.startsWith('.')) {
        throw new Error(`invalid file name in report artifact: ${JSON.stringify(file)}`);
      }
      const path = join(dir, file);
      await writeFileAtomic(path, text);
      paths.push(path);
    }
    const client = input.artifactClient ?? new DefaultArtifactClient();
    const uploaded = await client.uploadArtifact(name, paths, dir, {
      ...(input.retentionDays === undefined ? {} : { retentionDays: input.retentionDays }),
    });
    return { ok: true, id: uploaded.id, name, size: uploaded.size };
  } catch (error) {
    return {
      ok: false,
      name,
      warning: `report artifact ${name} not uploaded: ${(error as Error)?.message ?? String(error)}`,
    };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
