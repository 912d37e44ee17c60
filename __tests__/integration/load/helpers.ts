import { spawn } from 'node:child_process';
import { BUNDLED } from '../../../scripts/bundle-for-runs.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult, TrialResult } from '../../../src/result/types.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A mix of two endpoints, list 3 : create 1, as the fault server routes them (200 / 201). */
export function mixConfig(settings: {
  trialSeconds: number;
  timeoutSeconds?: number;
  connections?: number;
}): object {
  return {
    preset: 'none',
    defaults: {
      trials: 1,
      warmupSeconds: 0,
      trialSeconds: settings.trialSeconds,
      connections: settings.connections ?? 10,
      timeoutSeconds: settings.timeoutSeconds ?? 5,
    },
    scenarios: [
      {
        name: 'mix',
        requests: [
          { name: 'list', path: '/items', weight: 3 },
          {
            name: 'create',
            method: 'POST',
            path: '/items',
            expect: 201,
            weight: 1,
            headers: { 'content-type': 'application/json' },
            body: { name: 'item {{seq}}' },
          },
        ],
      },
    ],
  };
}

export interface LoadgateRun {
  code: number | null;
  stderr: string;
  result: RunResult;
  trial: TrialResult;
}

/**
 * `loadgate run --config <config> --base-url <url>` as a user runs it (from source, or a bundle
 * with `entry`), with the attribution check on; resolves with the result's only trial.
 */
export async function runLoadgate(
  config: object,
  baseUrl: string,
  options: { entry?: string; timeoutMs?: number } = {},
): Promise<LoadgateRun> {
  const dir = mkdtempSync(join(tmpdir(), 'loadgate-load-'));
  const configPath = join(dir, 'loadgate.json');
  const out = join(dir, 'result.json');
  writeFileSync(configPath, JSON.stringify(config));
  const entry = [options.entry ?? BUNDLED.cli];
  const args = [...entry, 'run', '--config', configPath, '--base-url', baseUrl, '--out', out];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOADGATE_CHECK_ATTRIBUTION: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`loadgate run exited ${code}:\n${stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
  const trial = result.scenarios[0]?.trials[0];
  if (!trial) throw new Error(`no trial recorded:\n${stderr}`);
  return { code, stderr, result, trial };
}
