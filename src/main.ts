import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './config/errors.js';
import { DEFAULT_BASE_URL, executeRun, type RunSettings } from './run/execute.js';
import { installSignalCleanup } from './service/index.js';

/**
 * The action's entry. For now it runs the engine and publishes the result file; the judge,
 * baselines and the PR comment arrive with their issues.
 */

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

export function readInputs(): { settings: RunSettings; out: string } {
  const token = optional('auth-token');
  if (token !== undefined) core.setSecret(token);
  const timeout = optional('ready-timeout');
  const readyTimeoutSeconds = timeout === undefined ? 60 : Number(timeout);
  if (!(readyTimeoutSeconds > 0)) {
    throw new ConfigError(
      `input ready-timeout: expected a positive number of seconds, got "${timeout}"`,
    );
  }
  const cwd = resolve(optional('working-directory') ?? '.');
  const start = optional('start-command');
  const readyUrl = optional('ready-url');
  const config = optional('config');
  const profile = optional('profile');
  const postgresUrl = optional('postgres-url');
  const redisUrl = optional('redis-url');
  return {
    settings: {
      cwd,
      baseUrl: optional('base-url') ?? DEFAULT_BASE_URL,
      readyTimeoutSeconds,
      ...(start === undefined ? {} : { start }),
      ...(readyUrl === undefined ? {} : { readyUrl }),
      ...(token === undefined ? {} : { token }),
      ...(config === undefined ? {} : { config }),
      ...(profile === undefined ? {} : { profile }),
      ...(postgresUrl === undefined ? {} : { postgresUrl }),
      ...(redisUrl === undefined ? {} : { redisUrl }),
    },
    out: resolve(process.env.RUNNER_TEMP ?? cwd, 'loadgate', 'loadgate-result.json'),
  };
}

export async function run(): Promise<void> {
  try {
    installSignalCleanup();
    const { settings, out } = readInputs();
    const result = await executeRun({
      ...settings,
      onProgress: (event) => {
        if (event.type === 'trial') {
          core.info(
            `${event.scenario}: trial ${event.trial}/${event.trials} ${Math.round(event.throughput)} req/s p95 ${event.p95.toFixed(2)} ms`,
          );
        } else if (event.type === 'scenario-failed') {
          core.warning(`${event.scenario}: ${event.message}`);
        }
      },
    });
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result)}\n`);
    core.setOutput('results-path', out);
    const failed = result.scenarios.filter((s) => s.failure !== undefined);
    if (failed.length > 0) {
      core.setFailed(
        `${failed.length} scenario(s) could not complete: ${failed.map((s) => s.name).join(', ')}`,
      );
    }
  } catch (error) {
    core.setFailed((error as Error).message);
  }
}
