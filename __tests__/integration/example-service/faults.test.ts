/**
 * Fault knobs and process lifecycle, for real: timer delays, deterministic 500s, a leak that shows
 * in VmRSS, clean exit on SIGTERM/SIGINT, and a clear startup error for a bad knob.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { client, rssKb, runToExit, startService, stopService } from './service.js';
import type { Service } from './service.js';

const started: Service[] = [];
async function start(env: Record<string, string> = {}): Promise<Service> {
  const svc = await startService(env);
  started.push(svc);
  return svc;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => stopService(s)));
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function seed(api: ReturnType<typeof client>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await api('POST', '/admins', {
      email: `f${i}@example.com`,
      nombre: `Fault${i}`,
      apellido: 'Knob',
      user_type: 'ADMIN',
      security_clearance_level: 2,
    });
    expect(r.status).toBe(201);
  }
}

describe('fault knobs', () => {
  it('slow-search adds at least the delay to search, and only to search', async () => {
    const DELAY = 150;
    const [plain, slow] = await Promise.all([
      start(),
      start({ ADMIN_SERVICE_FAULTS: `slow-search:${DELAY}ms` }),
    ]);
    const a = client(plain.url);
    const b = client(slow.url);
    await Promise.all([seed(a, 20), seed(b, 20)]);
    const times = async (api: typeof a, path: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await api('GET', path);
        expect(r.status).toBe(200);
        ms.push(r.ms);
      }
      return ms;
    };
    const base = await times(a, '/admins?limit=10&search=fault1');
    const slowed = await times(b, '/admins?limit=10&search=fault1');
    const slowList = await times(b, '/admins?limit=10');
    expect(median(base)).toBeLessThan(DELAY / 2);
    expect(Math.min(...slowed)).toBeGreaterThanOrEqual(DELAY);
    expect(Math.min(...slowed)).toBeGreaterThanOrEqual(Math.min(...base) + DELAY - 5);
    expect(median(slowList)).toBeLessThan(DELAY / 2); // list without search is untouched
  });

  it('error-rate 0.5 fails exactly every second API request, health never', async () => {
    const svc = await start({ ADMIN_SERVICE_FAULTS: 'error-rate:0.5' });
    const api = client(svc.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push((await api('GET', '/admins?limit=1')).status);
      expect((await api('GET', '/health')).status).toBe(200);
    }
    expect(statuses.filter((s) => s === 500).length).toBe(20);
    expect(statuses.filter((s) => s === 200).length).toBe(20);
    expect(statuses.slice(0, 4)).toEqual([200, 500, 200, 500]);
    // Deterministic: a fresh process gives the same sequence.
    const again = await start({ ADMIN_SERVICE_FAULTS: 'error-rate:0.5' });
    const api2 = client(again.url);
    const statuses2: number[] = [];
    for (let i = 0; i < 40; i++) statuses2.push((await api2('GET', '/admins?limit=1')).status);
    expect(statuses2).toEqual(statuses);
  });

  it('leak:256kb grows VmRSS by roughly n × 256 KB', async () => {
    const N = 2000;
    const svc = await start({ ADMIN_SERVICE_FAULTS: 'leak:256kb' });
    const api = client(svc.url);
    for (let i = 0; i < 50; i++) await api('GET', '/health'); // warm up, no leak on health
    const before = rssKb(svc.pid);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < N) {
          next++;
          expect((await api('GET', '/admins?limit=1')).status).toBe(200);
        }
      }),
    );
    const grownMb = (rssKb(svc.pid) - before) / 1024;
    const expectedMb = (N * 256) / 1024; // 500 MB
    expect(grownMb).toBeGreaterThan(expectedMb * 0.7);

    // The same traffic without the knob stays flat by comparison.
    const plain = await start();
    const p = client(plain.url);
    for (let i = 0; i < 50; i++) await p('GET', '/health');
    const before2 = rssKb(plain.pid);
    for (let i = 0; i < 500; i++) await p('GET', '/admins?limit=1');
    expect((rssKb(plain.pid) - before2) / 1024).toBeLessThan(60);
  });
});

describe('process lifecycle', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s exits 0 quickly', async (signal) => {
    const svc = await start({ ADMIN_SERVICE_FAULTS: '' });
    const api = client(svc.url);
    expect((await api('GET', '/admins')).status).toBe(200);
    const t0 = Date.now();
    process.kill(svc.pid, signal);
    const code = await svc.exited;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(svc.stderr()).toBe('');
  });

  it('a bad fault knob is a startup error naming it', async () => {
    const r = await runToExit({ ADMIN_SERVICE_FAULTS: 'slow-search:5ms,slow-serch:5ms' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('"slow-serch:5ms"');
    expect(r.stderr).toMatch(/unknown operation "serch"/);
    expect(r.stdout).not.toMatch(/listening/);
  });

  it('a bad env var is a startup error naming it', async () => {
    const r = await runToExit({ PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PORT must be an integer/);
  });

  it('ADMIN_API_TOKEN replaces the default token', async () => {
    const svc = await start({ ADMIN_API_TOKEN: 'another-token' });
    expect((await client(svc.url)('GET', '/admins')).status).toBe(401);
    expect((await client(svc.url, 'another-token')('GET', '/admins')).status).toBe(200);
  });

  it('an unreachable backend is a startup error (exit 1) naming it', async () => {
    const redis = await runToExit({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(redis.code).toBe(1);
    expect(redis.stderr).toMatch(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
    const pg = await runToExit({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toMatch(/startup failed: postgres: .*ECONNREFUSED/);
  });

  it('SQLITE_PATH keeps data across restarts, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-service-'));
    try {
      const env = { SQLITE_PATH: join(dir, 'admins.db') };
      const first = await start(env);
      const created = await client(first.url)('POST', '/admins', {
        email: 'persist@example.com',
        nombre: 'Per',
        apellido: 'Sist',
        user_type: 'ADMIN',
        security_clearance_level: 1,
      });
      expect(created.status).toBe(201);
      expect(existsSync(join(dir, 'admins.db-wal'))).toBe(true);
      await stopService(started.pop());
      const second = await start(env);
      const got = await client(second.url)('GET', `/admins/${created.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body.email).toBe('persist@example.com');
      const search = await client(second.url)('GET', '/admins?search=persist');
      expect(search.body.total).toBe(1);
    } finally {
      await Promise.all(started.splice(0).map((s) => stopService(s)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
