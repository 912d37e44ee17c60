/**
 * `npm run lint` runs this: reads every .ts file under src/ (or the folder given), extracts its
 * imports with the TypeScript compiler (type-only and dynamic imports count too), and fails on an
 * import cycle or an import against the layer order (scripts/import-layers.ts).
 *
 *   npx tsx scripts/check-imports.ts [srcDir]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { importCycles, layerViolations, type ImportGraph } from './import-layers.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** file → imported project files, both relative to `srcDir`; packages and node: are skipped. */
export function readImportGraph(srcDir: string): ImportGraph {
  const root = resolve(srcDir);
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
    graph.set(relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

export function checkImports(srcDir: string): string[] {
  const graph = readImportGraph(srcDir);
  const problems = layerViolations(graph).map((v) => `layer: ${v.message}`);
  for (const cycle of importCycles(graph)) problems.push(`cycle: ${cycle.join(' → ')}`);
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? 'src';
  const problems = checkImports(dir);
  if (problems.length > 0) {
    console.error(`check-imports: ${problems.length} problem(s) in ${dir}/:`);
    for (const p of problems) console.error(`  ${p}`);
    console.error('The layers and why: docs/architecture.md');
    process.exit(1);
  }
  console.log(`check-imports: ${dir}/ has no import cycle and no import against the layers`);
}
