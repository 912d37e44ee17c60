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
import { writeFileAtomic } from '../files/write-atomic.js';
import type { BaselineLookup } from '../github/baseline-artifact.js';
import { reportArtifactName, runKey } from '../github/report-artifact.js';
import type { JudgeOptions } from '../judge/types.js';
import {
  partialOf,
  runGate,
  type GateRunInput,
  type GateRunOutcome,
} from '../pipeline/gate-run.js';
import { verdictKey } from '../report/comment-protocol.js';
import { baselineLine, failureMessage } from '../report/gate-text.js';
import { changePointsOnMain, withChangePoints } from '../report/sections/trends.js';
import type { History } from '../result/history.js';
import type { RunResult } from '../result/types.js';
import type { RunSettings } from '../run/execute.js';
import { measureAgainstBaseCommit } from './base-commit-run.js';
import { profileArtifactFiles } from './profile-files.js';
import { baselineAdvice, decideSave, findBaseline } from './baseline.js';
import type { ActionDeps } from './deps.js';
import {
  findPreviousBaseline,
  historyStart,
  judgedHistory,
  judgeOptionsFor,
  nextHistory,
} from './history.js';
import type { ActionInputs } from './inputs.js';
import { progressLog } from './progress-log.js';
import { measureMergedShards } from './merge-job.js';
import {
  baselineArtifactPublisher,
  commentPublisher,
  jobSummaryPublisher,
  reportArtifactPublisher,
  runPublishers,
  type Publisher,
} from './publishers.js';
import {
  describeRunError,
  publishRunError,
  stoppedMessage,
  type ActionOutcome,
} from './run-error.js';
import {
  ActionOutputs,
  COMMENT_FILE,
  prClaimFile,
  REPORT_FILE,
  VERDICT_FILE,
} from './run-files.js';
import { reportLinks } from './report-links.js';
import { runSettingsOf } from './run-settings.js';
import { runShardLeg } from './shard-leg.js';
import { guardUntrustedCode } from './untrusted-code.js';

export { OUTPUT_NAMES, type ActionDeps, type ActionLog, type OutputName } from './deps.js';
export type { ActionOutcome } from './run-error.js';

export async function runAction(inputs: ActionInputs, deps: ActionDeps): Promise<ActionOutcome> {
  // Before anything is looked up or started (action/untrusted-code.ts).
  const lift = guardUntrustedCode(deps.ctx.eventName, inputs, deps.log);
  try {
    return await gateAction(inputs, deps);
  } finally {
    lift();
  }
}

async function gateAction(inputs: ActionInputs, deps: ActionDeps): Promise<ActionOutcome> {
  const { ctx, log } = deps;
  const jobKey = runKey(ctx.job, inputs.name);
  const outDir = await stepFolder(deps, jobKey);
  const outputs = new ActionOutputs(deps);
  // A shard leg measures its share and uploads it: no baseline, verdict or comment (shard-leg.ts).
  if (inputs.shard !== undefined) {
    const settings = runSettingsOf(inputs, progressLog(deps.log, inputs.judge));
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
  const advice = baselineAdvice(inputs.baseline, ctx);
  if (advice) log.warning(`loadgate: ${advice}`);
  const judgeOptions = judgeOptionsFor(inputs, deps);
  // The history of the default branch: judged against (pull requests), appended to (refreshes).
  const judged = judgedHistory(baseline, log);
  const previous = save.save ? await findPreviousBaseline(inputs, deps) : undefined;
  // A refresh looks up no baseline artifact (it is the next one), so never both: its reports
  // show every scenario's trend over the history as it was loaded.
  const loaded: GateRunInput['history'] = previous
    ? { runs: historyStart(previous).history, judged: false }
    : judged && { runs: judged, judged: true };

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
    gate = await runGate(
      gateInput(
        inputs,
        deps,
        { baseline, judgeOptions, history: loaded, jobKey, outDir, outputs, advice },
        publishError,
      ),
    );
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
  if (history && previous) {
    gate = await reportChangePoints(gate, history, previous, inputs, deps, { outDir, outputs });
  }
  const publishers = publishersFor(gate, inputs, deps, {
    jobKey,
    profiles: await profileArtifactFiles(gate.result, outDir, (m) => log.warning(`loadgate: ${m}`)),
    save: save.save,
    outputs,
    ...(history === undefined ? {} : { history }),
  });
  failures.push(...(await runPublishers(publishers, log)));
  outputs.flush();

  return { failures: withVerdict(failures, gate, inputs, deps), verdict: gate.verdict };
}

/** A folder of this step's own: matrix legs and two loadgate steps of one job never share one. */
async function stepFolder(deps: ActionDeps, jobKey: string): Promise<string> {
  const root = resolve(deps.env.RUNNER_TEMP ?? tmpdir(), 'loadgate');
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, `${jobKey.replace(/[^\w.-]+/g, '-')}-`));
}

/** The verdict's own failure first, or a warning when fail-on lets findings pass. */
function withVerdict(
  failures: string[],
  gate: GateRunOutcome,
  inputs: ActionInputs,
  deps: ActionDeps,
): string[] {
  if (gate.verdict.failsCheck) return [failureMessage(gate.verdict), ...failures];
  if (gate.verdict.status === 'fail') {
    const failOn = inputs.judge.failOn.size === 0 ? 'none' : [...inputs.judge.failOn].join(',');
    deps.log.warning(
      `loadgate: ${gate.verdict.findings.length} finding(s), not failing the check (fail-on: ${failOn})`,
    );
  }
  return failures;
}

/** What the gate needs from this step: the measurement, the baseline, where files and events go. */
function gateInput(
  inputs: ActionInputs,
  deps: ActionDeps,
  run: {
    baseline: BaselineOutcome;
    judgeOptions: JudgeOptions;
    history: GateRunInput['history'];
    jobKey: string;
    outDir: string;
    outputs: ActionOutputs;
    /** A recommendation for the job summary (baselineAdvice). */
    advice?: string | undefined;
  },
  publishError: (
    described: { title: string; message: string },
    partial: { result: RunResult; path: string } | undefined,
  ) => Promise<ActionOutcome>,
): GateRunInput {
  const { log } = deps;
  const { baseline, judgeOptions, history, jobKey, outDir, outputs } = run;
  return {
    measure: (onPartialResult) => measure(inputs, deps, onPartialResult, outDir),
    baseline,
    judge: judgeOptions,
    resultPath: join(outDir, 'loadgate-result.json'),
    markerKey: jobKey,
    hints: {
      comment: `the job summary and the artifact ${reportArtifactName(jobKey)}`,
      full: `the artifact ${reportArtifactName(jobKey)}`,
    },
    incompatibleBaseline: inputs.baseline.kind === 'file' ? 'fail' : 'sla-only',
    ...(run.advice === undefined ? {} : { reportWarnings: [run.advice] }),
    links: reportLinks(deps.ctx, deps.env, jobKey),
    ...(history === undefined ? {} : { history }),
    // A refresh's reports show every scenario's trend.
    ...(history?.judged === false ? { trends: 'all' as const } : {}),
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
  };
}

/** The measurement this run makes: merged shards, base and head side by side, or one run. */
function measure(
  inputs: ActionInputs,
  deps: ActionDeps,
  onPartialResult: RunSettings['onPartialResult'],
  outDir: string,
): Promise<RunResult> {
  if (inputs.merge !== undefined) return measureMergedShards(inputs.merge, inputs.name, deps);
  const progress = progressLog(deps.log, inputs.judge);
  const settings = {
    ...runSettingsOf(inputs, progress),
    ...(onPartialResult === undefined ? {} : { onPartialResult }),
  };
  const measured =
    inputs.baseline.kind === 'base-commit'
      ? measureAgainstBaseCommit(inputs, deps, settings, outDir)
      : deps.executeRun(settings);
  return measured.finally(progress.close);
}

/**
 * Change points on main over the history a refresh stores: in the summary, new ones in the
 * output `change-points` (report/sections/trends.ts, judge/change-points.ts). Never in the way
 * of the refresh itself: a failure here is a warning.
 */
async function reportChangePoints(
  gate: GateRunOutcome,
  history: History,
  previous: BaselineLookup,
  inputs: ActionInputs,
  deps: ActionDeps,
  run: { outDir: string; outputs: ActionOutputs },
): Promise<GateRunOutcome> {
  const { ctx, log } = deps;
  try {
    const changes = changePointsOnMain(
      history,
      historyStart(previous).history,
      { alpha: inputs.judge.alpha, minEffect: inputs.judge.minEffect },
      { repositoryUrl: `${ctx.serverUrl}/${ctx.repository}` },
    );
    const report = withChangePoints(gate.report, changes.markdown);
    run.outputs.values['report-path'] = await writeFileAtomic(
      join(run.outDir, REPORT_FILE),
      report,
    );
    run.outputs.values['change-points'] = changes.output;
    // A warning for what the output carries (new unexpected regressions), else a notice.
    if (changes.headline) {
      if (changes.output) log.warning(`loadgate: ${changes.headline}`);
      else log.notice(`loadgate: ${changes.headline}`);
    }
    return { ...gate, report };
  } catch (error) {
    log.warning(
      `loadgate: change points not searched: ${(error as Error)?.message ?? String(error)}`,
    );
    return gate;
  }
}

/** Summary, report artifact, baseline artifact (refreshes only) and comment, in that order. */
function publishersFor(
  gate: GateRunOutcome,
  inputs: ActionInputs,
  deps: ActionDeps,
  run: {
    jobKey: string;
    save: boolean;
    outputs: ActionOutputs;
    history?: History;
    /** The CPU profiles (profileArtifactFiles), by their name in the artifact. */
    profiles: Record<string, string>;
  },
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
          ...run.profiles,
        },
      },
      run.jobKey,
      deps,
    ),
    ...(run.save ? [baselineArtifactPublisher(gate.result, inputs, deps, run.history)] : []),
    commentPublisher(
      {
        markerKey: run.jobKey,
        body: gate.comment,
        verdictKey: verdictKey(gate.verdict),
        failsCheck: gate.verdict.failsCheck || gate.problems.length > 0,
      },
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
