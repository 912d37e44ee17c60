// Bundles the action (dist/index.js: the gate and the comment mode) and the CLI (dist/cli.js)
// into self-contained ESM files, and writes the result types the npm package exports.
// esbuild rather than rollup: one deterministic pass in well under a second (rollup with the
// commonjs plugin takes tens of seconds on this dependency tree), and the same createRequire
// banner handles autocannon's CommonJS `require`s inside an ESM bundle.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { configJsonSchema } from '../src/config/json-schema.js';
import { resultDeclarations } from './result-types.js';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  define: { __LOADGATE_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __loadgateCreateRequire } from 'node:module';\nconst require = __loadgateCreateRequire(import.meta.url);",
  },
});

// The result document's types for the npm package (`loadgate/result`): scripts/result-types.ts.
await mkdir(new URL('../dist/types', import.meta.url), { recursive: true });
await writeFile(
  new URL('../dist/types/result.d.ts', import.meta.url),
  await format(resultDeclarations(fileURLToPath(new URL('..', import.meta.url)), pkg.version), {
    parser: 'typescript',
    printWidth: 100,
  }),
);

// The scenarios file's JSON Schema, for editors (yaml-language-server / $schema).
await mkdir(new URL('../schema', import.meta.url), { recursive: true });
await writeFile(
  new URL('../schema/loadgate.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
