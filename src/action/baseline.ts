/**
 * Where this run's baseline comes from, and whether this run writes one.
 *
 * - `baseline: artifact`: the default branch's latest successful push run of this workflow in
 *   this repository (ArtifactBaselineStore). Anything missing (first run, expired, deleted, the
 *   API failing after retries) is "no baseline": SLA verdicts only, never a crash. A corrupt
 *   artifact is also "no baseline", with a warning (a result of an older loadgate version; the
 *   next push to the default branch replaces it).
 * - `baseline: <path>`: a committed RunResult file. Missing = no baseline (with a notice);
 *   corrupt = the run still happens and is published, then the check fails naming the file.
 * - A run that saves the baseline (push to the default branch) is not compared: it *is* the
 *   baseline.
 */
import { readFile } from 'node:fs/promises';
import type { ActionsContext } from '../github/context.js';
import type { BaselineLookup } from '../github/baseline-artifact.js';
import { parseRunResult, RunResultError } from '../result/schema.js';
import type { RunResult } from '../result/types.js';
import type { ActionInputs } from './inputs.js';
import type { BaselineDescription } from './report-text.js';

export interface BaselineOutcome {
  result: RunResult | undefined;
  description: BaselineDescription;
  /** Shown as a workflow warning. */
  warning?: string;
  /** Shown as a notice. */
  notice?: string;
  /** Fails the check after the run is published (corrupt baseline file). */
  fatal?: string;
}

export interface SaveDecision {
  save: boolean;
  /** Why a requested save was refused or is unusual. */
  warning?: string;
}

/** Events whose runs may carry code from a pull request: they never write the baseline. */
export function isPullRequestEvent(ctx: Pick<ActionsContext, 'eventName' | 'prNumber'>): boolean {
  return ctx.eventName.startsWith('pull_request') || ctx.prNumber !== undefined;
}

export function decideSave(
  mode: ActionInputs['saveBaseline'],
  ctx: Pick<ActionsContext, 'eventName' | 'prNumber' | 'isDefaultBranchPush' | 'headBranch'>,
): SaveDecision {
  if (mode === 'false') return { save: false };
  if (isPullRequestEvent(ctx)) {
    return mode === 'true'
      ? {
          save: false,
          warning:
            'save-baseline: true is ignored on pull requests: a pull request can never write the baseline (it would let unmerged code set the bar). The baseline is saved by pushes to the default branch.',
        }
      : { save: false };
  }
  if (mode === 'auto') return { save: ctx.isDefaultBranchPush };
  return ctx.isDefaultBranchPush
    ? { save: true }
    : {
        save: true,
        warning: `save-baseline: true on ${ctx.eventName}${ctx.headBranch ? ` of ${ctx.headBranch}` : ''}: the artifact is uploaded, but pull requests only read baselines from successful push runs on the default branch.`,
      };
}

export async function readBaselineFile(path: string, display: string): Promise<BaselineOutcome> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const reason = `no baseline file at ${display} yet (commit a result there, e.g. the results-path output of a run on the default branch)`;
      return { result: undefined, description: { kind: 'none', reason }, notice: reason };
    }
    const fatal = `baseline file ${display} cannot be read (${(e as Error).message})`;
    return { result: undefined, description: { kind: 'none', reason: fatal }, fatal };
  }
  try {
    const result = parseRunResult(text, display);
    return {
      result,
      description: {
        kind: 'file',
        display,
        gitSha: result.git?.sha ?? null,
        startedAt: result.startedAt,
      },
    };
  } catch (e) {
    if (!(e instanceof RunResultError)) throw e;
    const fatal = `baseline file ${e.message}. Fix or replace it (a result JSON from this loadgate version), or set baseline: none.`;
    return {
      result: undefined,
      description: { kind: 'none', reason: `baseline file ${display} is corrupt` },
      fatal,
    };
  }
}

/** What a lookup in artifacts found, as an outcome. */
export function fromArtifactLookup(found: BaselineLookup, branch: string): BaselineOutcome {
  if ('missing' in found) {
    return {
      result: undefined,
      description: { kind: 'none', reason: found.missing },
      notice: `no baseline: ${found.missing}; SLA verdicts only`,
    };
  }
  return {
    result: found.result,
    description: {
      kind: 'artifact',
      runId: found.runId,
      runUrl: found.runUrl,
      headSha: found.headSha,
      branch,
      createdAt: found.createdAt,
      ageDays: found.ageDays,
      artifactName: found.artifactName,
    },
  };
}
