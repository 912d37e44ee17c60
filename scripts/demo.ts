/**
 * `npm run demo`: the recommended gate on the bundled example admin service (SQLite in memory):
 * the base and the head of a change started side by side, measured in pairs of trials and
 * judged paired, as `baseline: base-commit` does in a pull request.
 *
 * Here both sides are this checkout; the "change" is the `DEMO_FAULT` knob on the head only
 * (default busy-search:1ms: every search burns 1 ms more CPU, about 2.4 times its own). Both sides install the fault
 * hook (`busy-health`, a route the load never calls), so the knob is the only difference. The
 * default A/B plan: the 7 preset scenarios in rounds until each is decided, within the default
 * budget of 5 minutes (config/mode.ts). The example service is bundled first
 * (scripts/bundle-for-runs.ts), so each of its restarts takes a fraction of a second.
 * Output: .loadgate/demo/result.json, comment.md (the PR comment loadgate would post), report.md
 * (the full report of the job summary and the artifact), verdict.json.
 * The stored-baseline gate (a baseline run, then a run against it): `npm run demo:stored`.
 */
import { consoleOutput } from '../src/cli/main.js';
import { abCommand } from '../src/commands/ab.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import { installSignalCleanup } from '../src/service/index.js';
import { BUNDLED, bundleForRuns } from './bundle-for-runs.js';
import { writeFileAtomic } from '../src/files/write-atomic.js';
import { verdictKey } from '../src/report/comment-protocol.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { abBaseRun } from '../src/result/ab.js';

const out = (line: string) => consoleOutput.out(line);
const neutral = 'busy-health:0.001ms';
const fault = process.env.DEMO_FAULT ?? 'busy-search:1ms';
installSignalCleanup();
await bundleForRuns();

out(`loadgate demo: base and head of the example service side by side; the head has ${fault}\n`);
const result = await abCommand(
  {
    start:
      `exec env ADMIN_SERVICE_FAULTS="$([ "$LOADGATE_SIDE" = head ] && echo '${neutral},${fault}' || echo '${neutral}')" ` +
      `node ${BUNDLED.example}`,
    base: { cwd: process.cwd() },
    head: { cwd: process.cwd() },
    readyTimeoutSeconds: 60,
    // As the CLI's default: a profile round when a scenario regressed (docs/profiles.md).
    cpuProfile: { mode: 'auto', dir: `${process.cwd()}/.loadgate/demo` },
  },
  {
    ...parseJudgeOptions({}, CLI_JUDGE_FIELDS, 'ab'),
    out: '.loadgate/demo/result.json',
    report: '.loadgate/demo/report.md',
    json: '.loadgate/demo/verdict.json',
  },
  consoleOutput,
);
// The PR comment the action would post for this verdict (the CLI's --report is the full report).
if (result.result && result.verdict) {
  const { result: run, verdict } = result;
  const comment = renderMarkdown(verdict, run, abBaseRun(run), {
    layout: 'comment',
    verdictKey: verdictKey(verdict),
  });
  await writeFileAtomic('.loadgate/demo/comment.md', comment);
}
out(
  `\nThe PR comment loadgate would post is .loadgate/demo/comment.md (the full report: report.md); exit code ${result.exitCode} ` +
    `(${result.exitCode === 1 ? 'the check fails' : result.exitCode === 0 ? 'the check passes' : 'error'}).`,
);
// The demo succeeded when the gate judged; a failing gate is the expected outcome here.
process.exit(result.exitCode <= 1 ? 0 : result.exitCode);
