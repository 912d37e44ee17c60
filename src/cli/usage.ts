import { DEFAULT_BASELINE_FILE } from '../commands/gate.js';
import { DEFAULT_BASE_URL } from '../config/urls.js';
import { LOADGATE_VERSION } from '../run/version.js';

export const USAGE = `loadgate ${LOADGATE_VERSION}: gate pull requests on the performance of an HTTP service

Usage:
  loadgate run [options]                   run the scenarios, write the result JSON
  loadgate run --shard i/N [--start-at T] [options]
                                           this machine's share of a run several machines
                                           drive against one target (see Shards below)
  loadgate merge [--out FILE] SHARD...     the N shard results → one result (default out:
                                           loadgate-result.json), to compare or keep
  loadgate gate [run options] [--baseline FILE] [--history FILE] [--report FILE]
                [--json FILE] [--alpha A] [--min-effect E] [--fail-on LIST]
                                           run, then judge against the baseline and report
  loadgate ab --base-cwd DIR --start CMD [run options] [--setup CMD] [--seed N]
              [--schedule auto|duet|interleaved] [--service-cpus LIST] [--rounds auto|N]
              [--report FILE] [--json FILE] [--alpha A] [--min-effect E] [--fail-on LIST]
                                           base (--base-cwd) and head (--cwd) side by side:
                                           paired trials, a paired test, one verdict
  loadgate calibrate [run options]         run twice (A/A), write a baseline with the noise floor
  loadgate compare --baseline FILE --current FILE [--history FILE] [--report FILE]
                   [--json FILE] [--alpha A] [--min-effect E] [--fail-on sla,regression|none]
  loadgate history append --result FILE [--file FILE] [--run-id N] [--accepted LABEL]
                                           add a result's summary to the history of the
                                           default branch (default file: baselines/history.json;
                                           the newest 50 runs are kept)
  loadgate history show [--file FILE] [--last N]
                                           the runs of a history, each scenario's p95 by run
  loadgate --help | --version

Run options:
  --start CMD           shell command that starts the service (omit to use one already running)
  --cwd DIR             working directory for the command and relative paths (default: .)
  --base-url URL        where the service listens (default: ${DEFAULT_BASE_URL})
  --ready-url URL       polled until it answers 2xx (default: <base-url>/health)
  --ready-timeout S     seconds to wait for readiness (default: 60)
  --token TOKEN         bearer token for the API (default: $LOADGATE_TOKEN or test_superuser_token); never printed
  --config FILE         scenarios file, YAML or JSON (default: the built-in admin preset)
  --profile NAME        which scenarios to run: pr (default), load, stress, spike, volume, soak,
                        recovery, full (every scenario), or a comma list (stress,soak)
  --postgres-url URL    sample the service database's connections (pg_stat_activity)
  --redis-url URL       sample Redis memory (INFO memory)
  --out FILE            result file (default: loadgate-result.json; calibrate:
                        ${DEFAULT_BASELINE_FILE})
  --trials N            override the number of trials of every scenario
  --trial-seconds S     override the length of each trial
  --warmup S            override the warm-up length
  --duration S          the main phase of the non-load kinds: soak length, spike burst, stress step

A/B options (ab):
  --base-cwd DIR        a checkout of the base version (e.g. git worktree add DIR <base sha>)
  --setup CMD           run in --base-cwd before the base starts (e.g. npm ci)
  --seed N              seed of the block order (default: random, recorded in the result)
  --schedule S          duet: each pair's trials at once, both services pinned to one CPU,
                        then the head alone for the SLA checks; interleaved: one side after
                        the other, in a seeded order; auto (default): duet where the services
                        can be pinned (Linux, taskset, 2+ CPUs), else interleaved
  --service-cpus LIST   the CPUs both services share (taskset list; duet default: the last)
  --rounds auto|N       split each scenario's pairs into N rounds and restart both services
                        between them; the test runs over the rounds' means, so a process
                        pair's lasting luck is not called a change; auto (default): rounds of
                        2 pairs (7 with the default 14); 1 = no restarts
  Both sides run --start with PORT=<own free port> and LOADGATE_SIDE=base|head; {port} and
  {side} in --start, --base-url (default http://127.0.0.1:{port}), --ready-url, --postgres-url
  and --redis-url are replaced per side. Default timing: 14 pairs of 1 s trials per scenario;
  default --min-effect 3 %.

Shards (run):
  --shard i/N           drive 1/N of every scenario's connections (and rate) against --base-url
                        (no --start: one shared target); load scenarios only; 1 ≤ i ≤ N ≤ 64
  --start-at T          common start time, ISO 8601 with a zone (2025-01-01T12:00:00Z): every
                        shard sets up, waits for T, then starts each trial at the same planned
                        moment; without it each starts when ready and the merge warns

Compare options:
  --baseline FILE       the baseline result (from loadgate run or calibrate); gate's default:
                        ${DEFAULT_BASELINE_FILE} (missing = SLA verdicts only)
  --current FILE        the result to judge
  --history FILE        the default branch's history (loadgate history append): with 5 or more
                        comparable runs, latency and throughput are judged against the spread
                        of main's recent runs, not against the baseline run alone
  --report FILE         write the markdown report
  --json FILE           write the machine-readable verdict
  --alpha A             significance level after Holm correction (default 0.05; 0.01 for ab or against --history)
  --min-effect E        smallest change that counts, as a share or percentage (default 0.10 = 10%;
                        5% against --history, 3% for ab)
  --fail-on LIST        what fails: sla, regression, both (default) or none

Exit codes: 0 completed / passed, 1 the gate failed on what --fail-on names, 2 bad usage, config
or input file, 3 the service could not start or died, 4 internal error.`;
