/**
 * The action's error path: a run that could not happen, or ended early (the service crashed, the
 * job was cancelled), is described, reported everywhere a reader looks, and fails the check.
 */
import { join } from 'node:path';
import { ConfigError } from '../config/errors.js';
import { writeFileAtomic } from '../files/write-atomic.js';
import { ResultWriteError } from '../pipeline/keep-result.js';
import { ERROR_VERDICT_KEY } from '../report/comment-protocol.js';
import { errorReport } from '../report/gate-text.js';
import { runSummaryTable } from '../report/run-summary.js';
import { ShardMergeError } from '../result/merge.js';
import type { RunResult } from '../result/types.js';
import { ServiceError } from '../service/errors.js';
import { SetupCommandError } from '../service/setup-command.js';
import { BaseCommitError } from './base-commit.js';
import { isPullRequestEvent } from './baseline.js';
import type { ActionDeps } from './deps.js';
import type { ActionInputs } from './inputs.js';
import {
  commentPublisher,
  jobSummaryPublisher,
  reportArtifactPublisher,
  runPublishers,
} from './publishers.js';
import { prClaimFile, REPORT_FILE, type ActionOutputs } from './run-files.js';
import type { Verdict } from '../judge/types.js';

export interface ActionOutcome {
  /** Non-empty = the check fails; each entry is a paragraph for core.setFailed. */
  failures: string[];
  verdict: Verdict | undefined;
}

export function describeRunError(error: unknown): { title: string; message: string } | undefined {
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

export function stoppedMessage(signal: NodeJS.Signals): string {
  return `loadgate got ${signal} during the run (the job was cancelled or timed out): the services were stopped, no verdict was reached.`;
}

export /**
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
