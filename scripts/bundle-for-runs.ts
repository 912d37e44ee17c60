/**
 * The CLI and the example services bundled once into `.loadgate/build/` (ignored by git), for the
 * tests and benchmarks that start them many times: a bundle starts in about 0.3 s where
 * `node --import tsx` compiles the sources on every start (2–3 s here). The CLI bundle is built
 * from src/ exactly as dist/cli.js is (scripts/build.ts), so the tests exercise the sources as
 * they are, not the committed dist; the example keeps its packages external (node_modules).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Paths relative to the repository's root. */
export const BUNDLED = {
  cli: '.loadgate/build/cli.mjs',
  example: '.loadgate/build/admin-service.mjs',
  todoApi: '.loadgate/build/todo-api.mjs',
} as const;

export async function bundleForRuns(): Promise<void> {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    charset: 'utf8',
    logLevel: 'warning',
    absWorkingDir: ROOT,
  } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: ['src/cli.ts'],
      outfile: BUNDLED.cli,
      banner: {
        js: "import { createRequire as __loadgateCreateRequire } from 'node:module';\nconst require = __loadgateCreateRequire(import.meta.url);",
      },
    }),
    build({
      ...common,
      entryPoints: ['examples/admin-service/src/main.ts'],
      outfile: BUNDLED.example,
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: ['examples/todo-api/src/server.ts'],
      outfile: BUNDLED.todoApi,
      packages: 'external',
    }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleForRuns();
