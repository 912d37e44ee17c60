/**
 * The baseline kept in workflow artifacts: `upload` uploads the RunResult as an artifact of the
 * current run (a push to the default branch); `load` finds the default branch's latest
 * successful `push` run of the same workflow in the same repository, takes the artifact from it
 * and reads the JSON inside.
 *
 * A missing, expired or deleted baseline is `{ missing: reason }`, never a throw. An API that
 * will not tell (an error after retries, a token without `actions: read`, a download that fails)
 * is `{ missing: reason, lookupFailed: true }`: "could not look" is not "there is none", and the
 * action says so (action/baseline.ts). A baseline that exists but is not a valid RunResult throws
 * CorruptBaselineError (src/baseline/errors.ts).
 */
import { DefaultArtifactClient } from '@actions/artifact';
import type { ArtifactClient } from '@actions/artifact';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic.js';
import { assertBaselineName, CorruptBaselineError } from '../baseline/errors.js';
import { HISTORY_FILE_NAME, historyText } from '../baseline/history-file.js';
import type { History } from '../result/history.js';
import { HistoryError, MAX_HISTORY_BYTES, parseHistory } from '../result/history-schema.js';
import { FileTooLargeError, readTextBounded } from '../result/read-bounded.js';
import { parseRunResult, readResultText, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';
import { statusOf, withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';
import type { Octokit } from './sticky-comment.js';

export type BaselineArtifactClient = Pick<ArtifactClient, 'uploadArtifact' | 'downloadArtifact'>;

export interface ArtifactBaselineStoreOptions {
  octokit: Octokit;
  /** Token for downloading another run's artifact (needs `actions: read`). */
  token: string;
  owner: string;
  repo: string;
  /** Workflow file name (`perf.yml`, from GITHUB_WORKFLOW_REF) or numeric id. */
  workflow: string;
  defaultBranch: string;
  /** Artifact name = prefix + baseline name (default `loadgate-baseline-`). */
  artifactPrefix?: string;
  /** Retention of saved baselines, days (default 90, capped by the repository's setting). */
  retentionDays?: number;
  /** How many of the newest successful push runs to search for the artifact (default 10). */
  maxRuns?: number;
  artifactClient?: BaselineArtifactClient;
  /** Where downloads are unpacked (default RUNNER_TEMP or the OS temp dir); cleaned up after. */
  tempDir?: string;
  now?: () => Date;
  retry?: RetryOptions;
}

export interface BaselineProvenance {
  result: RunResult;
  runId: number;
  runUrl: string;
  headSha: string;
  /** When the baseline artifact was created (ISO 8601). */
  createdAt: string;
  ageDays: number;
  artifactId: number;
  artifactName: string;
  /** The default branch's history beside the baseline (loadgate-history.json). */
  history?: ArtifactHistory;
}

/** The history in a baseline artifact: read, absent (written by an older loadgate) or unusable. */
export type ArtifactHistory = { history: History } | { absent: true } | { problem: string };

/** Why there is no baseline; `lookupFailed`: the API failed, so there may well be one. */
export interface BaselineMissing {
  missing: string;
  lookupFailed?: true;
}

export type BaselineLookup = BaselineProvenance | BaselineMissing;

const DAY_MS = 86_400_000;

type WorkflowRun = Awaited<
  ReturnType<Octokit['rest']['actions']['listWorkflowRuns']>
>['data']['workflow_runs'][number];

function describeError(error: unknown): string {
  const status = statusOf(error);
  const message = (error as Error)?.message ?? String(error);
  return status === undefined ? message : `HTTP ${status}: ${message}`;
}

export class ArtifactBaselineStore {
  private readonly o: ArtifactBaselineStoreOptions;
  private readonly client: BaselineArtifactClient;

  constructor(options: ArtifactBaselineStoreOptions) {
    this.o = options;
    this.client = options.artifactClient ?? new DefaultArtifactClient();
  }

  artifactName(name: string): string {
    assertBaselineName(name);
    return `${this.o.artifactPrefix ?? 'loadgate-baseline-'}${name}`;
  }

  describe(): string {
    const { owner, repo, workflow, defaultBranch } = this.o;
    return `artifact "${this.o.artifactPrefix ?? 'loadgate-baseline-'}<name>" of the latest successful push run of ${workflow} on ${defaultBranch} in ${owner}/${repo}`;
  }

  async load(name: string): Promise<RunResult | undefined> {
    const found = await this.loadWithProvenance(name);
    return 'missing' in found ? undefined : found.result;
  }

  async loadWithProvenance(name: string): Promise<BaselineLookup> {
    const runs = await this.ownSuccessfulRuns();
    if ('missing' in runs) return runs;
    return this.findInRuns(runs.runs, name);
  }

  /** The default branch's successful push runs of this workflow in this very repository. */
  private async ownSuccessfulRuns(): Promise<{ runs: WorkflowRun[] } | BaselineMissing> {
    const { octokit, owner, repo, workflow, defaultBranch } = this.o;
    const fullName = `${owner}/${repo}`.toLowerCase();
    let runs: WorkflowRun[];
    try {
      const { data } = await withRetry(
        () =>
          octokit.rest.actions.listWorkflowRuns({
            owner,
            repo,
            workflow_id: workflow,
            branch: defaultBranch,
            event: 'push',
            status: 'success',
            per_page: Math.min(100, Math.max(1, this.o.maxRuns ?? 10)),
          }),
        this.o.retry,
      );
      runs = data.workflow_runs;
    } catch (error) {
      // 404: no such workflow on the default branch yet (a pull request that adds it).
      if (statusOf(error) === 404) {
        return { missing: `workflow ${workflow} was not found in ${owner}/${repo}` };
      }
      return {
        missing: `could not list the runs of ${workflow}: ${describeError(error)}`,
        lookupFailed: true,
      };
    }
    // Only runs of this repository on its own branch: a fork's runs never provide the baseline.
    const own = runs.filter(
      (r) =>
        r.repository.full_name.toLowerCase() === fullName &&
        r.head_repository?.full_name?.toLowerCase() === fullName &&
        r.conclusion === 'success',
    );
    if (own.length === 0) {
      return {
        missing: `no successful push run of ${workflow} on ${defaultBranch} in ${owner}/${repo} yet`,
      };
    }
    return { runs: own };
  }

  /** The newest live baseline artifact among `runs` (newest first), downloaded and parsed. */
  private async findInRuns(runs: WorkflowRun[], name: string): Promise<BaselineLookup> {
    const { octokit, owner, repo, workflow, defaultBranch } = this.o;
    const artifactName = this.artifactName(name);
    let expired: { runId: number; at: string } | undefined;
    for (const run of runs) {
      let artifacts;
      try {
        const { data } = await withRetry(
          () =>
            octokit.rest.actions.listWorkflowRunArtifacts({
              owner,
              repo,
              run_id: run.id,
              name: artifactName,
              per_page: 100,
            }),
          this.o.retry,
        );
        artifacts = data.artifacts;
      } catch (error) {
        return {
          missing: `could not list the artifacts of run ${run.id}: ${describeError(error)}`,
          lookupFailed: true,
        };
      }
      const candidates = artifacts
        .filter((a) => a.name === artifactName)
        .sort((a, b) => b.id - a.id);
      const live = candidates.find((a) => !a.expired);
      if (!live) {
        const gone = candidates[0];
        if (gone && !expired) expired = { runId: run.id, at: gone.expires_at ?? 'unknown' };
        continue;
      }
      const downloaded = await this.download(live.id, run.id, name);
      if ('missing' in downloaded) return downloaded;
      const createdAt = live.created_at ?? run.created_at;
      const now = (this.o.now ?? (() => new Date()))().getTime();
      return {
        result: downloaded.result,
        runId: run.id,
        runUrl: run.html_url,
        headSha: run.head_sha,
        createdAt,
        ageDays: Math.max(0, Math.round(((now - Date.parse(createdAt)) / DAY_MS) * 100) / 100),
        artifactId: live.id,
        artifactName,
        history: downloaded.history,
      };
    }
    const searched = `the ${runs.length} latest successful push run(s) of ${workflow} on ${defaultBranch}`;
    if (expired) {
      return {
        missing: `artifact ${artifactName} of run ${expired.runId} expired (${expired.at}); none newer in ${searched}`,
      };
    }
    return { missing: `no artifact ${artifactName} in ${searched} (newest: run ${runs[0]?.id})` };
  }

  private async download(
    artifactId: number,
    runId: number,
    name: string,
  ): Promise<{ result: RunResult; history: ArtifactHistory } | BaselineMissing> {
    const { owner, repo, token } = this.o;
    const dir = await mkdtemp(
      join(this.o.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'loadgate-baseline-'),
    );
    try {
      try {
        await this.client.downloadArtifact(artifactId, {
          path: dir,
          findBy: { token, repositoryOwner: owner, repositoryName: repo, workflowRunId: runId },
        });
      } catch (error) {
        // Expired or deleted since it was listed: gone. Anything else: could not look.
        const gone =
          statusOf(error) === 404 ||
          statusOf(error) === 410 ||
          /expired|not found|\b410\b|\b404\b/i.test(describeError(error));
        return {
          missing: `could not download artifact ${artifactId} of run ${runId}: ${describeError(error)}`,
          ...(gone ? {} : { lookupFailed: true as const }),
        };
      }
      const all = (await readdir(dir)).filter((f) => f.endsWith('.json'));
      const files = all.filter((f) => f !== HISTORY_FILE_NAME || f === `${name}.json`);
      const file = files.includes(`${name}.json`)
        ? `${name}.json`
        : files.length === 1
          ? files[0]
          : undefined;
      const location = `artifact ${this.artifactName(name)} (id ${artifactId}) of run ${runId}`;
      if (file === undefined) {
        throw new CorruptBaselineError(
          location,
          `no ${name}.json inside (found: ${files.join(', ') || 'nothing'})`,
        );
      }
      let text: string;
      try {
        text = await readResultText(join(dir, file));
      } catch (e) {
        if (!(e instanceof FileTooLargeError)) throw e;
        throw new CorruptBaselineError(location, `${file} ${e.message}`);
      }
      const history = all.includes(HISTORY_FILE_NAME)
        ? await readArtifactHistory(
            join(dir, HISTORY_FILE_NAME),
            `${HISTORY_FILE_NAME} in ${location}`,
          )
        : { absent: true as const };
      try {
        return { result: parseRunResult(text, location), history };
      } catch (e) {
        if (e instanceof RunResultError) {
          throw new CorruptBaselineError(location, e.message.slice(location.length + 2));
        }
        throw e;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async save(name: string, result: RunResult): Promise<void> {
    await this.upload(name, result);
  }

  /**
   * Upload `result` (and the history, when given, as loadgate-history.json beside it) as this
   * run's baseline artifact; its id and size. Throws when the upload fails.
   */
  async upload(
    name: string,
    result: RunResult,
    history?: History,
  ): Promise<{ id: number | undefined; name: string; size: number | undefined }> {
    const artifactName = this.artifactName(name);
    const dir = await mkdtemp(
      join(this.o.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'loadgate-baseline-'),
    );
    try {
      const file = join(dir, `${name}.json`);
      await writeFileAtomic(file, `${JSON.stringify(result)}\n`);
      const files = [file];
      if (history !== undefined) {
        files.push(await writeFileAtomic(join(dir, HISTORY_FILE_NAME), historyText(history)));
      }
      const uploaded = await this.client.uploadArtifact(artifactName, files, dir, {
        retentionDays: this.o.retentionDays ?? 90,
      });
      return { id: uploaded.id, name: artifactName, size: uploaded.size };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** The history file of a downloaded artifact: a broken one is a problem to report, never a throw. */
async function readArtifactHistory(path: string, location: string): Promise<ArtifactHistory> {
  try {
    return { history: parseHistory(await readTextBounded(path, MAX_HISTORY_BYTES), location) };
  } catch (e) {
    if (e instanceof HistoryError) return { problem: e.message };
    if (e instanceof FileTooLargeError) return { problem: `${location} ${e.message}` };
    return { problem: `${location}: cannot read (${(e as Error).message})` };
  }
}
