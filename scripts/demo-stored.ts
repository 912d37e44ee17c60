/**
 * `npm run demo:stored`: the stored-baseline gate on the bundled example admin service (SQLite in
 * memory): a baseline run, then a run with one operation slower judged against it. The
 * recommended mode, base and head side by side, is `npm run demo` (scripts/demo.ts).
 *
 *   1. baseline: the built-in admin preset against the service as it is;
 *   2. change:   the same, with the `DEMO_FAULT` knob making one operation slower
 *                (default busy-search:0.3ms: every search request burns 0.3 ms more CPU);
 *   3. verdict:  the judge compares the two and writes the PR comment it would post.
 *
 * A shortened PR profile (6 trials of 1 s per scenario) keeps it to about two minutes; the
 * real PR profile is 8 trials of 2 s. Both runs install the fault hook (`busy-health`, a route
 * the load never calls), so the only difference between them is the knob.
 * Output: .loadgate/demo/{baseline,current}.json, report.md, verdict.json.
 */
import { consoleOutput } from '../src/cli/main.js';
import { CLI_JUDGE_FIELDS, parseJudgeOptions } from '../src/judge/options.js';
import { gateCommand } from '../src/commands/gate.js';
import { runCommand } from '../src/commands/run.js';
import type { RunSettings } from '../src/run/execute.js';
import { installSignalCleanup } from '../src/service/index.js';
import { freePort } from './free-port.js';

async function settings(faults: string): Promise<RunSettings> {
  const port = await freePort();
  return {
    start: `exec env PORT=${port} ADMIN_SERVICE_FAULTS='${faults}' node --import tsx examples/admin-service/src/main.ts`,
    cwd: process.cwd(),
    baseUrl: `http://127.0.0.1:${port}`,
    readyTimeoutSeconds: 60,
    overrides: { trials: 6, trialSeconds: 1, warmupSeconds: 1 },
  };
}

const out = (line: string) => consoleOutput.out(line);
const neutral = 'busy-health:0.001ms';
const fault = process.env.DEMO_FAULT ?? 'busy-search:0.3ms';
installSignalCleanup();

out(`loadgate demo (1/2): baseline run of the admin preset against the example service\n`);
const baseline = await runCommand(
  await settings(neutral),
  '.loadgate/demo/baseline.json',
  consoleOutput,
);
if (baseline.exitCode !== 0 || !baseline.outFile) process.exit(baseline.exitCode);

out(`\nloadgate demo (2/2): the same with ${fault}, judged against the baseline\n`);
const gate = await gateCommand(
  await settings(`${neutral},${fault}`),
  {
    ...parseJudgeOptions({}, CLI_JUDGE_FIELDS),
    baseline: baseline.outFile,
    out: '.loadgate/demo/current.json',
    report: '.loadgate/demo/report.md',
    json: '.loadgate/demo/verdict.json',
  },
  consoleOutput,
);
out(
  `\nThe PR comment loadgate would post is .loadgate/demo/report.md; exit code ${gate.exitCode} ` +
    `(${gate.exitCode === 1 ? 'the check fails' : gate.exitCode === 0 ? 'the check passes' : 'error'}).`,
);
// The demo succeeded when the gate judged; a failing gate is the expected outcome here.
process.exit(gate.exitCode <= 1 ? 0 : gate.exitCode);
