/**
 * The action's front end of the gate (src/pipeline/gate-run.ts): the baseline comes from an
 * artifact, a committed file or nowhere; the report goes to the job summary, the report
 * artifact, the baseline artifact (refreshes) and the sticky comment (action/publishers.ts).
 * Inputs arrive parsed; the GitHub adapters and the log are passed in. Returns what fails the
 * check; the entry turns that into core.setFailed.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BaselineOutcome } from '../baseline/outcome.js';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { reportArtifactName, runKey } from '../github/report-artifact.js';
import type { Verdict } from '../judge/types.js';
import { partialOf, runGate, type GateRunOutcome } from '../pipeline/gate-run.js';
import { ResultWriteError } from '../pipeline/keep-result.js';
import { ERROR_VERDICT_KEY, verdictKey } from '../report/comment-protocol.js';
import { baselineLine, errorReport, failureMessage } from '../report/gate-text.js';
import { runSummaryTable } from '../report/run-summary.js';
import { changePointsOnMain, withChangePoints } from '../report/sections/trends.js';
import { ShardMergeError } from '../result/merge.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import type { RunSettings } from '../run/execute.js';
import { ServiceError } from '../service/errors.js';
import { SetupCommandError } from '../service/setup-command.js';
import { BaseCommitError } from './base-commit.js';
import { measureAgainstBaseCommit } from './base-commit-run.js';
import { decideSave, findBaseline, isPullRequestEvent } from './baseline.js';
import { findPreviousBaseline, historyStart, judgeOptionsFor, nextHistory } from './history.js';
import { OUTPUT_NAMES, type ActionDeps, type OutputName } from './deps.js';
import type { ActionInputs } from './inputs.js';
import { measureMergedShards } from './merge-job.js';
import { runShardLeg } from './shard-leg.js';
import {
  baselineArtifactPublisher,
  commentPublisher,
  jobSummaryPublisher,
  reportArtifactPublisher,
  runPublishers,
  type Publisher,
} from './publishers.js';

export { OUTPUT_NAMES, type ActionDeps, type ActionLog, type OutputName } from './deps.js';

export interface ActionOutcome {
  /** Non-empty = the check fails; each entry is a paragraph for core.setFailed. */
  failures: string[];
  verdict: Verdict | undefined;
}

const PR_FILE = 'pr.json';
const COMMENT_FILE = 'comment.md';
const VERDICT_FILE = 'loadgate-verdict.json';
const REPORT_FILE = 'loadgate-report.md';

function runSettingsOf(inputs: ActionInputs, deps: ActionDeps): RunSettings {
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
    ...(inputs.shard === undefined ? {} : { shard: inputs.shard }),
    onProgress: (event) => {
      if (event.type === 'trial') {
        deps.log.info(
          `${event.scenario}: trial ${event.trial}/${event.trials} ${Math.round(event.throughput)} req/s p95 ${event.p95.toFixed(2)} ms`,
        );
      } else if (event.type === 'scenario-failed') {
        deps.log.warning(`${event.scenario}: ${event.message}`);
      }
    },
  };
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
  if (error instanceof ShardMergeError) {
    return { title: 'the shard results could not be merged', message: error.message };
  }
  if (error instanceof ResultWriteError) {
    return { title: 'the result could not be written', message: error.message };
  }
  if (error instanceof ConfigError) return { title: 'bad configuration', message: error.message };
  if (error instanceof SetupCommandError) {
    return { title: 'the setup command failed', message: error.message };
  }
  if (error instanceof BaseCommitError) {
    return { title: 'the base commit could not be prepared', message: error.message };
  }
  return undefined;
}

/** The job's files and outputs, set once at the end whatever happened. */
class ActionOutputs {
  readonly values: Partial<Record<OutputName, string>> = { 'comment-url': '' };
  constructor(private readonly deps: ActionDeps) {}
  flush(): void {
    for (const name of OUTPUT_NAMES) this.deps.setOutput(name, this.values[name] ?? '');
  }
}

export async function runAction(inputs: ActionInputs, deps: ActionDeps): Promise<ActionOutcome> {
  const { ctx, log } = deps;
  const jobKey = runKey(ctx.job, inputs.name);
  // A folder of this step's own: matrix legs and two loadgate steps of one job never share one.
  const outRoot = resolve(deps.env.RUNNER_TEMP ?? tmpdir(), 'loadgate');
  await mkdir(outRoot, { recursive: true });
  const outDir = await mkdtemp(join(outRoot, `${jobKey.replace(/[^\w.-]+/g, '-')}-`));
  const outputs = new ActionOutputs(deps);
  // A shard leg measures its share and uploads it: no baseline, verdict or comment (shard-leg.ts).
  if (inputs.shard !== undefined) {
    const settings = runSettingsOf(inputs, deps);
    return runShardLeg(inputs, deps, {
      shard: inputs.shard,
      outDir,
      settings,
      describeError: describeRunError,
    });
  }

  // 1. Save or compare? Then find the baseline (never throws for a missing one).
  const save = decideSave(inputs.saveBaseline, ctx);
  if (save.warning) log.warning(`loadgate: ${save.warning}`);
  const baseline = await findBaseline(inputs, deps, save.save);
  logBaseline(baseline, deps);
  // The history of the default branch: judged against (pull requests), appended to (refreshes).
  const judgeOptions = judgeOptionsFor(inputs, deps, baseline);
  const previous = save.save ? await findPreviousBaseline(inputs, deps) : undefined;

  // 2. The gate: run, keep the result, judge, render.
  let gate: GateRunOutcome;
  // Once: a signal's publishing and the run's own error (the services it stopped) never both.
  let errorPublished: Promise<ActionOutcome> | undefined;
  const publishError = (
    described: { title: string; message: string },
    partial: { result: RunResult; path: string } | undefined,
  ): Promise<ActionOutcome> =>
    (errorPublished ??= publishRunError(described, inputs, deps, {
      jobKey,
      outDir,
      outputs,
      partial,
    }));
  try {
    gate = await runGate({
      measure: (onPartialResult) =>
        inputs.merge !== undefined
          ? measureMergedShards(inputs.merge, inputs.name, deps)
          : inputs.baseline.kind === 'base-commit'
            ? measureAgainstBaseCommit(inputs, deps, {
                ...runSettingsOf(inputs, deps),
                onPartialResult,
              })
            : deps.executeRun({ ...runSettingsOf(inputs, deps), onPartialResult }),
      baseline,
      judge: judgeOptions,
      resultPath: join(outDir, 'loadgate-result.json'),
      markerKey: jobKey,
      hints: {
        comment: `the job summary and the artifact ${reportArtifactName(jobKey)}`,
        full: `the artifact ${reportArtifactName(jobKey)}`,
      },
      incompatibleBaseline: inputs.baseline.kind === 'file' ? 'fail' : 'sla-only',
      // A refresh's reports show every scenario's trend over the history as it was loaded.
      ...(previous ? { history: historyStart(previous).history, trends: 'all' as const } : {}),
      onResultWritten: (path) => {
        outputs.values['results-path'] = path;
        log.info(`loadgate: result written to ${path}`);
      },
      onPartial: (event) => {
        if ('path' in event) outputs.values['results-path'] = event.path;
        else log.warning(`loadgate: cannot write the partial result: ${event.error}`);
      },
      // Cancelled (SIGINT, then SIGTERM from the runner): publish what finished before exiting.
      onSignal: async (partial, signal) => {
        await publishError(
          { title: `the run was stopped (${signal})`, message: stoppedMessage(signal) },
          partial,
        );
      },
    });
  } catch (error) {
    const described = describeRunError(error);
    if (!described) throw error;
    return publishError(described, partialOf(error));
  }
  for (const warning of gate.warnings) log.warning(`loadgate: ${warning}`);
  // What the run could not measure (Postgres or Redis unreachable or silent).
  for (const warning of gate.result.warnings ?? []) log.warning(`loadgate: ${warning}`);
  const failures = gate.problems.map((p) => `loadgate: ${p}`);

  // 3. Files and outputs, then the publishers.
  outputs.values['report-path'] = await writeFileAtomic(join(outDir, REPORT_FILE), gate.report);
  await writeFileAtomic(join(outDir, VERDICT_FILE), gate.verdictJson);
  outputs.values.verdict = gate.verdict.status;
  outputs.values.regressions = String(gate.verdict.counts.regressions);
  outputs.values['sla-breaches'] = String(gate.verdict.counts.slaBreaches);

  const history = previous && (await nextHistory(gate.result, previous, inputs, deps));
  // Change points on main over the history this refresh stores: in the summary, new ones in the
  // output `change-points` (report/sections/trends.ts, judge/change-points.ts).
  // Never in the way of the refresh itself: a failure here is a warning.
  try {
    if (history && previous) {
      const changes = changePointsOnMain(
        history,
        historyStart(previous).history,
        { alpha: inputs.judge.alpha, minEffect: inputs.judge.minEffect },
        { repositoryUrl: `${ctx.serverUrl}/${ctx.repository}` },
      );
      gate = { ...gate, report: withChangePoints(gate.report, changes.markdown) };
      outputs.values['report-path'] = await writeFileAtomic(join(outDir, REPORT_FILE), gate.report);
      outputs.values['change-points'] = changes.output;
      // A warning for what the output carries (new unexpected regressions), else a notice.
      if (changes.headline) {
        if (changes.output) log.warning(`loadgate: ${changes.headline}`);
        else log.notice(`loadgate: ${changes.headline}`);
      }
    }
  } catch (error) {
    log.warning(
      `loadgate: change points not searched: ${(error as Error)?.message ?? String(error)}`,
    );
  }
  const publishers = publishersFor(gate, inputs, deps, {
    jobKey,
    save: save.save,
    outputs,
    ...(history === undefined ? {} : { history }),
  });
  failures.push(...(await runPublishers(publishers, log)));
  outputs.flush();

  if (gate.verdict.failsCheck) failures.unshift(failureMessage(gate.verdict));
  else if (gate.verdict.status === 'fail') {
    const failOn = inputs.judge.failOn.size === 0 ? 'none' : [...inputs.judge.failOn].join(',');
    log.warning(
      `loadgate: ${gate.verdict.findings.length} finding(s), not failing the check (fail-on: ${failOn})`,
    );
  }
  return { failures, verdict: gate.verdict };
}

/** Summary, report artifact, baseline artifact (refreshes only) and comment, in that order. */
function publishersFor(
  gate: GateRunOutcome,
  inputs: ActionInputs,
  deps: ActionDeps,
  run: { jobKey: string; save: boolean; outputs: ActionOutputs; history?: History },
): Publisher[] {
  return [
    jobSummaryPublisher(gate.report, deps.log),
    reportArtifactPublisher(
      {
        result: gate.result,
        markdown: gate.report,
        extraFiles: {
          [COMMENT_FILE]: gate.comment,
          [VERDICT_FILE]: gate.verdictJson,
          ...prClaimFile(deps, run.jobKey),
        },
      },
      run.jobKey,
      deps,
    ),
    ...(run.save ? [baselineArtifactPublisher(gate.result, inputs, deps, run.history)] : []),
    commentPublisher(
      { markerKey: run.jobKey, body: gate.comment, verdictKey: verdictKey(gate.verdict) },
      inputs,
      deps,
      (url) => (run.outputs.values['comment-url'] = url),
    ),
  ];
}

/** What finished before the run ended, for the error report. */
function partialSection(partial: { result: RunResult; path: string } | undefined): string {
  if (partial?.result.partial === undefined) return '';
  const { completed, planned } = partial.result.partial;
  const table = runSummaryTable(partial.result);
  return [
    '',
    `**${completed} of ${planned} scenarios finished** before the run ended; their partial result is \`loadgate-result.json\` in the report artifact (not judged, never a baseline).`,
    '',
    ...(table.includes('```') ? [] : ['```text', table, '```', '']),
  ].join('\n');
}

function logBaseline(baseline: BaselineOutcome, deps: ActionDeps): void {
  if (baseline.warning) deps.log.warning(`loadgate: ${baseline.warning}`);
  if (baseline.notice) deps.log.notice(`loadgate: ${baseline.notice}`);
  if (baseline.result) {
    deps.log.info(`loadgate: ${baselineLine(baseline.description).replace(/\*\*/g, '')}`);
  }
}

/** On pull requests, the claim the fork-safe commenter checks before it posts (comment/). */
function prClaimFile(deps: ActionDeps, jobKey: string): Record<string, string> {
  const { ctx } = deps;
  if (ctx.prNumber === undefined || !ctx.headSha) return {};
  const claim = {
    number: ctx.prNumber,
    headSha: ctx.headSha,
    repository: ctx.repository,
    job: jobKey,
    runId: ctx.runId ?? null,
  };
  return { [PR_FILE]: `${JSON.stringify(claim)}\n` };
}

function stoppedMessage(signal: NodeJS.Signals): string {
  return `loadgate got ${signal} during the run (the job was cancelled or timed out): the services were stopped, no verdict was reached.`;
}

/**
 * The run could not happen or ended early: say so everywhere a reader looks, then fail. The
 * scenarios that finished (the partial result) go into the summary and, with the error report and
 * the pull request's claim, into the report artifact (the fork commenter posts from it).
 */
async function publishRunError(
  described: { title: string; message: string },
  inputs: ActionInputs,
  deps: ActionDeps,
  where: {
    jobKey: string;
    outDir: string;
    outputs: ActionOutputs;
    partial?: { result: RunResult; path: string } | undefined;
  },
): Promise<ActionOutcome> {
  const { partial } = where;
  const report =
    errorReport(where.jobKey, described.title, described.message) + partialSection(partial);
  where.outputs.values.verdict = 'error';
  if (partial) where.outputs.values['results-path'] = partial.path;
  where.outputs.values['report-path'] = await writeFileAtomic(
    join(where.outDir, REPORT_FILE),
    report,
  );
  const publishers = [
    jobSummaryPublisher(report, deps.log),
    reportArtifactPublisher(
      {
        ...(partial ? { result: partial.result } : {}),
        markdown: report,
        extraFiles: prClaimFile(deps, where.jobKey),
      },
      where.jobKey,
      deps,
    ),
  ];
  if (isPullRequestEvent(deps.ctx)) {
    publishers.push(
      commentPublisher(
        { markerKey: where.jobKey, body: report, verdictKey: ERROR_VERDICT_KEY },
        inputs,
        deps,
        (url) => (where.outputs.values['comment-url'] = url),
      ),
    );
  }
  await runPublishers(publishers, deps.log);
  where.outputs.flush();
  return {
    failures: [`loadgate: ${described.title}: ${described.message}`],
    verdict: undefined,
  };
}
