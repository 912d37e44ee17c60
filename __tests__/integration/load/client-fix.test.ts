import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER, requestIdOf } from '../../../src/load/attribution-check.js';
import {
  completedRequest,
  installClientFix,
  isClientFixInstalled,
  onRequestCutOff,
  onRequestFailed,
  tagSentRequests,
  type FailureCause,
} from '../../../src/load/autocannon-client-fix.js';

/**
 * The fixed autocannon client against a scripted TCP server that decides, request by request,
 * how to fail. Every request carries an id the server echoes, so each answer, failure and
 * cut-off is checked against the request it was credited to, and the server's log says what
 * really happened to each id.
 */

type Fate =
  | 'answer'
  | 'answer-close'
  | 'answer-close-extra'
  | 'no-content'
  | 'fin'
  | 'rst'
  | 'stall'
  | 'truncate'
  | 'garbage';

interface Scripted {
  url: string;
  log: Array<{ id: string; fate: Fate }>;
  connections: () => number;
  stop(): Promise<void>;
}

let running: Scripted | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function scriptedServer(fateOf: (n: number) => Fate): Promise<Scripted> {
  const log: Scripted['log'] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        const id = new RegExp(`\r\n${REQUEST_ID_HEADER}: *([^\r]*)`, 'i').exec(head)?.[1] ?? '';
        const fate = fateOf(log.length + 1);
        log.push({ id, fate });
        act(socket, fate, id, head.startsWith('HEAD '));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    connections: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function act(socket: net.Socket, fate: Fate, id: string, head: boolean): void {
  const echo = `${REQUEST_ID_HEADER}: ${id}\r\n`;
  const answer = (extra = '') =>
    `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${echo}${extra}\r\n${head ? '' : 'ok'}`;
  switch (fate) {
    case 'answer':
      socket.write(answer());
      return;
    case 'answer-close':
      socket.end(answer('Connection: close\r\n'));
      return;
    case 'answer-close-extra':
      // An answer nobody asked for follows the last one before the close (a 408, as servers do).
      socket.end(`${answer('Connection: close\r\n')}HTTP/1.1 408 Request Timeout\r\n\r\n`);
      return;
    case 'no-content':
      socket.write(`HTTP/1.1 204 No Content\r\n${echo}\r\n`);
      return;
    case 'fin':
      socket.end();
      return;
    case 'rst':
      socket.resetAndDestroy();
      return;
    case 'stall':
      return;
    case 'truncate':
      socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 10\r\n${echo}\r\nabc`);
      return;
    case 'garbage':
      socket.write('NOT HTTP AT ALL\r\n\r\n');
  }
}

interface Driven {
  answers: Array<{ credited?: string; echoed?: string; status: number; latencyMs: number }>;
  failures: Array<{ id?: string; cause: FailureCause; elapsedMs: number }>;
  cutOffs: Array<{ id?: string; elapsedMs: number }>;
}

async function drive(
  url: string,
  options: {
    seconds: number;
    timeout?: number;
    connections?: number;
    method?: autocannon.Request['method'];
  },
): Promise<Driven> {
  installClientFix();
  const driven: Driven = { answers: [], failures: [], cutOffs: [] };
  let next = 0;
  const request: autocannon.Request = {
    method: options.method ?? 'GET',
    path: '/',
    setupRequest: (req: autocannon.Request) => ({
      ...req,
      headers: { ...req.headers, [REQUEST_ID_HEADER]: String(++next) },
    }),
  };
  await autocannon({
    url,
    connections: options.connections ?? 2,
    duration: options.seconds,
    timeout: options.timeout ?? 10,
    pipelining: 1,
    requests: [request],
    setupClient: (client) => {
      tagSentRequests(client);
      client.on('response', (status, _bytes, latencyMs) => {
        const entry = completedRequest(client);
        const raw = entry?.headers.headers ?? [];
        const at = raw.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === REQUEST_ID_HEADER);
        driven.answers.push({
          credited: requestIdOf(entry?.sent),
          echoed: at < 0 ? undefined : raw[at + 1],
          status,
          latencyMs,
        });
      });
      onRequestFailed(client, (entry, cause, elapsedMs) =>
        driven.failures.push({ id: requestIdOf(entry.sent), cause, elapsedMs }),
      );
      onRequestCutOff(client, (entry, elapsedMs) =>
        driven.cutOffs.push({ id: requestIdOf(entry.sent), elapsedMs }),
      );
    },
  });
  return driven;
}

/**
 * Each id the server saw was answered, failed or cut off exactly once, as the server did (a request
 * cut off as the run stopped may not have reached the server at all).
 */
function expectEveryRequestAccounted(server: Scripted, driven: Driven): void {
  for (const a of driven.answers) expect(a.credited).toBe(a.echoed);
  const settled = [...driven.answers.map((a) => a.credited), ...driven.failures.map((f) => f.id)];
  const cutOff = new Set(driven.cutOffs.map((c) => c.id));
  const all = [...settled, ...cutOff];
  expect(new Set(all).size).toBe(all.length);
  const seen = server.log.map((l) => l.id);
  expect(seen.filter((id) => !cutOff.has(id)).sort()).toEqual(settled.sort());
  expect(seen.length).toBeGreaterThanOrEqual(settled.length);
  const expectedCause: Partial<Record<Fate, FailureCause>> = {
    fin: 'closed',
    rst: 'reset',
    truncate: 'closed',
    garbage: 'error',
    stall: 'timeout',
  };
  const wanted = server.log
    .filter((l) => expectedCause[l.fate] !== undefined && !cutOff.has(l.id))
    .map((l) => `${l.id} ${expectedCause[l.fate]}`)
    .sort();
  expect(driven.failures.map((f) => `${f.id} ${f.cause}`).sort()).toEqual(wanted);
}

describe('the fixed autocannon client', () => {
  it('is installed on the prototype autocannon builds its clients from', async () => {
    running = await scriptedServer(() => 'answer');
    const driven = await drive(running.url, { seconds: 1 });
    expect(isClientFixInstalled()).toBe(true);
    expect(driven.answers.length).toBeGreaterThan(50);
    expectEveryRequestAccounted(running, driven);
  });

  it('fails each request lost with its connection on its own, and credits every later answer right', async () => {
    const fates: Fate[] = ['answer', 'answer', 'fin', 'answer', 'rst', 'answer', 'truncate'];
    running = await scriptedServer((n) => (n % 29 === 0 ? 'garbage' : fates[n % fates.length]!));
    const driven = await drive(running.url, { seconds: 1 });
    expect(driven.failures.length).toBeGreaterThan(20);
    expect(new Set(driven.failures.map((f) => f.cause))).toEqual(
      new Set(['closed', 'reset', 'error']),
    );
    expectEveryRequestAccounted(running, driven);
    // A new connection for each loss, and one only: a late error of a dead socket reconnects
    // nothing. (Each client's last one may be stopped before the server accepted it.)
    expect(running.connections()).toBeLessThanOrEqual(2 + driven.failures.length);
    expect(running.connections()).toBeGreaterThanOrEqual(driven.failures.length);
  });

  it('sends the next request on a new connection after `Connection: close`', async () => {
    running = await scriptedServer(() => 'answer-close');
    const driven = await drive(running.url, { seconds: 1 });
    expect(driven.failures).toEqual([]);
    expect(driven.answers.length).toBeGreaterThan(50);
    // One connection per request (the last ones may have been cut off before being accepted).
    expect(running.connections()).toBeGreaterThanOrEqual(driven.answers.length);
    expect(running.connections()).toBeLessThanOrEqual(
      driven.answers.length + driven.cutOffs.length,
    );
    expectEveryRequestAccounted(running, driven);
  });

  it('credits nobody with an answer that no request waits for', async () => {
    running = await scriptedServer(() => 'answer-close-extra');
    const driven = await drive(running.url, { seconds: 1 });
    expect(driven.answers.length).toBeGreaterThan(50);
    expect(driven.answers.every((a) => a.status === 200)).toBe(true);
    expect(driven.failures).toEqual([]);
    expectEveryRequestAccounted(running, driven);
  });

  it('fails a stalled request at the timeout and carries on cleanly', async () => {
    running = await scriptedServer((n) => (n === 3 ? 'stall' : 'answer'));
    const driven = await drive(running.url, { seconds: 2, timeout: 1, connections: 1 });
    expect(driven.failures).toHaveLength(1);
    expect(driven.failures[0]).toMatchObject({ id: running.log[2]?.id, cause: 'timeout' });
    expect(driven.failures[0]?.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(driven.failures[0]?.elapsedMs).toBeLessThan(1500);
    expect(driven.answers.filter((a) => a.latencyMs > 100)).toEqual([]);
    expectEveryRequestAccounted(running, driven);
  });

  it('reports requests in flight when the run stops as cut off, not failed', async () => {
    running = await scriptedServer(() => 'stall');
    const driven = await drive(running.url, { seconds: 1, connections: 3 });
    expect(driven.answers).toEqual([]);
    expect(driven.failures).toEqual([]);
    expect(driven.cutOffs).toHaveLength(3);
    for (const c of driven.cutOffs) expect(c.elapsedMs).toBeGreaterThanOrEqual(900);
    expectEveryRequestAccounted(running, driven);
  });

  it('expects no body after 204 or in an answer to HEAD', async () => {
    running = await scriptedServer(() => 'no-content');
    const noContent = await drive(running.url, { seconds: 1, timeout: 1 });
    expect(noContent.answers.length).toBeGreaterThan(50);
    expect(noContent.answers.every((a) => a.status === 204)).toBe(true);
    expect(noContent.failures).toEqual([]);
    await running.stop();
    running = await scriptedServer(() => 'answer');
    const head = await drive(running.url, { seconds: 1, timeout: 1, method: 'HEAD' });
    expect(head.answers.length).toBeGreaterThan(50);
    expect(head.failures).toEqual([]);
    expectEveryRequestAccounted(running, head);
  });
});
