/**
 * A local stand-in for the GitHub services loadgate talks to, speaking their wire formats:
 *
 * - REST (`GITHUB_API_URL` = `fake.apiUrl`): issue comments (list with real `Link` pagination,
 *   create, update), repository, workflow runs (per workflow and per repository), run artifacts,
 *   repository artifacts, artifact zip download (302 to a signed blob URL on this server), the
 *   token's identity (`GET /user`).
 * - GraphQL (`POST /graphql`): `viewer { login }`, an IssueComment's `isMinimized` by node id
 *   (`node(id:)`), and the `minimizeComment` / `unminimizeComment` mutations, with GitHub's
 *   errors (NOT_FOUND for an unknown node id, FORBIDDEN for a read-only token).
 * - Artifact service (`ACTIONS_RESULTS_URL` = `fake.resultsUrl`): the Twirp JSON RPCs of
 *   `github.actions.results.api.v1.ArtifactService` that @actions/artifact 6 calls, authenticated
 *   by the runtime JWT whose `scp` claim carries `Actions.Results:<runBackendId>:<jobBackendId>`.
 * - Blob storage: the Azure Blob calls @azure/storage-blob's `uploadStream` makes
 *   (`PUT ?comp=block&blockid=…`, then `PUT ?comp=blocklist`, or one `PUT` of the whole blob) and
 *   a `GET` serving the zip.
 *
 * State is in memory and public (`fake.state`); seed it with `addRun`, `addComment`,
 * `addArtifact`, `addToken`; break routes with `failNext`; assert on `fake.log`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unzipFiles, zipFiles } from './zip.js';

// ───────────────────────────── state ─────────────────────────────

export interface FakeUser {
  login: string;
  id: number;
  type: 'Bot' | 'User';
}

export const GITHUB_ACTIONS_BOT: FakeUser = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot',
};

export interface FakeToken {
  user: FakeUser;
  /** A fork PR's GITHUB_TOKEN: reads work, writes answer 403 "Resource not accessible by integration". */
  readOnly: boolean;
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  fork: boolean;
}

export interface FakeRun {
  id: number;
  /** The artifact service's ids for this run and its (single) job, as in the runtime JWT. */
  backendId: string;
  jobBackendId: string;
  name: string;
  /** Workflow file path, e.g. `.github/workflows/perf.yml`. */
  path: string;
  workflowId: number;
  runNumber: number;
  runAttempt: number;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed' | 'requested' | 'waiting' | 'pending';
  conclusion: string | null;
  createdAt: string;
  updatedAt: string;
  /** `owner/name` of the repository the run belongs to. */
  repository: string;
  /** `owner/name` of the repository the head commit comes from (a fork for fork PRs). */
  headRepository: string;
  pullRequests: number[];
}

export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  size: number;
  digest: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  blobPath: string;
  finalized: boolean;
  deleted: boolean;
  /** The job that uploaded it (its backend id); absent for seeded ones: the run's own job. */
  jobBackendId?: string;
}

export interface FakeComment {
  id: number;
  repository: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
  /** Hidden by `minimizeComment`; its classifier as GraphQL's minimizedReason reports it. */
  isMinimized?: boolean;
  minimizedReason?: string | null;
}

interface Blob {
  data: Buffer | undefined;
  contentType: string;
  blocks: Map<string, Buffer>;
}

export interface FakeState {
  repos: Map<string, FakeRepo>;
  runs: FakeRun[];
  artifacts: FakeArtifact[];
  comments: FakeComment[];
  blobs: Map<string, Blob>;
  tokens: Map<string, FakeToken>;
}

export interface LogEntry {
  /** Route name, e.g. `issues.createComment`, `twirp.CreateArtifact`, `blob.put` (see ROUTES). */
  route: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, text for XML/text bodies, `{ bytes: n }` for binary ones, undefined when empty. */
  body: unknown;
  /** The status the fake answered. */
  status: number;
  authorization: string | undefined;
}

export interface Fault {
  status: number;
  /** JSON body; defaults per kind of route (REST `{message}`, Twirp `{code,msg}`, blob XML). */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many of the next calls fail (default 1). */
  times?: number;
  /** Handle the request first (the write lands), then answer the fault: a gateway error after success. */
  applyFirst?: boolean;
}

/** Route names a fault can target and the log reports. */
export const ROUTES = [
  'repos.get',
  'users.getAuthenticated',
  'graphql',
  'issues.listComments',
  'issues.createComment',
  'issues.updateComment',
  'actions.listWorkflowRuns',
  'actions.listWorkflowRunsForRepo',
  'actions.getWorkflowRun',
  'actions.listWorkflowRunArtifacts',
  'actions.listArtifactsForRepo',
  'actions.getArtifact',
  'actions.downloadArtifact',
  'twirp.CreateArtifact',
  'twirp.FinalizeArtifact',
  'twirp.ListArtifacts',
  'twirp.GetSignedArtifactURL',
  'twirp.DeleteArtifact',
  'blob.put',
  'blob.get',
] as const;
export type RouteName = (typeof ROUTES)[number];

// ───────────────────────────── helpers ─────────────────────────────

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * A runtime token shaped like the runner's ACTIONS_RUNTIME_TOKEN: an (unsigned) JWT whose `scp`
 * claim holds `Actions.Results:<runBackendId>:<jobBackendId>` (@actions/artifact
 * lib/internal/shared/util.js getBackendIdsFromToken only decodes it).
 */
export function makeRuntimeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t: 'fake' }));
  const payload = base64url(
    JSON.stringify({
      nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${runBackendId}:${jobBackendId} Actions.UploadArtifacts:00000000-0000-0000-0000-000000000000/1:Build/Build/1`,
      iat: now,
      nbf: now,
      exp: now + 6 * 3600,
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vso:00000000-0000-0000-0000-000000000000',
    }),
  );
  return `${header}.${payload}.${base64url('fake-signature')}`;
}

function decodeScp(authorization: string | undefined): { run: string; job: string } | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      scp?: string;
    };
    for (const scope of (claims.scp ?? '').split(' ')) {
      const parts = scope.split(':');
      if (parts[0] === 'Actions.Results' && parts.length === 3) {
        return { run: parts[1] ?? '', job: parts[2] ?? '' };
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function sha(seed: number): string {
  return (seed.toString(16).padStart(8, '0') + 'a1b2c3d4e5f6').repeat(3).slice(0, 40);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const DOCS = 'https://docs.github.com/rest';
const notFound = (): HttpError =>
  new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

// ───────────────────────────── the fake ─────────────────────────────

export interface AddRunInput extends Partial<Omit<FakeRun, 'id'>> {
  id?: number;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Require a known token (`addToken`) on REST calls; otherwise any token is the Actions bot. */
  strictTokens?: boolean;
}

export interface FakeGitHub {
  /** Origin, e.g. http://127.0.0.1:43127 (GITHUB_API_URL). */
  readonly url: string;
  readonly apiUrl: string;
  /** ACTIONS_RESULTS_URL. */
  readonly resultsUrl: string;
  readonly state: FakeState;
  readonly log: LogEntry[];
  /** The seeded repository (`owner/name`). */
  readonly repo: FakeRepo;
  addRepo(fullName: string, opts?: { defaultBranch?: string; fork?: boolean }): FakeRepo;
  addRun(input?: AddRunInput): FakeRun;
  addComment(issueNumber: number, body: string, user?: FakeUser, repository?: string): FakeComment;
  /** Store a finalized artifact on `runId` holding `files` zipped (as upload-artifact would). */
  addArtifact(
    runId: number,
    name: string,
    files: Record<string, string | Buffer>,
    opts?: { createdAt?: string; expiresAt?: string },
  ): FakeArtifact;
  addToken(token: string, user?: FakeUser, opts?: { readOnly?: boolean }): void;
  comments(issueNumber: number, repository?: string): FakeComment[];
  artifactsOf(runId: number): FakeArtifact[];
  /** The files inside a stored artifact (unzipped). */
  artifactFiles(artifactId: number): Record<string, Buffer>;
  expireArtifact(artifactId: number): void;
  deleteArtifact(artifactId: number): void;
  /** The next `times` (default 1) calls to `route` answer `status` (and `body`). */
  failNext(route: RouteName, fault: Fault): void;
  /** Every call to `route` waits `ms` before it is handled (a slow GitHub), until clearFaults. */
  delay(route: RouteName, ms: number): void;
  clearFaults(): void;
  clearLog(): void;
  calls(route: RouteName): LogEntry[];
  runtimeToken(run: FakeRun): string;
  /**
   * Environment variables of a job of `run` on a runner pointed at this fake
   * (GITHUB_API_URL, ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, GITHUB_REPOSITORY, GITHUB_RUN_ID…).
   */
  envFor(run: FakeRun, extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state: FakeState = {
    repos: new Map(),
    runs: [],
    artifacts: [],
    comments: [],
    blobs: new Map(),
    tokens: new Map(),
  };
  const log: LogEntry[] = [];
  const faults = new Map<string, Fault[]>();
  const delays = new Map<string, number>();
  let nextId = 1000;
  const newId = (): number => ++nextId;
  let clock = Date.UTC(2025, 0, 1, 0, 0, 0);
  /** Timestamps that increase per created object so that ordering is stable. */
  const stamp = (): string => {
    clock = Math.max(clock + 1000, Date.now() - 3600_000);
    return new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function addRepo(
    fullName: string,
    opts: { defaultBranch?: string; fork?: boolean } = {},
  ): FakeRepo {
    const [owner = '', name = ''] = fullName.split('/');
    const repo: FakeRepo = {
      id: newId(),
      owner,
      name,
      fullName,
      defaultBranch: opts.defaultBranch ?? 'main',
      fork: opts.fork ?? false,
    };
    state.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }
  const mainRepo = addRepo(`${options.owner ?? 'octo-org'}/${options.repo ?? 'admin-api'}`, {
    defaultBranch: options.defaultBranch ?? 'main',
  });
  const repoOf = (fullName: string): FakeRepo =>
    state.repos.get(fullName.toLowerCase()) ?? addRepo(fullName, { fork: true });

  const workflowIds = new Map<string, number>();
  const workflowIdOf = (path: string): number => {
    let id = workflowIds.get(path);
    if (id === undefined) {
      id = 161335 + workflowIds.size;
      workflowIds.set(path, id);
    }
    return id;
  };

  // ── JSON shapes (as api.github.com sends them) ──

  const userJson = (u: FakeUser) => ({
    login: u.login,
    id: u.id,
    node_id: `MDM6Qm90${u.id}`,
    avatar_url: `https://avatars.githubusercontent.com/in/15368?v=4`,
    url: `${origin}/users/${encodeURIComponent(u.login)}`,
    html_url: `https://github.com/apps/${u.login.replace('[bot]', '')}`,
    type: u.type,
    site_admin: false,
  });

  const repoJson = (r: FakeRepo) => ({
    id: r.id,
    node_id: `R_kgDO${r.id}`,
    name: r.name,
    full_name: r.fullName,
    private: false,
    owner: { login: r.owner, id: r.id + 7, type: 'Organization' },
    html_url: `https://github.com/${r.fullName}`,
    fork: r.fork,
    url: `${origin}/repos/${r.fullName}`,
    default_branch: r.defaultBranch,
  });

  /** The comment's GraphQL global id, as REST's `node_id` gives it. */
  const nodeIdOf = (c: FakeComment): string => `IC_kwDO${repoOf(c.repository).id}${c.id}`;

  const commentJson = (c: FakeComment) => {
    return {
      url: `${origin}/repos/${c.repository}/issues/comments/${c.id}`,
      html_url: `https://github.com/${c.repository}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${origin}/repos/${c.repository}/issues/${c.issueNumber}`,
      id: c.id,
      node_id: nodeIdOf(c),
      user: userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      body: c.body,
      reactions: {
        url: `${origin}/repos/${c.repository}/issues/comments/${c.id}/reactions`,
        total_count: 0,
      },
      performed_via_github_app: null,
    };
  };

  const runJson = (r: FakeRun) => {
    const repo = repoOf(r.repository);
    const head = repoOf(r.headRepository);
    return {
      id: r.id,
      name: r.name,
      node_id: `WFR_kwLO${r.id}`,
      head_branch: r.headBranch,
      head_sha: r.headSha,
      path: r.path,
      display_title: `run ${r.runNumber}`,
      run_number: r.runNumber,
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      workflow_id: r.workflowId,
      check_suite_id: r.id + 1,
      url: `${origin}/repos/${r.repository}/actions/runs/${r.id}`,
      html_url: `https://github.com/${r.repository}/actions/runs/${r.id}`,
      pull_requests: r.pullRequests.map((n) => ({
        id: n * 1000,
        number: n,
        url: `${origin}/repos/${r.repository}/pulls/${n}`,
        head: { ref: r.headBranch, sha: r.headSha, repo: { id: head.id, name: head.name } },
        base: { ref: repo.defaultBranch, sha: sha(n), repo: { id: repo.id, name: repo.name } },
      })),
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      run_attempt: r.runAttempt,
      run_started_at: r.createdAt,
      jobs_url: `${origin}/repos/${r.repository}/actions/runs/${r.id}/jobs`,
      artifacts_url: `${origin}/repos/${r.repository}/actions/runs/${r.id}/artifacts`,
      workflow_url: `${origin}/repos/${r.repository}/actions/workflows/${r.workflowId}`,
      head_commit: {
        id: r.headSha,
        tree_id: sha(r.id + 5),
        message: 'commit',
        timestamp: r.createdAt,
      },
      repository: repoJson(repo),
      head_repository: repoJson(head),
    };
  };

  const isExpired = (a: FakeArtifact): boolean => Date.parse(a.expiresAt) <= Date.now();

  const artifactJson = (a: FakeArtifact) => {
    const run = state.runs.find((r) => r.id === a.runId);
    const repo = repoOf(run?.repository ?? mainRepo.fullName);
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.size,
      url: `${origin}/repos/${repo.fullName}/actions/artifacts/${a.id}`,
      archive_download_url: `${origin}/repos/${repo.fullName}/actions/artifacts/${a.id}/zip`,
      expired: isExpired(a),
      digest: a.digest,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
      expires_at: a.expiresAt,
      workflow_run: run && {
        id: run.id,
        repository_id: repo.id,
        head_repository_id: repoOf(run.headRepository).id,
        head_branch: run.headBranch,
        head_sha: run.headSha,
      },
    };
  };

  const linkHeader = (link: string | undefined): Record<string, string> => (link ? { link } : {});

  // ── pagination like api.github.com: per_page (default 30, max 100), page, Link header ──

  function paginate<T>(
    items: T[],
    query: Record<string, string>,
    linkBase: string,
  ): { page: T[]; link: string | undefined } {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const rel = (p: number, name: string): string => {
      const u = new URL(linkBase);
      for (const [k, v] of Object.entries(query))
        if (k !== 'page' && k !== 'per_page') u.searchParams.set(k, v);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.href}>; rel="${name}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(rel(page - 1, 'prev'));
    if (page < last) links.push(rel(page + 1, 'next'), rel(last, 'last'));
    if (page > 1) links.push(rel(1, 'first'));
    return { page: slice, link: links.length > 0 ? links.join(', ') : undefined };
  }

  // ── auth ──

  function tokenOf(req: IncomingMessage): FakeToken | undefined {
    const header = req.headers.authorization;
    const token = header?.replace(/^(token|bearer)\s+/i, '');
    if (token === undefined || token === '') return undefined;
    const known = state.tokens.get(token);
    if (known) return known;
    if (options.strictTokens) return undefined;
    return { user: GITHUB_ACTIONS_BOT, readOnly: false };
  }

  function requireWriter(req: IncomingMessage): FakeToken {
    const t = tokenOf(req);
    if (!t)
      throw new HttpError(401, {
        message: 'Requires authentication',
        documentation_url: DOCS,
        status: '401',
      });
    if (t.readOnly) {
      throw new HttpError(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403',
      });
    }
    return t;
  }

  // ── REST routes ──

  type Handler = (
    m: string[],
    req: IncomingMessage,
    query: Record<string, string>,
    body: Buffer,
    res: ServerResponse,
  ) => { status: number; json?: unknown; headers?: Record<string, string> } | undefined;

  interface Route {
    name: RouteName;
    method: string;
    re: RegExp;
    kind: 'rest' | 'twirp' | 'blob';
    handle: Handler;
  }

  const repoByPath = (owner: string | undefined, name: string | undefined): FakeRepo => {
    const r = state.repos.get(`${owner}/${name}`.toLowerCase());
    if (!r) throw notFound();
    return r;
  };
  const repoById = (id: string | undefined): FakeRepo => {
    const r = [...state.repos.values()].find((x) => String(x.id) === id);
    if (!r) throw notFound();
    return r;
  };
  const parseJson = (body: Buffer): Record<string, unknown> => {
    try {
      return JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw new HttpError(400, {
        message: 'Problems parsing JSON',
        documentation_url: DOCS,
        status: '400',
      });
    }
  };

  function listComments(repo: FakeRepo, issue: number, query: Record<string, string>) {
    const items = state.comments
      .filter(
        (c) =>
          c.repository.toLowerCase() === repo.fullName.toLowerCase() && c.issueNumber === issue,
      )
      .sort((a, b) => a.id - b.id);
    // api.github.com's Link URLs point at /repositories/{id}/…: clients must follow them verbatim.
    const { page, link } = paginate(
      items,
      query,
      `${origin}/repositories/${repo.id}/issues/${issue}/comments`,
    );
    return { status: 200, json: page.map(commentJson), headers: linkHeader(link) };
  }

  function filterRuns(runs: FakeRun[], query: Record<string, string>): FakeRun[] {
    const statuses = ['queued', 'in_progress', 'completed', 'requested', 'waiting', 'pending'];
    return runs
      .filter((r) => query.branch === undefined || r.headBranch === query.branch)
      .filter((r) => query.event === undefined || r.event === query.event)
      .filter((r) => query.head_sha === undefined || r.headSha === query.head_sha)
      .filter((r) =>
        query.status === undefined
          ? true
          : statuses.includes(query.status)
            ? r.status === query.status
            : r.conclusion === query.status,
      )
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  }

  function runsResponse(runs: FakeRun[], query: Record<string, string>, linkBase: string) {
    const filtered = filterRuns(runs, query);
    const { page, link } = paginate(filtered, query, linkBase);
    return {
      status: 200,
      json: { total_count: filtered.length, workflow_runs: page.map(runJson) },
      headers: linkHeader(link),
    };
  }

  function artifactsResponse(
    items: FakeArtifact[],
    query: Record<string, string>,
    linkBase: string,
  ) {
    const filtered = items
      .filter((a) => a.finalized && !a.deleted)
      .filter((a) => query.name === undefined || a.name === query.name)
      .sort((a, b) => b.id - a.id);
    const { page, link } = paginate(filtered, query, linkBase);
    return {
      status: 200,
      json: { total_count: filtered.length, artifacts: page.map(artifactJson) },
      headers: linkHeader(link),
    };
  }

  const runInRepo = (repo: FakeRepo, id: string | undefined): FakeRun => {
    const run = state.runs.find(
      (r) => String(r.id) === id && r.repository.toLowerCase() === repo.fullName.toLowerCase(),
    );
    if (!run) throw notFound();
    return run;
  };
  const artifactInRepo = (repo: FakeRepo, id: string | undefined): FakeArtifact => {
    const a = state.artifacts.find((x) => String(x.id) === id && x.finalized && !x.deleted);
    const run = a && state.runs.find((r) => r.id === a.runId);
    if (!a || !run || run.repository.toLowerCase() !== repo.fullName.toLowerCase())
      throw notFound();
    return a;
  };

  const blobUrl = (blobPath: string, write: boolean): string => {
    const se = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const params = new URLSearchParams({
      sv: '2023-11-03',
      se,
      sr: 'b',
      sp: write ? 'cw' : 'r',
      sig: randomUUID().replace(/-/g, ''),
    });
    if (!write)
      params.set('rscd', `attachment; filename="${blobPath.split('/').pop() ?? 'artifact.zip'}"`);
    return `${origin}${blobPath}?${params.toString()}`;
  };

  // ── GraphQL: the few operations loadgate sends, answered as api.github.com answers them ──

  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

  /** An argument's value: a `$variable` looked up, or a string literal / enum. */
  function argument(query: string, name: string, variables: Record<string, unknown>): unknown {
    // Arguments are in the selection; the operation's `($id: ID!)` declarations come before it.
    const selection = query.slice(Math.max(0, query.indexOf('{')));
    const m = new RegExp(`\\b${name}\\s*:\\s*(?:\\$(\\w+)|"([^"]*)"|(\\w+))`).exec(selection);
    if (!m) return undefined;
    return m[1] !== undefined ? variables[m[1]] : (m[2] ?? m[3]);
  }

  const graphqlError = (field: string, type: string, message: string) => ({
    data: { [field]: null },
    errors: [{ type, path: [field], locations: [{ line: 1, column: 1 }], message }],
  });

  /** The selected fields of a minimized state, as the query selects them. */
  function minimizedFields(query: string, c: FakeComment): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (/\bisMinimized\b/.test(query)) out.isMinimized = c.isMinimized === true;
    if (/\bminimizedReason\b/.test(query))
      out.minimizedReason = c.isMinimized ? (c.minimizedReason ?? null) : null;
    return out;
  }

  function graphql(t: FakeToken, query: string, variables: Record<string, unknown>): unknown {
    if (/\bviewer\s*\{\s*login\s*\}/.test(query))
      return { data: { viewer: { login: t.user.login } } };
    const mutation = /\b(minimizeComment|unminimizeComment)\s*\(/.exec(query)?.[1];
    if (mutation !== undefined) {
      const id = String(argument(query, 'subjectId', variables) ?? '');
      const c = state.comments.find((x) => nodeIdOf(x) === id);
      if (!c)
        return graphqlError(
          mutation,
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${id}'`,
        );
      if (t.readOnly)
        return graphqlError(mutation, 'FORBIDDEN', 'Resource not accessible by integration');
      if (mutation === 'minimizeComment') {
        const classifier = String(argument(query, 'classifier', variables) ?? '');
        const known = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'];
        if (!known.includes(classifier)) {
          return {
            errors: [
              {
                message: `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${classifier}). Expected type 'ReportedContentClassifiers!'.`,
              },
            ],
          };
        }
        c.isMinimized = true;
        c.minimizedReason = classifier.toLowerCase().replace(/_/g, '-');
        return { data: { minimizeComment: { minimizedComment: minimizedFields(query, c) } } };
      }
      c.isMinimized = false;
      c.minimizedReason = null;
      return { data: { unminimizeComment: { unminimizedComment: minimizedFields(query, c) } } };
    }
    if (/\bnode\s*\(\s*id\s*:/.test(query) && /\.\.\.\s*on\s+IssueComment/.test(query)) {
      const id = String(argument(query, 'id', variables) ?? '');
      const c = state.comments.find((x) => nodeIdOf(x) === id);
      if (!c)
        return graphqlError(
          'node',
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${id}'`,
        );
      return { data: { node: minimizedFields(query, c) } };
    }
    return {
      errors: [
        {
          message:
            'the fake answers `viewer { login }`, `node(id:) { ... on IssueComment { isMinimized } }`, minimizeComment and unminimizeComment only',
        },
      ],
    };
  }

  const routes: Route[] = [
    // The token's identity. GET /user answers user tokens (PAT, OAuth); an installation token
    // (GITHUB_TOKEN, a GitHub App's) gets 403 "Resource not accessible by integration" there,
    // while GraphQL `viewer` answers both: `<app>[bot]` for an App.
    {
      name: 'users.getAuthenticated',
      method: 'GET',
      re: /^\/user$/,
      kind: 'rest',
      handle: (_m, req) => {
        const t = tokenOf(req);
        if (!t)
          throw new HttpError(401, {
            message: 'Bad credentials',
            documentation_url: DOCS,
            status: '401',
          });
        if (t.user.type === 'Bot') {
          throw new HttpError(403, {
            message: 'Resource not accessible by integration',
            documentation_url:
              'https://docs.github.com/rest/users/users#get-the-authenticated-user',
            status: '403',
          });
        }
        return { status: 200, json: userJson(t.user) };
      },
    },
    {
      name: 'graphql',
      method: 'POST',
      re: /^\/graphql$/,
      kind: 'rest',
      handle: (_m, req, _q, raw) => {
        const t = tokenOf(req);
        if (!t) throw new HttpError(401, { message: 'Bad credentials', documentation_url: DOCS });
        const { query, variables } = parseJson(raw);
        return { status: 200, json: graphql(t, String(query ?? ''), obj(variables)) };
      },
    },
    {
      name: 'repos.get',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)$/,
      kind: 'rest',
      handle: (m) => ({ status: 200, json: repoJson(repoByPath(m[1], m[2])) }),
    },
    {
      name: 'issues.listComments',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      kind: 'rest',
      handle: (m, _req, q) => listComments(repoByPath(m[1], m[2]), Number(m[3]), q),
    },
    {
      name: 'issues.listComments',
      method: 'GET',
      re: /^\/repositories\/(\d+)\/issues\/(\d+)\/comments$/,
      kind: 'rest',
      handle: (m, _req, q) => listComments(repoById(m[1]), Number(m[2]), q),
    },
    {
      name: 'issues.createComment',
      method: 'POST',
      re: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      kind: 'rest',
      handle: (m, req, _q, raw) => {
        const repo = repoByPath(m[1], m[2]);
        const token = requireWriter(req);
        const { body } = parseJson(raw);
        validateCommentBody(body);
        const now = stamp();
        const c: FakeComment = {
          id: newId(),
          repository: repo.fullName,
          issueNumber: Number(m[3]),
          body: body as string,
          user: token.user,
          createdAt: now,
          updatedAt: now,
        };
        state.comments.push(c);
        return {
          status: 201,
          json: commentJson(c),
          headers: { location: `${origin}/repos/${repo.fullName}/issues/comments/${c.id}` },
        };
      },
    },
    {
      name: 'issues.updateComment',
      method: 'PATCH',
      re: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/,
      kind: 'rest',
      handle: (m, req, _q, raw) => {
        const repo = repoByPath(m[1], m[2]);
        const token = requireWriter(req);
        const c = state.comments.find(
          (x) =>
            String(x.id) === m[3] && x.repository.toLowerCase() === repo.fullName.toLowerCase(),
        );
        if (!c) throw notFound();
        if (c.user.login !== token.user.login) {
          throw new HttpError(403, {
            message: 'Must have admin rights to Repository.',
            documentation_url: DOCS,
            status: '403',
          });
        }
        const { body } = parseJson(raw);
        validateCommentBody(body);
        c.body = body as string;
        c.updatedAt = stamp();
        return { status: 200, json: commentJson(c) };
      },
    },
    {
      name: 'actions.listWorkflowRuns',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/,
      kind: 'rest',
      handle: (m, _req, q) => {
        const repo = repoByPath(m[1], m[2]);
        const wf = decodeURIComponent(m[3] ?? '');
        const inRepo = state.runs.filter(
          (r) => r.repository.toLowerCase() === repo.fullName.toLowerCase(),
        );
        const runs = inRepo.filter((r) =>
          /^\d+$/.test(wf) ? String(r.workflowId) === wf : r.path.split('/').pop() === wf,
        );
        if (
          runs.length === 0 &&
          ![...workflowIds.entries()].some(
            ([p, id]) => String(id) === wf || p.split('/').pop() === wf,
          )
        ) {
          throw notFound();
        }
        return runsResponse(
          runs,
          q,
          `${origin}/repos/${repo.fullName}/actions/workflows/${m[3]}/runs`,
        );
      },
    },
    {
      name: 'actions.listWorkflowRunsForRepo',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs$/,
      kind: 'rest',
      handle: (m, _req, q) => {
        const repo = repoByPath(m[1], m[2]);
        const runs = state.runs.filter(
          (r) => r.repository.toLowerCase() === repo.fullName.toLowerCase(),
        );
        return runsResponse(runs, q, `${origin}/repos/${repo.fullName}/actions/runs`);
      },
    },
    {
      name: 'actions.getWorkflowRun',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/,
      kind: 'rest',
      handle: (m) => ({ status: 200, json: runJson(runInRepo(repoByPath(m[1], m[2]), m[3])) }),
    },
    {
      name: 'actions.listWorkflowRunArtifacts',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/,
      kind: 'rest',
      handle: (m, _req, q) => {
        const repo = repoByPath(m[1], m[2]);
        const run = runInRepo(repo, m[3]);
        return artifactsResponse(
          state.artifacts.filter((a) => a.runId === run.id),
          q,
          `${origin}/repos/${repo.fullName}/actions/runs/${run.id}/artifacts`,
        );
      },
    },
    {
      name: 'actions.listArtifactsForRepo',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts$/,
      kind: 'rest',
      handle: (m, _req, q) => {
        const repo = repoByPath(m[1], m[2]);
        const runIds = new Set(
          state.runs
            .filter((r) => r.repository.toLowerCase() === repo.fullName.toLowerCase())
            .map((r) => r.id),
        );
        return artifactsResponse(
          state.artifacts.filter((a) => runIds.has(a.runId)),
          q,
          `${origin}/repos/${repo.fullName}/actions/artifacts`,
        );
      },
    },
    {
      name: 'actions.getArtifact',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)$/,
      kind: 'rest',
      handle: (m) => ({
        status: 200,
        json: artifactJson(artifactInRepo(repoByPath(m[1], m[2]), m[3])),
      }),
    },
    {
      name: 'actions.downloadArtifact',
      method: 'GET',
      re: /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/([^/]+)$/,
      kind: 'rest',
      handle: (m, req) => {
        if (!tokenOf(req)) {
          throw new HttpError(401, {
            message: 'Requires authentication',
            documentation_url: DOCS,
            status: '401',
          });
        }
        const a = artifactInRepo(repoByPath(m[1], m[2]), m[3]);
        if (m[4] !== 'zip') throw notFound();
        if (isExpired(a)) {
          throw new HttpError(410, {
            message: 'Artifact has expired',
            documentation_url: DOCS,
            status: '410',
          });
        }
        return { status: 302, headers: { location: blobUrl(a.blobPath, false) } };
      },
    },
  ];

  function validateCommentBody(body: unknown): void {
    if (typeof body !== 'string' || body.length === 0) {
      throw new HttpError(422, {
        message: 'Invalid request.\n\n"body" wasn\'t supplied.',
        documentation_url: DOCS,
        status: '422',
      });
    }
    if ([...body].length > 65536) {
      throw new HttpError(422, {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)',
          },
        ],
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '422',
      });
    }
  }

  // ── Twirp artifact service ──

  const twirpError = (status: number, code: string, msg: string): HttpError =>
    new HttpError(status, { code, msg });

  function twirp(method: string, req: IncomingMessage, raw: Buffer): unknown {
    const ids = decodeScp(req.headers.authorization);
    if (!ids) throw twirpError(401, 'unauthenticated', 'invalid or missing runtime token');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      throw twirpError(400, 'malformed', 'the json request could not be decoded');
    }
    const runBackendId = body.workflow_run_backend_id;
    const jobBackendId = body.workflow_job_run_backend_id;
    // Any job of the run may read the run's artifacts (download-artifact across jobs): reads
    // may name another job of the run; writes only the token's own.
    const read = method === 'ListArtifacts' || method === 'GetSignedArtifactURL';
    if (runBackendId !== ids.run || (!read && jobBackendId !== ids.job)) {
      throw twirpError(403, 'permission_denied', 'backend ids do not match the runtime token');
    }
    const run = state.runs.find((r) => r.backendId === runBackendId);
    if (!run) throw twirpError(404, 'not_found', 'workflow run not found');
    const name = typeof body.name === 'string' ? body.name : '';
    const live = (a: FakeArtifact): boolean => a.runId === run.id && a.finalized && !a.deleted;

    switch (method) {
      case 'CreateArtifact': {
        if (body.version !== 7 && body.version !== 4) {
          throw twirpError(
            400,
            'invalid_argument',
            `unsupported artifact version ${String(body.version)}`,
          );
        }
        if (state.artifacts.some((a) => live(a) && a.name === name)) {
          throw twirpError(
            409,
            'already_exists',
            `an artifact with this name already exists on the workflow run`,
          );
        }
        state.artifacts = state.artifacts.filter(
          (a) => !(a.runId === run.id && a.name === name && !a.finalized),
        );
        const now = stamp();
        const blobPath = `/blob/actions-results/${run.backendId}/${jobBackendId}/${randomUUID()}.zip`;
        state.artifacts.push({
          id: newId(),
          runId: run.id,
          name,
          size: 0,
          digest: null,
          createdAt: now,
          updatedAt: now,
          expiresAt:
            typeof body.expires_at === 'string'
              ? body.expires_at.replace(/\.\d+Z$/, 'Z')
              : new Date(Date.now() + 90 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          blobPath,
          finalized: false,
          deleted: false,
          jobBackendId: String(jobBackendId),
        });
        const mime = typeof body.mime_type === 'string' ? body.mime_type : 'application/zip';
        state.blobs.set(blobPath, { data: undefined, contentType: mime, blocks: new Map() });
        return { ok: true, signed_upload_url: blobUrl(blobPath, true) };
      }
      case 'FinalizeArtifact': {
        const a = state.artifacts.find(
          (x) => x.runId === run.id && x.name === name && !x.finalized,
        );
        if (!a) throw twirpError(404, 'not_found', 'artifact not found');
        const blob = state.blobs.get(a.blobPath);
        if (!blob?.data)
          throw twirpError(400, 'failed_precondition', 'artifact blob was not uploaded');
        a.size = Number(body.size ?? 0);
        a.digest = typeof body.hash === 'string' ? body.hash : null;
        a.finalized = true;
        a.updatedAt = stamp();
        return { ok: true, artifact_id: String(a.id) };
      }
      case 'ListArtifacts': {
        const nameFilter = typeof body.name_filter === 'string' ? body.name_filter : undefined;
        const idFilter = body.id_filter === undefined ? undefined : String(body.id_filter);
        const items = state.artifacts
          .filter(live)
          .filter((a) => nameFilter === undefined || a.name === nameFilter)
          .filter((a) => idFilter === undefined || String(a.id) === idFilter)
          .filter((a) => !isExpired(a));
        return {
          artifacts: items.map((a) => ({
            workflow_run_backend_id: run.backendId,
            workflow_job_run_backend_id: a.jobBackendId ?? run.jobBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt,
            ...(a.digest === null ? {} : { digest: a.digest }),
          })),
        };
      }
      case 'GetSignedArtifactURL': {
        const a = state.artifacts.find((x) => live(x) && x.name === name);
        if (!a || isExpired(a)) throw twirpError(404, 'not_found', 'artifact not found');
        return { signed_url: blobUrl(a.blobPath, false) };
      }
      case 'DeleteArtifact': {
        const a = state.artifacts.find((x) => live(x) && x.name === name);
        if (!a) throw twirpError(404, 'not_found', 'artifact not found');
        a.deleted = true;
        return { ok: true, artifact_id: String(a.id) };
      }
      default:
        throw twirpError(
          404,
          'bad_route',
          `no handler for path "/twirp/github.actions.results.api.v1.ArtifactService/${method}"`,
        );
    }
  }

  // ── Azure blob ──

  const azureError = (status: number, code: string, message: string): HttpError =>
    new HttpError(status, { azure: true, code, message });

  function blobPut(path: string, query: Record<string, string>, req: IncomingMessage, raw: Buffer) {
    const blob = state.blobs.get(path);
    if (!blob)
      throw azureError(404, 'ContainerNotFound', 'The specified container does not exist.');
    if (!query.sig)
      throw azureError(403, 'AuthenticationFailed', 'Server failed to authenticate the request.');
    if (query.comp === 'block') {
      const id = query.blockid;
      if (!id) throw azureError(400, 'InvalidQueryParameterValue', 'blockid is required');
      blob.blocks.set(id, raw);
      return { status: 201 };
    }
    if (query.comp === 'blocklist') {
      const xml = raw.toString('utf8');
      const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
        (x) => x[2] ?? '',
      );
      const parts: Buffer[] = [];
      for (const id of ids) {
        const b = blob.blocks.get(id);
        if (!b) throw azureError(400, 'InvalidBlockList', 'The specified block list is invalid.');
        parts.push(b);
      }
      blob.data = Buffer.concat(parts);
      blob.blocks.clear();
      const ct = req.headers['x-ms-blob-content-type'];
      if (typeof ct === 'string') blob.contentType = ct;
      return { status: 201 };
    }
    if (query.comp === undefined) {
      blob.data = raw;
      const ct = req.headers['x-ms-blob-content-type'] ?? req.headers['content-type'];
      if (typeof ct === 'string') blob.contentType = ct;
      return { status: 201 };
    }
    throw azureError(
      400,
      'UnsupportedQueryParameter',
      `comp=${query.comp} is not supported by the fake`,
    );
  }

  // ── dispatch ──

  function describeBody(raw: Buffer, contentType: string | undefined): unknown {
    if (raw.length === 0) return undefined;
    if (contentType?.includes('json')) {
      try {
        return JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return raw.toString('utf8');
      }
    }
    if (contentType?.includes('xml') || contentType?.startsWith('text/'))
      return raw.toString('utf8');
    return { bytes: raw.length };
  }

  function send(
    res: ServerResponse,
    kind: Route['kind'],
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ): void {
    const common = {
      'x-github-request-id': `FAKE:${randomUUID().slice(0, 8)}`,
      ...headers,
    };
    if (kind === 'blob') {
      const requestId = randomUUID();
      const azureHeaders = {
        'x-ms-request-id': requestId,
        'x-ms-version': '2025-11-05',
        date: new Date().toUTCString(),
        ...headers,
      };
      if (payload && typeof payload === 'object' && 'azure' in payload) {
        const p = payload as unknown as { code: string; message: string };
        const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${p.code}</Code><Message>${p.message}\nRequestId:${requestId}</Message></Error>`;
        res.writeHead(status, {
          ...azureHeaders,
          'x-ms-error-code': p.code,
          'content-type': 'application/xml',
        });
        res.end(xml);
        return;
      }
      res.writeHead(status, azureHeaders);
      res.end();
      return;
    }
    if (payload === undefined) {
      res.writeHead(status, { ...common, 'content-length': '0' });
      res.end();
      return;
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      ...common,
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  function defaultFaultBody(kind: Route['kind'], status: number): unknown {
    if (kind === 'twirp')
      return { code: status >= 500 ? 'internal' : 'unknown', msg: `injected ${status}` };
    if (kind === 'blob') return { azure: true, code: 'ServerBusy', message: `injected ${status}` };
    const messages: Record<number, string> = {
      403: 'Resource not accessible by integration',
      404: 'Not Found',
      500: 'Internal Server Error',
      502: 'Server Error',
      503: 'Service Unavailable',
    };
    return {
      message: messages[status] ?? `injected ${status}`,
      documentation_url: DOCS,
      status: String(status),
    };
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', origin);
      const path = url.pathname;
      const query = Object.fromEntries(url.searchParams.entries());
      const method = req.method ?? 'GET';
      let route:
        | {
            name: string;
            kind: Route['kind'];
            run: () =>
              { status: number; json?: unknown; headers?: Record<string, string> } | undefined;
            direct?: () => void;
          }
        | undefined;

      const twirpMatch =
        /^\/twirp\/github\.actions\.results\.api\.v1\.ArtifactService\/(\w+)$/.exec(path);
      if (twirpMatch && method === 'POST') {
        const rpc = twirpMatch[1] ?? '';
        route = {
          name: `twirp.${rpc}`,
          kind: 'twirp',
          run: () => ({ status: 200, json: twirp(rpc, req, raw) }),
        };
      } else if (path.startsWith('/blob/')) {
        if (method === 'PUT') {
          route = { name: 'blob.put', kind: 'blob', run: () => blobPut(path, query, req, raw) };
        } else if (method === 'GET' || method === 'HEAD') {
          route = {
            name: 'blob.get',
            kind: 'blob',
            run: () => {
              const blob = state.blobs.get(path);
              if (!blob?.data)
                throw azureError(404, 'BlobNotFound', 'The specified blob does not exist.');
              if (!query.sig)
                throw azureError(
                  403,
                  'AuthenticationFailed',
                  'Server failed to authenticate the request.',
                );
              return undefined;
            },
            direct: () => {
              const blob = state.blobs.get(path);
              const data = blob?.data ?? Buffer.alloc(0);
              res.writeHead(200, {
                'content-type': blob?.contentType ?? 'application/zip',
                'content-length': String(data.length),
                'content-disposition': query.rscd ?? 'attachment',
                'x-ms-blob-type': 'BlockBlob',
                'x-ms-request-id': randomUUID(),
              });
              res.end(method === 'HEAD' ? undefined : data);
            },
          };
        }
      } else {
        for (const r of routes) {
          if (r.method !== method) continue;
          const m = r.re.exec(path);
          if (m) {
            route = {
              name: r.name,
              kind: r.kind,
              run: () => r.handle([...m], req, query, raw, res),
            };
            break;
          }
        }
      }

      const entry: LogEntry = {
        route: route?.name ?? 'unknown',
        method,
        path,
        query,
        body: describeBody(raw, req.headers['content-type']),
        status: 0,
        authorization: req.headers.authorization,
      };
      log.push(entry);

      if (!route) {
        entry.status = 404;
        send(res, 'rest', 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        return;
      }
      const wait = delays.get(route.name);
      if (wait !== undefined) await new Promise((done) => setTimeout(done, wait));
      const queue = faults.get(route.name);
      const fault = queue?.[0];
      if (queue && fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) queue.shift();
        if (fault.applyFirst) {
          try {
            route.run();
          } catch {
            // the fault's answer stands either way
          }
        }
        entry.status = fault.status;
        send(
          res,
          route.kind,
          fault.status,
          fault.body ?? defaultFaultBody(route.kind, fault.status),
          fault.headers,
        );
        return;
      }
      try {
        const out = route.run();
        if (route.direct) {
          entry.status = 200;
          route.direct();
          return;
        }
        entry.status = out?.status ?? 200;
        send(res, route.kind, entry.status, out?.json, out?.headers);
      } catch (e) {
        if (e instanceof HttpError) {
          entry.status = e.status;
          send(res, route.kind, e.status, e.body);
          return;
        }
        entry.status = 500;
        send(res, route.kind, 500, { message: (e as Error).message });
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e));
    });
  });

  // ── seeding API ──

  let runCounter = 0;
  function addRun(input: AddRunInput = {}): FakeRun {
    runCounter++;
    const now = input.createdAt ?? stamp();
    const path = input.path ?? '.github/workflows/perf.yml';
    const repository = input.repository ?? mainRepo.fullName;
    repoOf(repository);
    const headRepository = input.headRepository ?? repository;
    repoOf(headRepository);
    const run: FakeRun = {
      id: input.id ?? 7_000_000_000 + runCounter * 17,
      backendId: input.backendId ?? randomUUID(),
      jobBackendId: input.jobBackendId ?? randomUUID(),
      name: input.name ?? 'perf',
      path,
      workflowId: input.workflowId ?? workflowIdOf(path),
      runNumber: input.runNumber ?? runCounter,
      runAttempt: input.runAttempt ?? 1,
      headBranch: input.headBranch ?? repoOf(repository).defaultBranch,
      headSha: input.headSha ?? sha(runCounter * 7919),
      event: input.event ?? 'push',
      status: input.status ?? 'completed',
      conclusion: input.conclusion === undefined ? 'success' : input.conclusion,
      createdAt: now,
      updatedAt: input.updatedAt ?? now,
      repository,
      headRepository,
      pullRequests: input.pullRequests ?? [],
    };
    workflowIds.set(path, run.workflowId);
    state.runs.push(run);
    return run;
  }

  function findArtifact(id: number): FakeArtifact {
    const a = state.artifacts.find((x) => x.id === id);
    if (!a) throw new Error(`fake: no artifact ${id}`);
    return a;
  }

  const fake: FakeGitHub = {
    url: origin,
    apiUrl: origin,
    resultsUrl: `${origin}/`,
    state,
    log,
    repo: mainRepo,
    addRepo,
    addRun,
    addComment(issueNumber, body, user = GITHUB_ACTIONS_BOT, repository = mainRepo.fullName) {
      const now = stamp();
      const c: FakeComment = {
        id: newId(),
        repository,
        issueNumber,
        body,
        user,
        createdAt: now,
        updatedAt: now,
      };
      state.comments.push(c);
      return c;
    },
    addArtifact(runId, name, files, opts = {}) {
      const run = state.runs.find((r) => r.id === runId);
      if (!run) throw new Error(`fake: no run ${runId}`);
      const data = zipFiles(files);
      const blobPath = `/blob/actions-results/${run.backendId}/${run.jobBackendId}/${randomUUID()}.zip`;
      state.blobs.set(blobPath, { data, contentType: 'application/zip', blocks: new Map() });
      const createdAt = opts.createdAt ?? stamp();
      const a: FakeArtifact = {
        id: newId(),
        runId,
        name,
        size: data.length,
        digest: null,
        createdAt,
        updatedAt: createdAt,
        expiresAt:
          opts.expiresAt ??
          new Date(Date.parse(createdAt) + 90 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        blobPath,
        finalized: true,
        deleted: false,
      };
      state.artifacts.push(a);
      return a;
    },
    addToken(token, user = GITHUB_ACTIONS_BOT, opts = {}) {
      state.tokens.set(token, { user, readOnly: opts.readOnly ?? false });
    },
    comments(issueNumber, repository = mainRepo.fullName) {
      return state.comments.filter(
        (c) =>
          c.issueNumber === issueNumber && c.repository.toLowerCase() === repository.toLowerCase(),
      );
    },
    artifactsOf(runId) {
      return state.artifacts.filter((a) => a.runId === runId && a.finalized && !a.deleted);
    },
    artifactFiles(artifactId) {
      const a = findArtifact(artifactId);
      const blob = state.blobs.get(a.blobPath);
      if (!blob?.data) throw new Error(`fake: artifact ${artifactId} has no content`);
      return unzipFiles(blob.data);
    },
    expireArtifact(artifactId) {
      findArtifact(artifactId).expiresAt = new Date(Date.now() - 86400_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    },
    deleteArtifact(artifactId) {
      findArtifact(artifactId).deleted = true;
    },
    failNext(route, fault) {
      const queue = faults.get(route) ?? [];
      queue.push({ ...fault });
      faults.set(route, queue);
    },
    delay(route, ms) {
      delays.set(route, ms);
    },
    clearFaults() {
      delays.clear();
      faults.clear();
    },
    clearLog() {
      log.length = 0;
    },
    calls(route) {
      return log.filter((e) => e.route === route);
    },
    runtimeToken(run) {
      return makeRuntimeToken(run.backendId, run.jobBackendId);
    },
    envFor(run, extra = {}) {
      return {
        GITHUB_ACTIONS: 'true',
        CI: 'true',
        GITHUB_API_URL: origin,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_GRAPHQL_URL: `${origin}/graphql`,
        ACTIONS_RESULTS_URL: `${origin}/`,
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(run.backendId, run.jobBackendId),
        GITHUB_REPOSITORY: run.repository,
        GITHUB_REPOSITORY_OWNER: run.repository.split('/')[0] ?? '',
        GITHUB_RUN_ID: String(run.id),
        GITHUB_RUN_NUMBER: String(run.runNumber),
        GITHUB_RUN_ATTEMPT: String(run.runAttempt),
        GITHUB_EVENT_NAME: run.event,
        GITHUB_SHA: run.headSha,
        GITHUB_REF:
          run.event === 'pull_request' && run.pullRequests[0] !== undefined
            ? `refs/pull/${run.pullRequests[0]}/merge`
            : `refs/heads/${run.headBranch}`,
        GITHUB_WORKFLOW: run.name,
        GITHUB_WORKFLOW_REF: `${run.repository}/${run.path}@refs/heads/${run.headBranch}`,
        GITHUB_JOB: 'perf',
        GITHUB_TOKEN: 'ghs_faketoken0000000000000000000000000000',
        ...extra,
      };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
  return fake;
}
