import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports } from '../../../scripts/check-imports.js';
import { importCycles, layerViolations } from '../../../scripts/import-layers.js';

const ROOT = join(import.meta.dirname, '../../..');

/** A throwaway src/ tree: path → file text. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lg-imports-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

// Each case runs the check in a fresh tsx process (a second or more on a busy machine).
describe('the import graph check (npm run lint)', { timeout: 30_000 }, () => {
  it('passes on the project as it is', () => {
    expect(checkImports(join(ROOT, 'src'))).toEqual([]);
  });

  it('fails on a planted cycle, naming its files, also through type-only imports', () => {
    const dir = tree({
      'kinds/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'kinds/b.ts': "import type { C } from './c.js';\nexport const b = 1 as unknown as C;\n",
      'kinds/c.ts': "import { a } from './a.js';\nexport type C = typeof a;\n",
    });
    expect(checkImports(dir)).toEqual(['cycle: kinds/a.ts → kinds/b.ts → kinds/c.ts']);
    const cli = spawnSync('npx', ['tsx', 'scripts/check-imports.ts', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('cycle: kinds/a.ts → kinds/b.ts → kinds/c.ts');
  });

  it('fails on an upward import and on one between folders of the same rank', () => {
    const dir = tree({
      'stats/mean.ts': "import { verdict } from '../judge/judge.js';\nexport const m = verdict;\n",
      'judge/judge.ts': 'export const verdict = 1;\n',
      'config/plan.ts': "import { x } from '../baseline/read.js';\nexport const p = x;\n",
      'baseline/read.ts': 'export const x = 1;\n',
      'run/run.ts': "import { m } from '../stats/mean.js';\nexport const r = m;\n",
    });
    expect(checkImports(dir)).toEqual([
      'layer: config/plan.ts imports baseline/read.ts: config (rank 2) may not import baseline (rank 2)',
      'layer: stats/mean.ts imports judge/judge.ts: stats (rank 0) may not import judge (rank 3)',
    ]);
  });

  it('a new folder must be given a rank before it can be used', () => {
    const found = layerViolations(new Map([['widgets/w.ts', []]]));
    expect(found.map((v) => v.kind)).toEqual(['unknown-folder']);
    expect(found[0]?.message).toMatch(/add it to LAYER_RANKS/);
  });

  it('finds a file importing itself, and nothing in an acyclic graph', () => {
    expect(importCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
