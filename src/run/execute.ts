import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_TOKEN } from '../config/defaults.js';
import { ConfigError } from '../config/errors.js';
import { loadConfigFile } from '../config/load-file.js';
import { checkHttpUrl } from '../config/urls.js';
import { buildPlan, type Plan, type PlanOverrides } from '../config/plan.js';
import { compileScenario } from '../load/compile.js';
import { TemplateError } from '../load/template.js';
import { PRESETS } from '../presets/index.js';
import { createMonitor, type Monitor } from '../monitor/index.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../result/types.js';
import { startService, type RunningService } from '../service/index.js';
import { environmentFingerprint, gitInfo } from './environment.js';
import type { ProgressEvent } from '../kinds/index.js';
import { runPlan } from './run-plan.js';
import { LOADGATE_VERSION } from './version.js';

/** Everything a run needs, from CLI flags or action inputs. */
export interface RunSettings {
  /** Shell command that starts the service; absent = a service already running at baseUrl. */
  start?: string;
  cwd: string;
  env?: Record<string, string>;
  baseUrl: string;
  readyUrl?: string;
  readyTimeoutSeconds: number;
  token?: string;
  config?: string;
  profile?: string;
  postgresUrl?: string;
  redisUrl?: string;
  overrides?: PlanOverrides;
  onProgress?: (event: ProgressEvent) => void;
  onServiceReady?: (service: RunningService) => void;
}

/** Validate the settings and build the plan: every config error surfaces before anything starts. */
export async function preparePlan(settings: RunSettings): Promise<Plan> {
  checkHttpUrl(settings.baseUrl, 'base-url');
  if (settings.readyUrl !== undefined) checkHttpUrl(settings.readyUrl, 'ready-url');
  if (!(settings.readyTimeoutSeconds > 0)) {
    throw new ConfigError(
      `ready-timeout: expected a positive number of seconds, got ${settings.readyTimeoutSeconds}`,
    );
  }
  const configPath =
    settings.config === undefined ? undefined : resolve(settings.cwd, settings.config);
  const file = await loadConfigFile(configPath);
  const plan = buildPlan(
    file,
    settings.config ?? 'built-in admin preset',
    {
      ...settings.overrides,
      ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    },
    PRESETS,
  );
  // Compile every template now, so a bad placeholder is a config error before anything starts.
  try {
    for (const scenario of plan.scenarios) compileScenario(scenario);
  } catch (error) {
    if (error instanceof TemplateError) throw new ConfigError(error.message);
    throw error;
  }
  return plan;
}

/**
 * Start the service (if asked), run the plan with the monitor, always stop what was started,
 * and return the result document. Throws ConfigError (bad input) or ServiceError (start/crash).
 */
export async function executeRun(settings: RunSettings): Promise<RunResult> {
  const plan = await preparePlan(settings);
  const baseUrl = checkHttpUrl(settings.baseUrl, 'base-url');
  const startedAt = new Date().toISOString();
  const service = await startService({
    ...(settings.start === undefined ? {} : { command: settings.start }),
    cwd: settings.cwd,
    ...(settings.env === undefined ? {} : { env: settings.env }),
    baseUrl,
    readyUrl: settings.readyUrl ?? `${baseUrl}/health`,
    readyTimeoutMs: settings.readyTimeoutSeconds * 1000,
  });
  let monitor: Monitor | undefined;
  try {
    settings.onServiceReady?.(service);
    monitor = await createMonitor({
      ...(service.pid === undefined ? {} : { pid: service.pid }),
      ...(settings.postgresUrl === undefined ? {} : { postgresUrl: settings.postgresUrl }),
      ...(settings.redisUrl === undefined ? {} : { redisUrl: settings.redisUrl }),
    });
    const scenarios = await runPlan({
      plan,
      baseUrl,
      token: settings.token ?? DEFAULT_TOKEN,
      runId: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`,
      monitor,
      ...(settings.start === undefined ? {} : { abort: service.crashed }),
      ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
    });
    const git = gitInfo(settings.cwd);
    return {
      schemaVersion: RESULT_SCHEMA_VERSION,
      tool: { name: 'loadgate', version: LOADGATE_VERSION },
      startedAt,
      finishedAt: new Date().toISOString(),
      ...(git === undefined ? {} : { git }),
      environment: environmentFingerprint(),
      config: { hash: plan.hash, profile: plan.profile, source: plan.source },
      target: { baseUrl },
      scenarios,
    };
  } finally {
    await monitor?.close();
    await service.stop();
  }
}
