/**
 * The detection benchmark's third-party app (bench/third-party/server.ts): json-server from npm
 * serving what its scenarios file asks for, and its fault middleware putting each shape on one
 * operation only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../cli/helpers.js';

const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
});

interface App {
  url: string;
  child: ChildProcess;
  stderr: () => string;
}

async function start(faults = ''): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/third-party/server.ts'], {
    env: { ...process.env, PORT: String(port), THIRD_PARTY_FAULTS: faults },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      if (c.toString().includes(`listening ${port}`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stderr: () => err };
}

async function timed(
  url: string,
  init?: RequestInit,
): Promise<{ ms: number; status: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as unknown;
  return { ms: performance.now() - t, status: res.status, body };
}

const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) * 10;
};

const medianOf = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

type Article = { id: number; title: string; category: string; published: boolean; body: string };

describe('the third-party app of the detection benchmark', () => {
  it('answers the five operations its scenarios call, on the same seeded data every start', async () => {
    const app = await start();
    const page = await timed(`${app.url}/articles?_page=7&_limit=20`);
    expect(page.status).toBe(200);
    expect((page.body as Article[]).map((a) => a.id)).toEqual(
      Array.from({ length: 20 }, (_, i) => 121 + i),
    );
    const found = (await timed(`${app.url}/articles?q=canary&_limit=10`)).body as Article[];
    expect(found).toHaveLength(10);
    for (const a of found) expect(JSON.stringify(a)).toContain('canary');
    const one = await timed(`${app.url}/articles/5`);
    expect((one.body as Article).id).toBe(5);
    const filtered = (await timed(`${app.url}/articles?category=security&published=true&_limit=20`))
      .body as Article[];
    expect(filtered).toHaveLength(20);
    for (const a of filtered) expect([a.category, a.published]).toEqual(['security', true]);
    const created = await timed(`${app.url}/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'new' }),
    });
    expect(created.status).toBe(201);
    expect((created.body as Article).id).toBe(2001);
    // Seeded: a second start holds the same articles.
    const again = await start();
    expect((await timed(`${again.url}/articles/5`)).body).toEqual(one.body);
  });

  it('busy-search spins the CPU in search only; slow-get waits in get only, burning no CPU', async () => {
    const app = await start('busy-search:20ms,slow-get:20ms');
    const pid = app.child.pid as number;
    const search: number[] = [];
    const list: number[] = [];
    let before = cpuMs(pid);
    for (let i = 0; i < 8; i++) search.push((await timed(`${app.url}/articles?q=canary`)).ms);
    // At least half the spin is CPU even when a busy machine takes the CPU away mid-spin.
    expect(cpuMs(pid) - before).toBeGreaterThanOrEqual(8 * 20 * 0.5);
    for (let i = 0; i < 8; i++) list.push((await timed(`${app.url}/articles?_limit=5`)).ms);
    const get: number[] = [];
    before = cpuMs(pid);
    for (let i = 0; i < 8; i++) get.push((await timed(`${app.url}/articles/3`)).ms);
    const getCpu = cpuMs(pid) - before;
    expect(Math.min(...search)).toBeGreaterThanOrEqual(20);
    expect(Math.min(...get)).toBeGreaterThanOrEqual(19.5);
    // The list is not spun: faster than any search, however busy the machine.
    expect(medianOf(list)).toBeLessThan(Math.min(...search));
    // Eight waits of 20 ms: a spin would have cost 160 ms of CPU.
    expect(getCpu).toBeLessThan(60);
  });

  it('a bad knob stops the start, naming it', async () => {
    await expect(start('busy-serch:1ms')).rejects.toThrow(
      /THIRD_PARTY_FAULTS: bad knob "busy-serch:1ms"/,
    );
  });

  it('SIGTERM stops it with exit 0', async () => {
    const app = await start('slow-get:1ms');
    app.child.kill('SIGTERM');
    const [code] = (await once(app.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
