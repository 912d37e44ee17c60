import { performance } from 'node:perf_hooks';
import type { SeedApi, VolumeSeeding } from '../../config/preset.js';

/**
 * Seeding for the volume kind through the admin API, with bounded concurrency. Requests carry
 * the scenario's rendered headers (token included); nothing here is measured as load: the wall
 * time is the figure. A seed command (`volume.seedCommand`) is a process loadgate starts, so it
 * runs like the service does (own process group, registered for cleanup, stopped on timeout and
 * on a service crash): src/service/seed-command.ts.
 */

export class SeedError extends Error {
  override readonly name = 'SeedError';
}

/** At most this share of seeding requests may fail. */
const MAX_FAILED_SHARE = 0.01;

/** Run `count` jobs with at most `concurrency` in flight; returns how many failed. */
export async function runPool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<boolean>,
  onFailure?: (message: string) => void,
): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      let ok = false;
      try {
        ok = await job(index);
      } catch (error) {
        onFailure?.((error as Error).message);
      }
      if (!ok) failed++;
      if (failed > Math.max(3, count * MAX_FAILED_SHARE)) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return failed;
}

async function postJson(
  api: SeedApi,
  path: string,
  body: unknown,
  timeoutMs = 30_000,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${api.baseUrl}${api.basePath}${path}`, {
    method: 'POST',
    headers: { ...api.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    // A redirect is the answer, never followed: it could lead off the service's host.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** Create `count` admins; returns their ids in creation order (index i → admin i). */
async function seedAdmins(
  api: SeedApi,
  count: number,
  runId: string,
): Promise<{ ids: string[]; failed: number }> {
  const ids: string[] = new Array<string>(count);
  let firstFailure = '';
  const failed = await runPool(
    count,
    api.concurrency,
    async (i) => {
      const { status, json } = await postJson(api, '/admins', {
        email: `volume.${runId}.${i}@loadgate.test`,
        nombre: `VolumeAdmin${i}`,
        apellido: 'Loadgate',
        user_type: 'ADMIN',
        security_clearance_level: 3,
      });
      const id = (json as { id?: unknown } | undefined)?.id;
      if (status !== 201 || typeof id !== 'string') {
        firstFailure ||= `POST /admins → ${status}`;
        return false;
      }
      ids[i] = id;
      return true;
    },
    (message) => (firstFailure ||= message),
  );
  if (failed > Math.max(3, count * MAX_FAILED_SHARE)) {
    throw new SeedError(
      `seeding ${count} admins: ${failed} requests failed; first: ${firstFailure}`,
    );
  }
  return { ids: ids.filter((id) => id !== undefined), failed };
}

/** How many permissions admin `index` of `admins` gets so that they sum to `grants`. */
export function grantsFor(index: number, admins: number, grants: number): number {
  const base = Math.floor(grants / admins);
  return base + (index < grants % admins ? 1 : 0);
}

/** Grant `grants` distinct permission associations spread over `ids`, one request per admin. */
async function seedGrants(
  api: SeedApi,
  ids: readonly string[],
  grants: number,
): Promise<{ failed: number }> {
  let firstFailure = '';
  const failed = await runPool(
    ids.length,
    api.concurrency,
    async (i) => {
      const n = grantsFor(i, ids.length, grants);
      if (n === 0) return true;
      // The service takes up to 1000 permission ids a request; more are sent in chunks.
      for (let from = 0; from < n; from += 1000) {
        const permission_ids = Array.from(
          { length: Math.min(1000, n - from) },
          (_, k) => `volume.perm.${from + k}`,
        );
        const { status } = await postJson(api, `/admins/${ids[i]}/permissions/grant`, {
          permission_ids,
          reason: 'loadgate volume seed',
        });
        if (status !== 200) {
          firstFailure ||= `POST grant → ${status}`;
          return false;
        }
      }
      return true;
    },
    (message) => (firstFailure ||= message),
  );
  if (failed > Math.max(3, ids.length * MAX_FAILED_SHARE)) {
    throw new SeedError(
      `seeding ${grants} grants: ${failed} requests failed; first: ${firstFailure}`,
    );
  }
  return { failed };
}

/** Ids of up to `count` admins, newest first, through the list endpoint (100 a page). */
async function listAdminIds(api: SeedApi, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let skip = 0; ids.length < count; skip += 100) {
    const response = await fetch(`${api.baseUrl}${api.basePath}/admins?limit=100&skip=${skip}`, {
      headers: api.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => undefined)) as
      { items?: { id?: unknown }[] } | undefined;
    const page = (body?.items ?? []).map((a) => a.id).filter((id) => typeof id === 'string');
    ids.push(...(page as string[]));
    if (page.length < 100) break;
  }
  return ids.slice(0, count);
}

/** The bulk action on `ids`, timed from request to full response. */
async function bulkAction(
  api: SeedApi,
  ids: readonly string[],
  action: string,
  timeoutMs: number,
): Promise<{ durationMs: number; status: number }> {
  const started = performance.now();
  try {
    const { status } = await postJson(
      api,
      '/admins/bulk-action',
      { user_ids: ids, action, reason: 'loadgate volume bulk' },
      timeoutMs,
    );
    return { durationMs: performance.now() - started, status };
  } catch {
    // A timeout or a dropped connection: the duration is what was waited, status 0.
    return { durationMs: performance.now() - started, status: 0 };
  }
}

/** The volume kind's work through the admin API: admins, their permissions, a bulk action. */
export const adminVolumeSeeding: VolumeSeeding = {
  seedRecords: seedAdmins,
  seedGrants,
  listIds: listAdminIds,
  bulkAction,
};
