import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_TOKEN } from '../config/defaults.js';
import { ConfigError } from '../config/errors.js';
import { loadConfigFile } from '../config/load-file.js';
import { checkHttpUrl } from '../config/urls.js';
import { buildPlan, summarizePlan, type Plan, type PlanOverrides } from '../config/plan.js';
import { compileScenario } from '../load/compile.js';
import { TemplateError } from '../load/template.js';
import { PRESETS } from '../presets/index.js';
import { createMonitor, type Monitor } from '../monitor/index.js';
import { RESULT_SCHEMA_VERSION, type RunResult, type ScenarioResult } from '../result/types.js';
import { startService, type RunningService } from '../service/index.js';
import { environmentFingerprint, gitInfo } from './environment.js';
import { probeField, tryProbe } from './probe.js';
import type { ProgressEvent } from '../kinds/index.js';
import { runPlan } from './run-plan.js';
import { checkShardable, type ShardSettings } from './shard.js';
import { runShardPlan } from './shard-run.js';
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
  /**
   * After each scenario, the result so far (marked `partial`): the front ends write it, so a run
   * that ends early (a crash, a cancel, SIGTERM) keeps the scenarios that finished.
   */
  onPartialResult?: (partial: RunResult) => void | Promise<void>;
  /** This run is one shard of several against a shared target (run/shard-run.ts). */
  shard?: ShardSettings;
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

/** The RunResult around a run's scenarios. */
export function resultDocument(
  plan: Plan,
  run: {
    startedAt: string;
    git: RunResult['git'];
    baseUrl: string;
    scenarios: RunResult['scenarios'];
    /** Problems met while measuring (the monitor's): kept only when there are some. */
    warnings?: readonly string[];
  },
): RunResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'loadgate', version: LOADGATE_VERSION },
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    ...(run.git === undefined ? {} : { git: run.git }),
    environment: environmentFingerprint(),
    config: { hash: plan.hash, profile: plan.profile, source: plan.source },
    target: { baseUrl: run.baseUrl },
    scenarios: run.scenarios,
    ...(run.warnings?.length ? { warnings: [...run.warnings] } : {}),
  };
}

/**
 * A result of the scenarios finished so far, marked partial (result/types.ts PartialRun);
 * `completed` when not every scenario listed is finished (an A/B run in rounds).
 */
export function partialDocument(
  result: RunResult,
  plan: Plan,
  completed = result.scenarios.length,
): RunResult {
  return { ...result, partial: { completed, planned: plan.scenarios.length } };
}

/** A run id unique per run, so created records (emails) never collide with an earlier run's. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * Start the service (if asked), run the plan with the monitor, always stop what was started,
 * and return the result document. Throws ConfigError (bad input) or ServiceError (start/crash).
 */
export async function executeRun(settings: RunSettings): Promise<RunResult> {
  const plan = await preparePlan(settings);
  settings.onProgress?.({ type: 'plan', plan: summarizePlan(plan, 'single') });
  if (settings.shard) checkShardable(plan, settings.shard);
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
    const planOptions = {
      plan,
      baseUrl,
      token: settings.token ?? DEFAULT_TOKEN,
      runId: newRunId(),
      monitor,
      ...(settings.start === undefined ? {} : { abort: service.crashed }),
      ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
      ...(settings.onPartialResult === undefined
        ? {}
        : {
            onScenarioDone: (done: readonly ScenarioResult[]) =>
              settings.onPartialResult?.(
                partialDocument(
                  resultDocument(plan, {
                    startedAt,
                    git: gitInfo(settings.cwd),
                    baseUrl,
                    scenarios: [...done],
                    warnings: monitor?.warnings ?? [],
                  }),
                  plan,
                ),
              ),
          }),
    };
    // The machine probe before the first scenario and after the last (not in a shard: its
    // schedule is shared with other machines).
    const probeBefore = settings.shard ? undefined : await tryProbe();
    const sharded = settings.shard && (await runShardPlan(planOptions, settings.shard));
    const scenarios = sharded ? sharded.scenarios : await runPlan(planOptions);
    const probe = probeField(probeBefore, probeBefore && (await tryProbe()));
    const document = resultDocument(plan, {
      startedAt,
      git: gitInfo(settings.cwd),
      baseUrl,
      scenarios,
      warnings: monitor.warnings,
    });
    return sharded ? { ...document, shard: sharded.shard } : { ...document, ...probe };
  } finally {
    await stopBoth(monitor, service);
  }
}

/** The monitor's close is bounded by its own timeouts; this is the last word on it. */
const MONITOR_CLOSE_LIMIT_MS = 10_000;

/**
 * Stop the service whatever the monitor does: its stop starts at once, beside the monitor's
 * close, never after it; a close that still has not finished after MONITOR_CLOSE_LIMIT_MS is
 * left behind (its sockets die with the process).
 */
export async function stopBoth(
  monitor: Pick<Monitor, 'close'> | undefined,
  service: Pick<RunningService, 'stop'>,
  closeLimitMs = MONITOR_CLOSE_LIMIT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closing = Promise.race([
    monitor?.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, closeLimitMs);
      timer.unref();
    }),
  ]);
  try {
    await service.stop();
  } finally {
    await closing;
    clearTimeout(timer);
  }
}
