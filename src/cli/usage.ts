/**
 * The CLI's help: an overview of the commands (`loadgate --help`) and each command's own usage
 * (`loadgate <command> --help`, and after a bad flag of that command), built from shared blocks so
 * a flag several commands take is described once.
 */
import { DEFAULT_BASELINE_FILE } from '../commands/gate.js';
import { DEFAULT_HISTORY_FILE } from '../commands/history.js';
import { DEFAULT_INIT_FILE } from '../commands/init.js';
import { DEFAULT_BASE_URL } from '../config/urls.js';
import { LOADGATE_VERSION } from '../run/version.js';

export const COMMANDS = [
  'init',
  'run',
  'gate',
  'ab',
  'calibrate',
  'compare',
  'merge',
  'history',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

const RUN_OPTIONS = `Run options:
  --start CMD           shell command that starts the service (omit to use one already running)
  --cwd DIR             working directory for the command and relative paths (default: .)
  --base-url URL        where the service listens (default: ${DEFAULT_BASE_URL})
  --ready-url URL       polled until it answers 2xx (default: <base-url>/health)
  --ready-timeout S     seconds to wait for readiness (default: 60)
  --token TOKEN         the value of {{token}} (default: $LOADGATE_TOKEN, else the admin preset's
                        test token); the admin preset sends it as a bearer token; never printed
  -c, --config FILE     scenarios file, YAML or JSON (loadgate init writes one); default: the
                        built-in admin preset
  --profile NAME        which scenarios to run: pr (default), load, stress, spike, volume, soak,
                        recovery, full (every scenario), or a comma list (stress,soak)
  --postgres-url URL    sample the service database's connections (pg_stat_activity)
  --redis-url URL       sample Redis memory (INFO memory)
  -o, --out FILE        result file (default: loadgate-result.json)
  --trials N            override the number of trials of every scenario
  --trial-seconds S     override the length of each trial
  --warmup S            override the warm-up length
  --duration S          the main phase of the non-load kinds: soak length, spike burst, stress step`;

const JUDGE_OPTIONS = `Judge options:
  --report FILE         write the markdown report (the PR comment's text)
  --json FILE           write the machine-readable verdict
  --alpha A             significance level after Holm correction (default 0.05; 0.01 for ab or
                        against --history)
  --min-effect E        smallest change that counts, as a share or percentage (default 10%;
                        5% against --history, 3% for ab)
  --fail-on LIST        what fails: sla, regression (both by default), undecided (ab), or none`;

const HISTORY_FLAG = `  --history FILE        the default branch's history (loadgate history append): with 5 or more
                        comparable runs, latency and throughput are judged against the spread
                        of main's recent runs, not against the baseline run alone`;

const EXIT_CODES = `Exit codes: 0 completed / passed, 1 the gate failed on what --fail-on names, 2 bad usage,
config or input file, 3 the service could not start or died, 4 internal error.`;

const USAGES: Record<CommandName, string> = {
  init: `loadgate init: write a commented loadgate.yml for your own API

Usage:
  loadgate init --openapi FILE|URL [-o FILE] [--force]
  loadgate init --url URL... [-o FILE] [--force]

  --openapi FILE|URL    an OpenAPI 3.0 or 3.1 document, JSON or YAML, a file or an http(s) URL
                        (FastAPI serves one at /openapi.json): a scenario per read endpoint
                        (list with paging, search, get by id from a pool its create fills), a
                        create scenario per POST, a mixed scenario, auth from its security
                        schemes as {{env.NAME}}, each SLA as a commented suggestion
  --url URL...          without OpenAPI: one GET scenario per URL (all on one host)
  -o, --out FILE        where to write (default: ${DEFAULT_INIT_FILE})
  --force               replace an existing file

It checks what it wrote against the config schema and prints the command to run next.`,

  run: `loadgate run: run the scenarios against the service, write the result JSON

Usage:
  loadgate run [run options]
  loadgate run --shard i/N [--start-at T] [run options]

${RUN_OPTIONS}

Shards:
  --shard i/N           this machine's share of a run several machines drive against one
                        target: 1/N of every scenario's connections (and rate) against
                        --base-url (no --start); load scenarios only; 1 ≤ i ≤ N ≤ 64
  --start-at T          common start time, ISO 8601 with a zone (2025-01-01T12:00:00Z): every
                        shard sets up, waits for T, then starts each trial at the same planned
                        moment; without it each starts when ready and the merge warns

${EXIT_CODES}`,

  gate: `loadgate gate: run, then judge against the baseline and report

Usage:
  loadgate gate [run options] [--baseline FILE] [--history FILE] [judge options]

${RUN_OPTIONS}

  --baseline FILE       the baseline result (default: ${DEFAULT_BASELINE_FILE}, where
                        calibrate writes; missing = SLA verdicts only)
${HISTORY_FLAG}

${JUDGE_OPTIONS}

${EXIT_CODES}`,

  ab: `loadgate ab: base (--base-cwd) and head (--cwd) side by side: paired trials, one verdict

Usage:
  loadgate ab --base-cwd DIR --start CMD [run options] [A/B options] [judge options]

A/B options:
  --base-cwd DIR        a checkout of the base version (e.g. git worktree add DIR <base sha>)
  --setup CMD           run in --base-cwd before the base starts (e.g. npm ci)
  --budget D            how long to measure (restarts included), e.g. 5m, 300s, 4m30s: rounds
                        of 2 pairs of 1 s trials and a pair at a steady rate per undecided
                        scenario go on until each is decided (default: 5m)
  --rounds N            a fixed number of rounds instead of a budget: each scenario's pairs
                        (14 by default) split into N rounds; 1 = no restarts
  --seed N              seed of the block order (default: random, recorded in the result)
  --schedule S          duet: each pair's trials at once, both services pinned to one CPU,
                        then each side alone; interleaved: one side after the other, in a
                        seeded order; auto (default): duet where the services can be pinned
                        (Linux, taskset, 2+ CPUs), else interleaved
  --service-cpus LIST   the CPUs both services share (taskset list; duet default: the last)
  --cpu-profile M       auto (default): when a scenario regressed, one extra round with both
                        services under V8's CPU profiler (Node services, through NODE_OPTIONS),
                        and the functions whose cost per request grew in the report; always;
                        off. Profiles go to loadgate-profiles/ beside --out
  Both sides run --start with PORT=<own free port> and LOADGATE_SIDE=base|head; {port} and
  {side} in --start, --base-url (default http://127.0.0.1:{port}), --ready-url, --postgres-url
  and --redis-url are replaced per side. Defaults: --alpha 0.01, --min-effect 3%.

${RUN_OPTIONS}

${JUDGE_OPTIONS}

${EXIT_CODES}`,

  calibrate: `loadgate calibrate: run twice (A/A), write a baseline with the noise floor

Usage:
  loadgate calibrate [run options]

${RUN_OPTIONS.replace('(default: loadgate-result.json)', `(default: ${DEFAULT_BASELINE_FILE})`)}

${EXIT_CODES}`,

  compare: `loadgate compare: judge a result file against a baseline file

Usage:
  loadgate compare --baseline FILE --current FILE [--history FILE] [judge options]

  --baseline FILE       the baseline result (from loadgate run or calibrate)
  --current FILE        the result to judge
${HISTORY_FLAG}

${JUDGE_OPTIONS}

${EXIT_CODES}`,

  merge: `loadgate merge: the N shard results of a sharded run → one result

Usage:
  loadgate merge [-o FILE] SHARD...

  -o, --out FILE        the merged result (default: loadgate-result.json), to compare or keep

${EXIT_CODES}`,

  history: `loadgate history: the history of the default branch, over a file

Usage:
  loadgate history append --result FILE [--file FILE] [--run-id N] [--accepted LABEL [--pull-request N]]
  loadgate history show [--file FILE] [--last N]

  append                add a result's summary (the newest 50 runs are kept)
  show                  the runs, each scenario's p95 by run, and the change points of main
  --file FILE           the history file (default: ${DEFAULT_HISTORY_FILE})
  --result FILE         the result to add
  --run-id N            the CI run that measured it
  --accepted LABEL      the change was accepted (the pull request's label), --pull-request N
  --last N              show the newest N runs (default: 50)

Exit codes: 0 done, 2 a missing, unreadable or invalid file.`,
};

/** `loadgate <command> --help`. */
export function commandUsage(command: CommandName): string {
  return USAGES[command];
}

/** `loadgate --help`: what it does, the commands, where each one's options are. */
export const USAGE = `loadgate ${LOADGATE_VERSION}: gate pull requests on the performance of an HTTP service

Usage: loadgate <command> [options]

Commands:
  init        write a commented loadgate.yml for your API (--openapi FILE|URL, or --url URL...)
  run         run the scenarios, write the result JSON (also one shard of a sharded run)
  gate        run, then judge against a stored baseline and report
  ab          base and head side by side on this machine: paired trials, one verdict
  calibrate   run twice (A/A), write a baseline with the noise floor
  compare     judge a result file against a baseline file
  merge       the shard results of a sharded run → one result
  history     the history of the default branch over a file (append, show)

  loadgate <command> --help      that command's options
  loadgate --version

Start with: loadgate init --openapi http://127.0.0.1:8000/openapi.json

${EXIT_CODES}`;
