/**
 * The npm package as a user gets it: `npm pack` of this checkout, the tarball installed into an
 * empty directory with no registry (it has no dependencies: everything is in dist/cli.js), then
 * `npx loadgate --version`, a short run against the example service, the exported result types
 * read by a TypeScript consumer and the exported JSON Schema imported by Node. Needs a fresh
 * `npm run build` (the tarball packs dist/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { freePort, newMarker, processesWithMarker, ROOT } from './helpers.js';

interface PackedPackage {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  exports: Record<string, unknown>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackedPackage;
const work = mkdtempSync(join(tmpdir(), 'loadgate-package-'));
const app = join(work, 'app');
const markers: string[] = [];
let packedFiles: string[] = [];

/** npm as a user runs it: none of the npm_* settings of the npm that may be running the tests. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'NODE_PATH') env[k] = v;
  }
  return { ...env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
}

function npm(args: string[], cwd: string, timeout = 60_000) {
  return spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout });
}

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'run npm run build first').toBe(true);
  const packed = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  packedFiles = (info?.files ?? []).map((f) => f.path).sort();
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  const installed = npm(
    ['install', '--offline', '--no-audit', '--no-fund', join(work, info?.filename ?? '')],
    app,
  );
  expect(installed.status, installed.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  for (const m of markers) for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('packs only what runs: the CLI bundle, the result types, the schema, the license', () => {
    expect(packedFiles).toEqual([
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/types/result.d.ts',
      'package.json',
      'schema/loadgate.schema.json',
    ]);
  });

  it('installs no dependency and carries no script npm runs on a user’s machine', () => {
    const installed = JSON.parse(
      readFileSync(join(app, 'node_modules/loadgate/package.json'), 'utf8'),
    ) as PackedPackage;
    expect(installed.dependencies ?? {}).toEqual({});
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      expect(installed.scripts?.[hook], hook).toBeUndefined();
    }
    expect(installed.bin).toEqual({ loadgate: 'dist/cli.js' });
    expect(installed.engines.node).toMatch(/^>=20/);
    // Only loadgate itself: the bundle needs nothing beside it.
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([
      'loadgate',
    ]);
  });

  it('npx loadgate --version prints the package version', () => {
    const out = npm(['exec', '--offline', '--', 'loadgate', '--version'], app);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe(pkg.version);
  });

  it('npx loadgate run measures the example service', async () => {
    const port = await freePort();
    const marker = newMarker();
    markers.push(marker);
    writeFileSync(
      join(app, 'loadgate.yml'),
      [
        'exclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins, create-admin]',
        'defaults: { trials: 1, trialSeconds: 0.3, warmupSeconds: 0 }',
        '',
      ].join('\n'),
    );
    const out = npm(
      [
        'exec',
        '--offline',
        '--',
        'loadgate',
        'run',
        '--start',
        // The example service bundled by the tests' setup, by its absolute path (npx runs here).
        `exec env PORT=${port} LOADGATE_TEST_MARKER=${marker} node ${join(ROOT, BUNDLED.example)}`,
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--config',
        'loadgate.yml',
        '--out',
        'result.json',
      ],
      app,
    );
    expect(out.status, out.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(app, 'result.json'), 'utf8')) as RunResult;
    expect(result.tool).toEqual({ name: 'loadgate', version: pkg.version });
    expect(result.scenarios.map((s) => s.name)).toEqual(['list-admins']);
    expect(result.scenarios[0]?.trials[0]?.metrics.requests).toBeGreaterThan(0);
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('exports the result types to TypeScript and the scenarios schema to Node', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'nodenext', noEmit: true, types: [] },
        files: ['good.ts', 'bad.ts'],
      }),
    );
    writeFileSync(
      join(app, 'good.ts'),
      [
        "import type { RunResult, TrialMetrics } from 'loadgate/result';",
        'declare const result: RunResult;',
        'const p95: number = result.scenarios[0]!.trials[0]!.metrics.p95;',
        'const metrics: TrialMetrics | undefined = result.scenarios[0]?.trials[0]?.metrics;',
        'export const summary = [p95, metrics?.throughput, result.tool.version];',
        '',
      ].join('\n'),
    );
    // The types say something: a field the document does not have is an error.
    writeFileSync(
      join(app, 'bad.ts'),
      "import type { RunResult } from 'loadgate/result';\nexport const v = (r: RunResult) => r.scenarios[0]!.p95;\n",
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const checked = spawnSync(process.execPath, [tsc, '-p', app], { cwd: app, encoding: 'utf8' });
    const errors = checked.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors, checked.stdout).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(2,\d+\): error TS2339: Property 'p95' does not exist/);

    const title = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import s from 'loadgate/schema.json' with { type: 'json' }; console.log(s.$schema ?? s.title)",
      ],
      { cwd: app, encoding: 'utf8' },
    );
    expect(title.trim()).toMatch(/json-schema|loadgate/i);
  });
});
