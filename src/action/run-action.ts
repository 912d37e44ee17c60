/**
 * The action's front end of the gate (src/pipeline/gate-run.ts): the baseline comes from an
 * artifact, a committed file or nowhere; the report goes to the job summary, the report
 * artifact, the baseline artifact (refreshes) and the sticky comment (action/publishers.ts).
 * Inputs arrive parsed; the GitHub adapters and the log are passed in. Returns what fails the
 * check; the entry turns that into core.setFailed.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BaselineOutcome } from '../baseline/outcome.js';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { reportArtifactName } from '../github/report-artifact.js';
import type { Verdict } from '../judge/types.js';
import { runGate, type GateRunOutcome } from '../pipeline/gate-run.js';
import { ERROR_VERDICT_KEY, verdictKey } from '../report/comment-protocol.js';
import { baselineLine, errorReport, failureMessage } from '../report/gate-text.js';
import type { RunSettings } from '../run/execute.js';
import { ServiceError } from '../service/errors.js';
import { decideSave, findBaseline, isPullRequestEvent } from './baseline.js';
import { OUTPUT_NAMES, type ActionDeps, type OutputName } from './deps.js';
import type { ActionInputs } from './inputs.js';
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
  if (error instanceof ConfigError) return { title: 'bad configuration', message: error.message };
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
  const jobKey = ctx.job ?? 'loadgate';
  const outDir = resolve(
    deps.env.RUNNER_TEMP ?? tmpdir(),
    'loadgate',
    jobKey.replace(/[^\w.-]+/g, '-'),
  );
  const outputs = new ActionOutputs(deps);

  // 1. Save or compare? Then find the baseline (never throws for a missing one).
  const save = decideSave(inputs.saveBaseline, ctx);
  if (save.warning) log.warning(`loadgate: ${save.warning}`);
  const baseline = await findBaseline(inputs, deps, save.save);
  logBaseline(baseline, deps);

  // 2. The gate: run, keep the result, judge, render.
  let gate: GateRunOutcome;
  try {
    gate = await runGate({
      settings: runSettingsOf(inputs, deps),
      baseline,
      judge: inputs.judge,
      resultPath: join(outDir, 'loadgate-result.json'),
      markerKey: jobKey,
      hints: {
        comment: `the job summary and the artifact ${reportArtifactName(jobKey)}`,
        full: `the artifact ${reportArtifactName(jobKey)}`,
      },
      incompatibleBaseline: inputs.baseline.kind === 'file' ? 'fail' : 'sla-only',
      executeRun: deps.executeRun,
      onResultWritten: (path) => {
        outputs.values['results-path'] = path;
        log.info(`loadgate: result written to ${path}`);
      },
    });
  } catch (error) {
    const described = describeRunError(error);
    if (!described) throw error;
    return publishRunError(described, inputs, deps, { jobKey, outDir, outputs });
  }
  for (const warning of gate.warnings) log.warning(`loadgate: ${warning}`);
  const failures = gate.problems.map((p) => `loadgate: ${p}`);

  // 3. Files and outputs, then the publishers.
  outputs.values['report-path'] = await writeFileAtomic(join(outDir, REPORT_FILE), gate.report);
  await writeFileAtomic(join(outDir, VERDICT_FILE), gate.verdictJson);
  outputs.values.verdict = gate.verdict.status;
  outputs.values.regressions = String(gate.verdict.counts.regressions);
  outputs.values['sla-breaches'] = String(gate.verdict.counts.slaBreaches);

  const publishers = publishersFor(gate, inputs, deps, { jobKey, save: save.save, outputs });
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
  run: { jobKey: string; save: boolean; outputs: ActionOutputs },
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
    ...(run.save ? [baselineArtifactPublisher(gate.result, inputs, deps)] : []),
    commentPublisher(
      { markerKey: run.jobKey, body: gate.comment, verdictKey: verdictKey(gate.verdict) },
      inputs,
      deps,
      (url) => (run.outputs.values['comment-url'] = url),
    ),
  ];
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

/** The run could not happen: say so everywhere a reader looks, then fail. */
async function publishRunError(
  described: { title: string; message: string },
  inputs: ActionInputs,
  deps: ActionDeps,
  where: { jobKey: string; outDir: string; outputs: ActionOutputs },
): Promise<ActionOutcome> {
  const report = errorReport(where.jobKey, described.title, described.message);
  where.outputs.values.verdict = 'error';
  where.outputs.values['report-path'] = await writeFileAtomic(
    join(where.outDir, REPORT_FILE),
    report,
  );
  const publishers = [jobSummaryPublisher(report, deps.log)];
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
