import { performance } from 'node:perf_hooks';
import type { ResolvedScenario } from '../config/plan.js';
import type { SeedApi, VolumeSeeding } from '../config/preset.js';
import { compileRequest, RenderContexts } from '../load/compile.js';
import { renderRequest } from '../load/compile.js';
import type { ScenarioResult, VolumeResult } from '../result/types.js';
import { say, type KindContext } from './context.js';
import { runLoad } from './load.js';
import { runSeedCommand } from '../service/seed-command.js';

/**
 * Volume: seed the table (`admins` records and `grants` associations) through the plan's preset
 * (its API at `adminBasePath`) or a seed command, then the scenario's requests as ordinary
 * trials against the big table, then one bulk action on `bulkUsers` records, timed.
 */
export async function runVolume(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<ScenarioResult> {
  const settings = scenario.volume;
  if (!settings) throw new Error(`scenario ${scenario.name} has no volume settings`);
  // buildPlan resolves no volume scenario without a preset to seed through.
  const seeding = ctx.preset?.volume;
  if (!seeding) throw new Error(`scenario ${scenario.name} has no preset to seed through`);
  const api: SeedApi = {
    baseUrl: ctx.baseUrl,
    basePath: settings.adminBasePath,
    headers: seedHeaders(scenario, ctx),
    concurrency: settings.seedConcurrency,
  };
  const seeded = await seed(scenario, ctx, api, seeding);
  const result = await runLoad(scenario, ctx);
  let bulk: VolumeResult['bulk'] = null;
  if (settings.bulkUsers > 0) {
    const ids = seeded.ids.length > 0 ? seeded.ids : await seeding.listIds(api, settings.bulkUsers);
    const users = ids.slice(0, settings.bulkUsers);
    const timeoutMs = Math.max(60_000, 2 * (scenario.sla.maxBulkMs ?? 0));
    const { durationMs, status } = await seeding.bulkAction(
      api,
      users,
      settings.bulkAction,
      timeoutMs,
    );
    bulk = {
      users: users.length,
      action: settings.bulkAction,
      durationMs,
      status,
      ok: status === 200,
    };
    say(
      ctx,
      scenario.name,
      `bulk ${settings.bulkAction} of ${users.length}: ${Math.round(durationMs)} ms, status ${status}`,
    );
  }
  return { ...result, kindResult: { kind: 'volume', seeded: seeded.summary, bulk } };
}

/** The scenario's headers (token, defaults.headers) rendered once; content-type is set per request. */
function seedHeaders(scenario: ResolvedScenario, ctx: KindContext): Record<string, string> {
  const headers = { ...(scenario.requests[0]?.headers ?? {}) };
  delete headers['content-type'];
  const compiled = compileRequest(
    { name: 'seed', method: 'POST', path: '/', headers, expect: 200, weight: 1 },
    `scenarios.${scenario.name}.volume`,
  );
  const contexts = new RenderContexts(`${ctx.runId}-seed`, ctx.token, ctx.pools, ctx.seed);
  return renderRequest(compiled, contexts.next()).headers;
}

async function seed(
  scenario: ResolvedScenario,
  ctx: KindContext,
  api: SeedApi,
  seeding: VolumeSeeding,
): Promise<{ ids: string[]; summary: VolumeResult['seeded'] }> {
  const settings = scenario.volume;
  if (!settings) throw new Error('no volume settings');
  const started = performance.now();
  if (settings.seedCommand !== undefined) {
    say(ctx, scenario.name, `seeding with the seed command`);
    // Its own process group, registered for cleanup, stopped on timeout and on a service crash.
    await runSeedCommand(
      settings.seedCommand,
      {
        LOADGATE_BASE_URL: ctx.baseUrl,
        LOADGATE_ADMIN_BASE_PATH: settings.adminBasePath,
        LOADGATE_TOKEN: ctx.token,
        LOADGATE_ADMINS: String(settings.admins),
        LOADGATE_GRANTS: String(settings.grants),
      },
      settings.seedTimeoutSeconds,
      ctx.abort === undefined ? {} : { abort: ctx.abort },
    );
    const seconds = (performance.now() - started) / 1000;
    say(ctx, scenario.name, `seed command took ${seconds.toFixed(1)} s`);
    return {
      ids: [],
      summary: {
        method: 'command',
        admins: settings.admins,
        grants: settings.grants,
        seconds,
        failedRequests: 0,
      },
    };
  }
  say(ctx, scenario.name, `seeding ${settings.admins} admins, ${settings.grants} grants`);
  const records = await seeding.seedRecords(api, settings.admins, `${ctx.runId}-${scenario.name}`);
  const recordSeconds = (performance.now() - started) / 1000;
  const grants =
    settings.grants > 0
      ? await seeding.seedGrants(api, records.ids, settings.grants)
      : { failed: 0 };
  const seconds = (performance.now() - started) / 1000;
  say(
    ctx,
    scenario.name,
    `seeded ${records.ids.length} admins in ${recordSeconds.toFixed(1)} s, ${settings.grants} grants in ${(seconds - recordSeconds).toFixed(1)} s`,
  );
  return {
    ids: records.ids,
    summary: {
      method: 'api',
      admins: records.ids.length,
      grants: settings.grants,
      seconds,
      adminSeconds: recordSeconds,
      grantSeconds: seconds - recordSeconds,
      failedRequests: records.failed + grants.failed,
    },
  };
}
