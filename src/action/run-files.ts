/**
 * What one action step leaves behind: the names of its files, the outputs it sets once at the
 * end whatever happened, and the pull request claim the fork-safe commenter checks.
 */
import type { ActionDeps, OutputName } from './deps.js';
import { OUTPUT_NAMES } from './deps.js';

export const PR_FILE = 'pr.json';
export const COMMENT_FILE = 'comment.md';
export const VERDICT_FILE = 'loadgate-verdict.json';
export const REPORT_FILE = 'loadgate-report.md';

export /** The job's files and outputs, set once at the end whatever happened. */
class ActionOutputs {
  readonly values: Partial<Record<OutputName, string>> = { 'comment-url': '' };
  constructor(private readonly deps: ActionDeps) {}
  flush(): void {
    for (const name of OUTPUT_NAMES) this.deps.setOutput(name, this.values[name] ?? '');
  }
}

/** On pull requests, the claim the fork-safe commenter checks before it posts (comment/). */
export function prClaimFile(deps: ActionDeps, jobKey: string): Record<string, string> {
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
