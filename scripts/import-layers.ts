/**
 * The rules of src/'s import graph (pure): imports point one way, down the layers, and no file
 * reaches itself through its imports. docs/architecture.md explains the layers.
 *
 * Written by hand, not with dependency-cruiser or eslint-plugin-import: the whole rule is a rank
 * table and a cycle search (Tarjan), the TypeScript compiler already in the project extracts the
 * imports, and a 60-line check is easier to read than a second rule language.
 */

/**
 * A folder may import from folders of a lower rank only; folders of one rank never import each
 * other. Top-level files of src/ (the entry points) are ENTRY_RANK.
 */
export const LAYER_RANKS: Readonly<Record<string, number>> = {
  stats: 0,
  format: 0,
  // Between format (it looks for a secret in the forms format/escape.ts writes) and files (whose
  // writer redacts): a half rank, so that no other room has to move.
  redact: 0.5,
  files: 1,
  result: 1,
  config: 2,
  baseline: 2,
  profile: 2,
  judge: 3,
  init: 3,
  load: 4,
  monitor: 4,
  presets: 4,
  service: 5,
  kinds: 6,
  run: 7,
  report: 8,
  github: 9,
  pipeline: 9,
  action: 10,
  commands: 10,
  comment: 10,
  cli: 11,
};
export const ENTRY_RANK = 12;

/** file (relative to src/, e.g. "judge/judge.ts") → the files it imports (same form). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface LayerViolation {
  kind: 'upward' | 'sideways' | 'unknown-folder';
  from: string;
  to: string;
  message: string;
}

/** The layer of a file: its first folder under src/, or "(entry)" for src/*.ts. */
export function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '(entry)' : file.slice(0, slash);
}

function rankOf(layer: string): number | undefined {
  return layer === '(entry)' ? ENTRY_RANK : LAYER_RANKS[layer];
}

export function layerViolations(graph: ImportGraph): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    const fromRank = rankOf(fromLayer);
    if (fromRank === undefined) {
      out.push({
        kind: 'unknown-folder',
        from,
        to: from,
        message: `src/${fromLayer}/ has no rank: add it to LAYER_RANKS in scripts/import-layers.ts and to docs/architecture.md`,
      });
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (toLayer === fromLayer) continue;
      const toRank = rankOf(toLayer);
      if (toRank === undefined || toRank < fromRank) continue;
      const kind = toRank === fromRank ? 'sideways' : 'upward';
      out.push({
        kind,
        from,
        to,
        message: `${from} imports ${to}: ${fromLayer} (rank ${fromRank}) may not import ${toLayer} (rank ${toRank})`,
      });
    }
  }
  return out;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) as number, low.get(to) as number));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file) as number, index.get(to) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
      cycles.push(component.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}
