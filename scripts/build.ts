// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into self-contained ESM files.
// esbuild rather than rollup: one deterministic pass in well under a second (rollup with the
// commonjs plugin takes tens of seconds on this dependency tree), and the same createRequire
// banner handles autocannon's CommonJS `require`s inside an ESM bundle.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../src/config/json-schema.js';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts', comment: 'src/comment/index.ts' },
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

// The scenarios file's JSON Schema, for editors (yaml-language-server / $schema).
await mkdir(new URL('../schema', import.meta.url), { recursive: true });
await writeFile(
  new URL('../schema/loadgate.schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
