/**
 * The action's orchestration: baseline → run → judge → report → publish (files, job summary,
 * report artifact, baseline artifact, sticky comment, outputs). Inputs arrive parsed; the GitHub
 * adapters (octokit, artifact client) and the log are passed in. Returns what fails the check;
 * the entry turns that into core.setFailed.
 *
 * Order matters for "never lose a result": the result file is written first, then the job
 * summary and the report artifact; comment and baseline problems are reported, never thrown.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { ArtifactBaselineStore } from '../github/baseline-artifact.js';
import type { BaselineArtifactClient } from '../github/baseline-artifact.js';
import type { ActionsContext } from '../github/context.js';
import { reportArtifactName, uploadReportArtifact } from '../github/report-artifact.js';
import type { RetryOptions } from '../github/retry.js';
import { withRetry } from '../github/retry.js';
import { ReadOnlyTokenError, upsertStickyComment } from '../github/sticky-comment.js';
import type { Octokit } from '../github/sticky-comment.js';
import { writeJobSummary } from '../github/summary.js';
import { IncompatibleResultsError, judge } from '../judge/judge.js';
import type { Verdict } from '../judge/types.js';
import { renderMarkdown } from '../report/markdown.js';
import type { RunResult } from '../result/types.js';
import type { executeRun as ExecuteRun, RunSettings } from '../run/execute.js';
import { ServiceError } from '../service/errors.js';
import {
  decideSave,
  fromArtifactLookup,
  isPullRequestEvent,
  readBaselineFile,
} from './baseline.js';
import type { BaselineOutcome } from './baseline.js';
import type { ActionInputs } from './inputs.js';
import {
  baselineLine,
  commentMarker,
  decorateReport,
  errorReport,
  failureMessage,
  readVerdictKey,
  verdictKey,
} from './report-text.js';

export const OUTPUT_NAMES = [
  'verdict',
  'regressions',
  'sla-breaches',
  'results-path',
  'report-path',
  'comment-url',
] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

export interface ActionLog {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
}

export interface ActionDeps {
  ctx: ActionsContext;
  /** Absent without a github-token: no API calls (no artifact baseline, no comment). */
  octokit: Octokit | undefined;
  log: ActionLog;
  setOutput(name: OutputName, value: string): void;
  executeRun: typeof ExecuteRun;
  env: Record<string, string | undefined>;
  artifactClient?: BaselineArtifactClient;
  retry?: RetryOptions;
  /** Retention of the baseline artifact (days, default 90) and of the report artifact (30). */
  baselineRetentionDays?: number;
  reportRetentionDays?: number;
}

export interface ActionOutcome {
  /** Non-empty = the check fails; each entry is a paragraph for core.setFailed. */
  failures: string[];
  verdict: Verdict | undefined;
}

/** Job summaries may take 1 MiB; the comment version is capped by renderMarkdown's default. */
const SUMMARY_MAX_CHARS = 400_000;
const PR_FILE = 'pr.json';
const COMMENT_FILE = 'comment.md';
const VERDICT_FILE = 'loadgate-verdict.json';

async function writeText(path: string, text: string): Promise<string> {
  await mkdir(resolve(path, '..'), { recursive: true });
  await writeFile(path, text, 'utf8');
  return path;
}

function settingsOf(inputs: ActionInputs): RunSettings {
  return {
    cwd: inputs.cwd,
    baseUrl: inputs.baseUrl,
    readyTimeoutSeconds: inputs.readyTimeoutSeconds,
    profile: inputs.profile,
    ...(inputs.start === undefined ? {} : { start: inputs.start }),
    ...(inputs.readyUrl === undefined ? {} : { readyUrl: inputs.readyUrl }),
    ...(inputs.authToken === undefined ? {} : { token: inputs.authToken }),
    ...(inputs.config === undefined ? {} : { config: inputs.config }),
    ...(inputs.postgresUrl === undefined ? {} : { postgresUrl: inputs.postgresUrl }),
    ...(inputs.redisUrl === undefined ? {} : { redisUrl: inputs.redisUrl }),
  };
}

async function defaultBranchOf(deps: ActionDeps): Promise<string | undefined> {
  if (deps.ctx.defaultBranch) return deps.ctx.defaultBranch;
  if (!deps.octokit) return undefined;
  try {
    const { data } = await withRetry(
      () => deps.octokit!.rest.repos.get({ owner: deps.ctx.owner, repo: deps.ctx.repo }),
      deps.retry,
    );
    return data.default_branch;
  } catch {
    return undefined;
  }
}

async function loadBaseline(
  inputs: ActionInputs,
  deps: ActionDeps,
  saving: boolean,
): Promise<BaselineOutcome> {
  const none = (reason: string, notice?: string): BaselineOutcome => ({
    result: undefined,
    description: { kind: 'none', reason },
    ...(notice === undefined ? {} : { notice }),
  });
  const source = inputs.baseline;
  if (source.kind === 'none') return none('baseline: none');
  if (source.kind === 'file') return readBaselineFile(source.path, source.display);
  if (saving) return none('this run refreshes the baseline (push to the default branch)');
  const { ctx, octokit } = deps;
  if (!octokit || !inputs.githubToken) {
    const reason = 'no github-token to read the baseline artifact with';
    return { ...none(reason), warning: `${reason}: SLA verdicts only` };
  }
  if (!ctx.workflowFile || !ctx.owner) {
    const reason =
      'GITHUB_WORKFLOW_REF / GITHUB_REPOSITORY are not set (not running in GitHub Actions?)';
    return { ...none(reason), warning: `no baseline: ${reason}` };
  }
  const branch = await defaultBranchOf(deps);
  if (!branch) {
    const reason = 'the default branch is unknown (no repository in the event payload)';
    return { ...none(reason), warning: `no baseline: ${reason}` };
  }
  const store = new ArtifactBaselineStore({
    octokit,
    token: inputs.githubToken,
    owner: ctx.owner,
    repo: ctx.repo,
    workflow: ctx.workflowFile,
    defaultBranch: branch,
    artifactPrefix: '',
    ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
  });
  try {
    return fromArtifactLookup(await store.loadWithProvenance(inputs.baselineArtifact), branch);
  } catch (error) {
    // CorruptBaselineError: a result of another loadgate version or a broken upload.
    const message = (error as Error).message;
    return {
      ...none(`the baseline artifact is unusable (${message})`),
      warning: `${message}. Comparing against no baseline; the next push to ${branch} replaces it.`,
    };
  }
}

function describeRunError(error: unknown): { title: string; message: string } | undefined {
  if (error instanceof ServiceError) {
    const title =
      error.kind === 'crashed'
        ? 'the service crashed during the run'
        : error.kind === 'not-ready'
          ? 'the service did not become ready'
          : 'the service could not start';
    return { title, message: error.message };
  }
  if (error instanceof ConfigError) return { title: 'bad configuration', message: error.message };
  return undefined;
}

async function postComment(
  inputs: ActionInputs,
  deps: ActionDeps,
  marker: string,
  body: string,
  key: string,
): Promise<string | undefined> {
  const { ctx, octokit, log } = deps;
  if (inputs.comment === 'never') return undefined;
  if (ctx.prNumber === undefined) {
    log.info(`loadgate: no pull request in this ${ctx.eventName || 'run'}: no comment`);
    return undefined;
  }
  if (!octokit) {
    log.warning('loadgate: no github-token: the pull request comment is skipped');
    return undefined;
  }
  try {
    const out = await upsertStickyComment(octokit, {
      owner: ctx.owner,
      repo: ctx.repo,
      issueNumber: ctx.prNumber,
      marker,
      body,
      ...(inputs.comment === 'on-change'
        ? { onlyIfChanged: (previous: string) => readVerdictKey(previous) !== key }
        : { onlyIfChanged: () => true }),
      ...(deps.retry ? { retry: deps.retry } : {}),
    });
    log.info(`loadgate: comment ${out.action}: ${out.url}`);
    if (out.truncated) log.warning("loadgate: the comment was cut to fit GitHub's size limit");
    return out.url;
  } catch (error) {
    if (error instanceof ReadOnlyTokenError) {
      const artifact = reportArtifactName(ctx.job ?? 'run');
      log.notice(
        `loadgate could not comment on pull request #${ctx.prNumber}: the token is read-only (pull requests from forks get one). ` +
          `The verdict still decides this check; the report is in the job summary and the artifact ${artifact}. ` +
          'To comment on fork pull requests, add the workflow_run comment workflow (uses: <loadgate>/comment), see the README, "Fork pull requests".',
      );
      return undefined;
    }
    log.warning(
      `loadgate: the pull request comment failed (${(error as Error).message}); the report is in the job summary and the report artifact`,
    );
    return undefined;
  }
}

export async function runAction(inputs: ActionInputs, deps: ActionDeps): Promise<ActionOutcome> {
  const { ctx, log } = deps;
  const jobKey = ctx.job ?? 'loadgate';
  const marker = commentMarker(jobKey);
  const outDir = resolve(
    deps.env.RUNNER_TEMP ?? tmpdir(),
    'loadgate',
    jobKey.replace(/[^\w.-]+/g, '-'),
  );
  const failures: string[] = [];
  const outputs: Partial<Record<OutputName, string>> = { 'comment-url': '' };
  const setOutputs = (): void => {
    for (const name of OUTPUT_NAMES) deps.setOutput(name, outputs[name] ?? '');
  };
  const prJson: Record<string, string> =
    ctx.prNumber !== undefined && ctx.headSha
      ? {
          [PR_FILE]: `${JSON.stringify({
            number: ctx.prNumber,
            headSha: ctx.headSha,
            repository: ctx.repository,
            job: jobKey,
            runId: ctx.runId ?? null,
          })}\n`,
        }
      : {};

  // 1. Save or compare? Then find the baseline (never throws for a missing one).
  const save = decideSave(inputs.saveBaseline, ctx);
  if (save.warning) log.warning(`loadgate: ${save.warning}`);
  const baseline = await loadBaseline(inputs, deps, save.save);
  if (baseline.warning) log.warning(`loadgate: ${baseline.warning}`);
  if (baseline.notice) log.notice(`loadgate: ${baseline.notice}`);
  if (baseline.result)
    log.info(`loadgate: ${baselineLine(baseline.description).replace(/\*\*/g, '')}`);

  // 2. The run.
  let result: RunResult;
  try {
    result = await deps.executeRun({
      ...settingsOf(inputs),
      onProgress: (event) => {
        if (event.type === 'trial') {
          log.info(
            `${event.scenario}: trial ${event.trial}/${event.trials} ${Math.round(event.throughput)} req/s p95 ${event.p95.toFixed(2)} ms`,
          );
        } else if (event.type === 'scenario-failed') {
          log.warning(`${event.scenario}: ${event.message}`);
        }
      },
    });
  } catch (error) {
    const described = describeRunError(error);
    if (!described) throw error;
    // The run could not happen: say so everywhere a reader looks, then fail.
    const report = errorReport(marker, described.title, described.message);
    outputs.verdict = 'error';
    outputs['report-path'] = await writeText(join(outDir, 'loadgate-report.md'), report);
    const summary = await writeJobSummary(report);
    if (summary.warning) log.warning(`loadgate: ${summary.warning}`);
    if (isPullRequestEvent(ctx)) {
      outputs['comment-url'] = (await postComment(inputs, deps, marker, report, 'error')) ?? '';
    }
    setOutputs();
    return { failures: [`loadgate: ${described.title}: ${described.message}`], verdict: undefined };
  }

  // 3. Keep the measurement before anything else can go wrong.
  outputs['results-path'] = await writeText(
    join(outDir, 'loadgate-result.json'),
    `${JSON.stringify(result)}\n`,
  );
  log.info(`loadgate: result written to ${outputs['results-path']}`);

  // 4. Judge.
  let compared = baseline;
  let verdict: Verdict;
  try {
    verdict = judge(compared.result, result, inputs.judge);
  } catch (error) {
    if (!(error instanceof IncompatibleResultsError)) throw error;
    const reason = `the baseline cannot be compared (${error.message})`;
    if (inputs.baseline.kind === 'file') failures.push(`loadgate: ${reason}`);
    else log.warning(`loadgate: ${reason}: SLA verdicts only`);
    compared = { result: undefined, description: { kind: 'none', reason } };
    verdict = judge(undefined, result, inputs.judge);
  }
  if (baseline.fatal) failures.push(`loadgate: ${baseline.fatal}`);

  // 5. Reports: one capped for the comment, a longer one for the summary and the artifact.
  const key = verdictKey(verdict);
  const extra = [baselineLine(compared.description)];
  if (baseline.fatal) extra.push(`> [!CAUTION]\n> ${baseline.fatal.replace(/\n/g, ' ')}`);
  const base = compared.result;
  const commentBody = decorateReport(
    renderMarkdown(verdict, result, base, {
      marker: jobKey,
      fullReportHint: `the job summary and the artifact ${reportArtifactName(jobKey)}`,
    }),
    key,
    extra,
  );
  const fullReport = decorateReport(
    renderMarkdown(verdict, result, base, {
      marker: jobKey,
      maxChars: SUMMARY_MAX_CHARS,
      fullReportHint: `the artifact ${reportArtifactName(jobKey)}`,
    }),
    key,
    extra,
  );
  outputs['report-path'] = await writeText(join(outDir, 'loadgate-report.md'), fullReport);
  const verdictJson = `${JSON.stringify(verdict, null, 2)}\n`;
  await writeText(join(outDir, VERDICT_FILE), verdictJson);
  outputs.verdict = verdict.status;
  outputs.regressions = String(verdict.counts.regressions);
  outputs['sla-breaches'] = String(verdict.counts.slaBreaches);

  // 6. Publish: summary, report artifact, baseline, comment.
  const summary = await writeJobSummary(fullReport);
  if (summary.warning) log.warning(`loadgate: ${summary.warning}`);
  const uploaded = await uploadReportArtifact({
    result,
    markdown: fullReport,
    job: jobKey,
    extraFiles: { [COMMENT_FILE]: commentBody, [VERDICT_FILE]: verdictJson, ...prJson },
    retentionDays: deps.reportRetentionDays ?? 30,
    ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
  });
  if (uploaded.ok) log.info(`loadgate: report artifact ${uploaded.name} uploaded`);
  else log.warning(`loadgate: ${uploaded.warning}`);

  if (save.save) {
    const store = new ArtifactBaselineStore({
      // Uploading uses the runner's ACTIONS_RUNTIME_TOKEN; octokit and token are for reads only.
      octokit: deps.octokit as Octokit,
      token: inputs.githubToken ?? '',
      owner: ctx.owner,
      repo: ctx.repo,
      workflow: ctx.workflowFile ?? '',
      defaultBranch: ctx.defaultBranch ?? '',
      artifactPrefix: '',
      retentionDays: deps.baselineRetentionDays ?? 90,
      ...(deps.artifactClient ? { artifactClient: deps.artifactClient } : {}),
    });
    try {
      const saved = await store.upload(inputs.baselineArtifact, result);
      log.info(
        `loadgate: baseline saved as artifact ${saved.name} (id ${saved.id ?? '?'}, kept ${deps.baselineRetentionDays ?? 90} days or the repository's limit)`,
      );
    } catch (error) {
      failures.push(
        `loadgate: could not save the baseline artifact ${inputs.baselineArtifact}: ${(error as Error).message}. ` +
          'Pull requests keep comparing against the previous baseline; re-run this job to retry.',
      );
    }
  }

  outputs['comment-url'] = (await postComment(inputs, deps, marker, commentBody, key)) ?? '';
  setOutputs();

  if (verdict.failsCheck) failures.unshift(failureMessage(verdict));
  else if (verdict.status === 'fail') {
    log.warning(
      `loadgate: ${verdict.findings.length} finding(s), not failing the check (fail-on: ${inputs.judge.failOn.size === 0 ? 'none' : [...inputs.judge.failOn].join(',')})`,
    );
  }
  return { failures, verdict };
}
