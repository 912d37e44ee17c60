/**
 * Where the action's reports link to: this workflow run, its report artifact (on the run's page)
 * and the statistics doc of the loadgate version that runs (GITHUB_ACTION_REPOSITORY and
 * GITHUB_ACTION_REF, set by the runner for the action's own repository). Pure.
 */
import type { ActionsContext } from '../github/context.js';
import { reportArtifactName } from '../github/report-artifact.js';
import type { ReportLinks } from '../report/markdown.js';

const REPOSITORY_RE = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const REF_RE = /^[A-Za-z0-9_./-]{1,200}$/;

export function reportLinks(
  ctx: Pick<ActionsContext, 'serverUrl' | 'repository' | 'runId'>,
  env: Record<string, string | undefined>,
  jobKey: string,
): ReportLinks {
  const server = ctx.serverUrl.replace(/\/+$/, '');
  const links: ReportLinks = {};
  if (ctx.runId !== undefined && REPOSITORY_RE.test(ctx.repository)) {
    links.run = `${server}/${ctx.repository}/actions/runs/${ctx.runId}`;
    links.artifact = { name: reportArtifactName(jobKey), url: `${links.run}#artifacts` };
  }
  const action = env.GITHUB_ACTION_REPOSITORY ?? '';
  const ref = env.GITHUB_ACTION_REF ?? '';
  if (REPOSITORY_RE.test(action) && REF_RE.test(ref)) {
    links.statisticsDoc = `${server}/${action}/blob/${ref}/docs/statistics.md`;
  }
  return links;
}
