/**
 * What each function of one profile cost: self time (samples in the function) and total time
 * (samples with the function anywhere on the stack, counted once however deep it recurses), per
 * function keyed by name, file and line. Files are told apart: the repository under test (its
 * checkout, `root`), packages (`node_modules/`) and the runtime (`node:` modules, GC, native).
 */
import { fileURLToPath } from 'node:url';
import type { CodeOrigin } from '../result/profile-schema.js';
import type { CpuProfile, ProfileNode } from './cpuprofile.js';

export interface FunctionTotals {
  name: string;
  file: string;
  line: number;
  origin: CodeOrigin;
  selfUs: number;
  totalUs: number;
}

export interface CostTable {
  /** By functionKey. */
  functions: Map<string, FunctionTotals>;
  /** Sampled CPU time, microseconds: every sample but the idle ones. */
  cpuUs: number;
}

/** Frames that are no function's cost: the tree's root, and the thread waiting for work. */
const NOT_CPU = new Set(['(root)', '(idle)']);

export function functionKey(f: { name: string; file: string; line: number }): string {
  return `${f.name}\u0000${f.file}\u0000${f.line}`;
}

/** Where a script URL's code lives, and its file as the report names it. */
export function locate(url: string, root: string): { file: string; origin: CodeOrigin } {
  if (url === '' || url.startsWith('node:') || !/^(file:|\/)/.test(url)) {
    return { file: url, origin: 'runtime' };
  }
  let path = url;
  if (url.startsWith('file:')) {
    try {
      path = fileURLToPath(url);
    } catch {
      return { file: url, origin: 'runtime' };
    }
  }
  const packages = path.lastIndexOf('/node_modules/');
  if (packages >= 0) return { file: path.slice(packages + 1), origin: 'library' };
  const base = root.endsWith('/') ? root : `${root}/`;
  if (path.startsWith(base)) return { file: path.slice(base.length), origin: 'user' };
  return { file: path, origin: 'library' };
}

/** Each sample's duration: the time to the next sample (the last: the mean interval). */
function sampleDurations(profile: CpuProfile): number[] {
  const { timeDeltas } = profile;
  const n = timeDeltas.length;
  const mean = n > 0 ? Math.max(0, profile.endTime - profile.startTime) / n : 0;
  return timeDeltas.map((_, i) => (i + 1 < n ? Math.max(0, timeDeltas[i + 1] ?? 0) : mean));
}

/**
 * A stretch of the profile, in its own clock (microseconds of the monotonic clock: V8's and
 * `process.hrtime` alike on one machine): only the samples inside it count.
 */
export interface SampleWindow {
  fromUs: number;
  toUs: number;
}

/** Whether any sample of the profile falls in the window (else the clocks did not match). */
export function overlaps(profile: CpuProfile, window: SampleWindow): boolean {
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) {
    t += delta;
    if (t >= window.fromUs && t <= window.toUs) return true;
  }
  return false;
}

/**
 * Each function's self and total time; with a `window`, of its samples alone (the profiled
 * trial, not the process's start nor the pools' filling).
 */
export function costTable(profile: CpuProfile, root: string, window?: SampleWindow): CostTable {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const durations = sampleDurations(profile);
  const sampled = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) return;
    sampled.set(id, (sampled.get(id) ?? 0) + (durations[i] ?? 0));
  });

  // Parents first (iterative: stacks can be deep); a malformed tree's repeats are skipped.
  const children = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const roots = profile.nodes.filter((n) => !children.has(n.id));
  const order: ProfileNode[] = [];
  const parent = new Map<number, number>();
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as ProfileNode;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    order.push(node);
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child && !seen.has(id)) {
        parent.set(id, node.id);
        stack.push(child);
      }
    }
  }

  // Each node's function. The runtime's own functions (native ones, `node:` modules) called
  // from the repository's code or a package's have none of their own: their time is that
  // caller's, where the code asked for it (a loop on performance.now is the loop's cost). The
  // VM's states, `(garbage collector)` and `(program)`, keep theirs.
  const keyOf = new Map<number, string>();
  const functions = new Map<string, FunctionTotals>();
  for (const node of order) {
    const name = node.callFrame.functionName || '(anonymous)';
    if (NOT_CPU.has(name)) continue;
    const { file, origin } = locate(node.callFrame.url, root);
    const callerKey = keyOf.get(parent.get(node.id) ?? -1);
    const caller = callerKey === undefined ? undefined : functions.get(callerKey);
    if (origin === 'runtime' && !name.startsWith('(') && caller && caller.origin !== 'runtime') {
      keyOf.set(node.id, callerKey as string);
      continue;
    }
    const line = Math.max(0, node.callFrame.lineNumber + 1);
    const key = functionKey({ name, file, line });
    keyOf.set(node.id, key);
    if (!functions.has(key))
      functions.set(key, { name, file, line, origin, selfUs: 0, totalUs: 0 });
  }
  for (const [id, us] of sampled) {
    const key = keyOf.get(id);
    if (key !== undefined) (functions.get(key) as FunctionTotals).selfUs += us;
  }

  // Subtree time of every node, children before parents.
  const subtree = new Map<number, number>();
  for (const node of [...order].reverse()) {
    const below = (node.children ?? []).reduce(
      (sum, id) => sum + (parent.get(id) === node.id ? (subtree.get(id) ?? 0) : 0),
      0,
    );
    subtree.set(node.id, (sampled.get(node.id) ?? 0) + below);
  }

  // Total time: a node's subtree counts for its function unless an ancestor is the same one.
  const active = new Map<string, number>();
  const visit: { node: ProfileNode; leaving: boolean }[] = roots.map((node) => ({
    node,
    leaving: false,
  }));
  while (visit.length > 0) {
    const { node, leaving } = visit.pop() as { node: ProfileNode; leaving: boolean };
    const key = keyOf.get(node.id);
    if (leaving) {
      if (key !== undefined) active.set(key, (active.get(key) ?? 1) - 1);
      continue;
    }
    if (key !== undefined) {
      if ((active.get(key) ?? 0) === 0) {
        (functions.get(key) as FunctionTotals).totalUs += subtree.get(node.id) ?? 0;
      }
      active.set(key, (active.get(key) ?? 0) + 1);
    }
    visit.push({ node, leaving: true });
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child && parent.get(id) === node.id) visit.push({ node: child, leaving: false });
    }
  }

  let cpuUs = 0;
  for (const f of functions.values()) cpuUs += f.selfUs;
  return { functions, cpuUs };
}

/** Several processes' tables as one (an `npm start` tree: npm, then the service). */
export function sumTables(tables: readonly CostTable[]): CostTable {
  const functions = new Map<string, FunctionTotals>();
  let cpuUs = 0;
  for (const table of tables) {
    cpuUs += table.cpuUs;
    for (const [key, f] of table.functions) {
      const sum = functions.get(key);
      if (sum) {
        sum.selfUs += f.selfUs;
        sum.totalUs += f.totalUs;
      } else functions.set(key, { ...f });
    }
  }
  return { functions, cpuUs };
}

/** CPU time a table spent in the repository's own code. */
export function userCpuUs(table: CostTable): number {
  let sum = 0;
  for (const f of table.functions.values()) if (f.origin === 'user') sum += f.selfUs;
  return sum;
}

/**
 * Which of a side's profiles are its service's: those that spent CPU in the repository's code
 * (a launcher such as `npm start` is a Node process too, and writes a profile of npm's own
 * code); when none did, every profile with samples. Indices into `tables`.
 */
export function serviceProfiles(tables: readonly CostTable[]): number[] {
  const user = tables.flatMap((t, i) => (userCpuUs(t) > 0 ? [i] : []));
  if (user.length > 0) return user;
  return tables.flatMap((t, i) => (t.cpuUs > 0 ? [i] : []));
}
