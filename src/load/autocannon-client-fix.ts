/**
 * The fix of autocannon 9's HTTP client (node_modules/autocannon/lib/httpClient.js), applied when
 * loadgate loads by wrapping methods of its Client prototype. The same fix as a diff for upstream:
 * patches/autocannon-9-http-client.patch (patches/README.md).
 *
 * The bug: a client keeps a FIFO of its in-flight requests and credits each response to the head
 * of it. When the connection ends or errors, the client reconnects without clearing that FIFO or
 * resetting its HTTP parser (only the timeout path clears the FIFO). A request lost with its
 * connection stays queued, so every later response of that client is credited to an older request:
 * latency from the older start, status and endpoint of the older request; the lost request itself
 * is never counted. Also, after a `Connection: close` answer the next request is written to the
 * closing socket and lost the same way, and the stale socket's late `error` can reconnect a second
 * time, leaving two sockets feeding one parser.
 *
 * What the wrapped client does instead:
 * - a request in flight when its connection closes (FIN), resets (RST), fails to parse or errors is
 *   failed on its own: REQUEST_FAILED with its queue entry (so its own endpoint), the cause and its
 *   elapsed time; the queue is emptied and the parser reset before the new connection sends;
 * - a timed-out request is failed the same way (cause `timeout`) before autocannon's own timeout
 *   handling reconnects;
 * - after an answer that does not keep the connection alive (`Connection: close`, HTTP/1.0, a body
 *   delimited by the close) the next request goes on a new connection, not the closing one;
 * - events of a connection that was replaced are ignored, so one loss reconnects once;
 * - an answer with no request waiting (e.g. a 408 sent before a close) is credited to nobody;
 * - 204, 304 and answers to HEAD have no body (the parser would wait for one until the timeout);
 * - a request sent on a new connection is timed from when the connection is open (as wrk does),
 *   not from before the load generator's own connect;
 * - requests still in flight when the run stops are reported as REQUEST_CUT_OFF (not failures), so
 *   the time the connections were busy is fully accounted (the Little's-law check needs it).
 *
 * Why it is safe: every wrapper calls autocannon's own method, and on the normal path (a keep-alive
 * answer on a live connection) adds only a few flag checks around the original calls; the changes
 * act only when a connection is lost, closes, times out or the run stops. Nothing is patched on
 * disk: the wrappers are installed on the prototype once (a flag on it makes a second install a
 * no-op), before the first client is built. The import below is the module autocannon's run.js
 * requires (Node's CommonJS cache; in the esbuild bundle, one module for one path), so the wrapped
 * prototype is the one its clients are built from; `isClientFixInstalled` lets a test check.
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import Client from 'autocannon/lib/httpClient.js';

/** Why a request got no (complete) response. */
export type FailureCause = 'timeout' | 'closed' | 'reset' | 'error';

/** (entry: QueuedRequest, cause: FailureCause, elapsedMs: number, error?: Error) */
export const REQUEST_FAILED = 'loadgate:request-failed';
/** (entry: QueuedRequest, elapsedMs: number): in flight when the run stopped; not a failure. */
export const REQUEST_CUT_OFF = 'loadgate:request-cut-off';
/** (openingMs: number): a new connection opened with requests waiting; how long that took. */
export const CONNECTION_OPENED = 'loadgate:connection-opened';

/** An entry of autocannon's in-flight queue (lib/pipelinedRequestsQueue.js). */
export interface QueuedRequest {
  /** The request object from autocannon's `requests` option (each client has its own copy). */
  req: Record<string, unknown>;
  startTime: [number, number];
  /** The parser's headers info once they arrived: `headers` is the raw [name, value, …] list. */
  headers: { statusCode?: number; headers?: string[] };
  duration?: number;
  /** The bytes written for this request, kept only when the client was asked to tag requests. */
  sent?: Buffer;
}

interface HeadersInfo {
  statusCode: number;
  versionMajor: number;
  versionMinor: number;
  shouldKeepAlive: boolean;
}

interface Parser {
  [slot: number]: unknown;
  constructor: { kOnHeadersComplete: number; kOnBody: number; kOnMessageComplete: number };
  type: string;
  state: string;
  connection: string;
  initialize(type: string): void;
  execute(chunk: Buffer): number | Error;
  finish(): Error | undefined;
}

interface Queue {
  peek(): QueuedRequest | undefined;
  size(): number;
  toArray(): QueuedRequest[];
  clear(): void;
  addByteCount(count: number): void;
}

const kInstalled = Symbol.for('loadgate.autocannonClientFix');
const kHooked = Symbol('hooked');
const kCloseAfter = Symbol('closeAfter');
const kHold = Symbol('hold');
const kReplace = Symbol('replace');
const kResetting = Symbol('resetting');
const kCompleted = Symbol('completed');
const kTagSent = Symbol('tagSent');
const kSkipBodies = Symbol('skipBodies');
const kDone = Symbol('done');

interface FixedClient extends EventEmitter {
  conn: Socket & { [kDone]?: boolean };
  parser: Parser;
  pipelinedRequests: Queue;
  destroyed: boolean;
  secure: boolean;
  _connect(): void;
  getRequestBuffer(): Buffer;
  [kHooked]?: boolean;
  /** The answer being parsed does not keep the connection alive. */
  [kCloseAfter]?: boolean;
  /** Do not send on the current connection: it is closing. */
  [kHold]?: boolean;
  /** Replace the connection once the parser has returned. */
  [kReplace]?: boolean;
  [kResetting]?: boolean;
  [kCompleted]?: QueuedRequest;
  [kTagSent]?: boolean;
  [kSkipBodies]?: boolean;
}

type Method = (this: FixedClient, ...args: unknown[]) => unknown;
interface ClientPrototype {
  [kInstalled]?: boolean;
  _connect: Method;
  _doRequest: Method;
  _destroyConnection: Method;
  _resetConnection: Method;
}

const prototype = Client.prototype as ClientPrototype;

export function isClientFixInstalled(): boolean {
  return prototype[kInstalled] === true;
}

/**
 * The queue entry of the answer being emitted: valid inside the client's `response` event (and
 * the autocannon instance's), which autocannon emits synchronously as the answer completes.
 */
export function completedRequest(client: object): QueuedRequest | undefined {
  return (client as FixedClient)[kCompleted];
}

export function onRequestFailed(
  client: object,
  listener: (entry: QueuedRequest, cause: FailureCause, elapsedMs: number, error?: Error) => void,
): void {
  (client as EventEmitter).on(REQUEST_FAILED, listener);
}

export function onRequestCutOff(
  client: object,
  listener: (entry: QueuedRequest, elapsedMs: number) => void,
): void {
  (client as EventEmitter).on(REQUEST_CUT_OFF, listener);
}

export function onConnectionOpened(client: object, listener: (openingMs: number) => void): void {
  (client as EventEmitter).on(CONNECTION_OPENED, listener);
}

/** Keep on each queue entry the bytes written for it (QueuedRequest.sent): for checks only. */
export function tagSentRequests(client: object): void {
  (client as FixedClient)[kTagSent] = true;
}

/**
 * Do not collect response bodies into strings: autocannon keeps each body for `verifyBody`,
 * `expectBody` and `onResponse`, at the cost of a Buffer-to-string copy of every body. Call from
 * `setupClient` when none of those is used.
 */
export function skipResponseBodies(client: object): void {
  (client as FixedClient)[kSkipBodies] = true;
}

export function installClientFix(): void {
  if (prototype[kInstalled]) return;
  const connect = prototype._connect;
  const doRequest = prototype._doRequest;
  const destroyConnection = prototype._destroyConnection;
  const resetConnection = prototype._resetConnection;

  prototype._connect = function connectClean(this: FixedClient) {
    // The constructor has installed its parser callbacks by its first _connect.
    if (!this[kHooked]) hookParser(this);
    this.parser.initialize(this.parser.type);
    this[kCloseAfter] = false;
    this[kHold] = false;
    this[kReplace] = false;
    connect.call(this);
    watch(this, this.conn);
    startClocksWhenOpen(this, this.conn);
  };

  // Every request passes here: no rest arguments (autocannon passes none that matter).
  prototype._doRequest = function doRequestUnlessClosing(this: FixedClient) {
    if (this[kHold]) return;
    if (!this[kTagSent]) return doRequest.call(this);
    const before = this.pipelinedRequests.size();
    doRequest.call(this);
    const queued = this.pipelinedRequests.toArray();
    const entry = queued[queued.length - 1];
    if (queued.length > before && entry) entry.sent = this.getRequestBuffer();
  };

  prototype._destroyConnection = function destroyAccounted(this: FixedClient) {
    if (this.conn) this.conn[kDone] = true;
    this[kHold] = false;
    this[kReplace] = false;
    // Callers: destroy() (the run is over), _resetConnection (reconnectRate: dropped as before),
    // and autocannon's timeout handler, the only one that destroys a live connection.
    if (this.destroyed) settle(this, REQUEST_CUT_OFF);
    else if (!this[kResetting]) settle(this, REQUEST_FAILED, 'timeout');
    destroyConnection.call(this);
  };

  prototype._resetConnection = function resetQuietly(this: FixedClient) {
    this[kResetting] = true;
    try {
      resetConnection.call(this);
    } finally {
      this[kResetting] = false;
    }
  };

  prototype[kInstalled] = true;
}

function hookParser(client: FixedClient): void {
  client[kHooked] = true;
  client[kCompleted] = undefined;
  client[kTagSent] ??= false;
  const parser = client.parser;
  const { kOnHeadersComplete, kOnBody, kOnMessageComplete } = parser.constructor;
  if (client[kSkipBodies]) parser[kOnBody] = () => {};
  const headersComplete = parser[kOnHeadersComplete] as (info: HeadersInfo) => unknown;
  const messageComplete = parser[kOnMessageComplete] as () => unknown;

  parser[kOnHeadersComplete] = (info: HeadersInfo) => {
    headersComplete(info);
    const entry = client.pipelinedRequests.peek();
    const bodiless =
      info.statusCode === 204 || info.statusCode === 304 || entry?.req.method === 'HEAD';
    client[kCloseAfter] = !(bodiless ? reusable(info, parser) : info.shouldKeepAlive);
    // true: the parser expects no body (http-parser-js would otherwise read one until the close).
    return bodiless;
  };

  parser[kOnMessageComplete] = () => {
    const entry = client.pipelinedRequests.peek();
    if (entry === undefined) return;
    client[kCompleted] = entry;
    if (!client[kCloseAfter]) {
      messageComplete();
      return;
    }
    const conn = client.conn;
    client[kHold] = true;
    messageComplete();
    if (client.conn === conn && !client.destroyed) client[kReplace] = true;
    else client[kHold] = false;
  };
}

/** Does a body-less answer keep its connection: HTTP/1.1 unless `close`, 1.0 with keep-alive. */
function reusable(info: HeadersInfo, parser: Parser): boolean {
  const modern = info.versionMajor > 1 || (info.versionMajor === 1 && info.versionMinor >= 1);
  return modern ? !parser.connection.includes('close') : parser.connection.includes('keep-alive');
}

/** Replace autocannon's listeners of a new connection with ones that account for a loss. */
function watch(client: FixedClient, conn: FixedClient['conn']): void {
  // autocannon's _connect adds one listener of each, after Node's own (net.Socket listens to its
  // 'end' itself, which must stay): remove exactly the last one.
  for (const event of ['data', 'error', 'end'] as const) {
    const added = conn.listeners(event).at(-1);
    if (added) conn.removeListener(event, added as (...args: unknown[]) => void);
  }
  conn.on('data', (chunk: Buffer) => {
    if (conn[kDone]) return;
    client.pipelinedRequests.addByteCount(chunk.length);
    const parsed = client.parser.execute(chunk);
    if (client[kReplace]) replace(client, conn);
    else if (parsed instanceof Error) lost(client, conn, 'error', parsed);
  });
  conn.on('error', (error: NodeJS.ErrnoException) => lost(client, conn, causeOf(error), error));
  conn.on('end', () => lost(client, conn, 'closed'));
  conn.on('close', () => lost(client, conn, 'closed'));
}

/**
 * autocannon starts a request's clock when it queues it, before the connection is open: on a new
 * connection that counts the load generator's own socket set-up (tens to hundreds of µs of its
 * CPU, every request with `Connection: close`). Like wrk, start it once the bytes can leave, and
 * report how long the opening took (CONNECTION_OPENED): the Little's-law check accounts for it
 * instead of taking it for uncounted requests. (A connection slow to open, e.g. an accept queue
 * overflowing, shows in throughput.)
 */
function startClocksWhenOpen(client: FixedClient, conn: FixedClient['conn']): void {
  const first = client.pipelinedRequests.peek();
  if (first === undefined) return;
  const queuedAt = first.startTime;
  conn.once(client.secure ? 'secureConnect' : 'connect', () => {
    if (conn[kDone] || conn !== client.conn) return;
    const now = process.hrtime();
    for (const entry of client.pipelinedRequests.toArray()) entry.startTime = now;
    const [seconds, nanos] = process.hrtime(queuedAt);
    client.emit(CONNECTION_OPENED, seconds * 1e3 + nanos / 1e6);
  });
}

function causeOf(error: NodeJS.ErrnoException): FailureCause {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'error';
}

/** The connection ended or failed: fail what was in flight on it, then start clean. */
function lost(
  client: FixedClient,
  conn: FixedClient['conn'],
  cause: FailureCause,
  error?: Error,
): void {
  if (conn[kDone]) return;
  if (client.destroyed || conn !== client.conn) {
    retire(conn);
    return;
  }
  // An answer whose body is delimited by the close is complete now.
  if (cause === 'closed' && client.parser.state === 'BODY_RAW') client.parser.finish();
  const failed = settle(client, REQUEST_FAILED, cause, error);
  // autocannon's own error count (run.js), as for a socket error before the fix.
  if (error) client.emit('connError', error);
  else if (failed > 0) client.emit('connError', new Error('connection closed before response'));
  replace(client, conn);
}

function replace(client: FixedClient, conn: FixedClient['conn']): void {
  client[kHold] = false;
  client[kReplace] = false;
  // With pipelining, requests sent behind a `Connection: close` answer are lost with it.
  settle(client, REQUEST_FAILED, 'closed');
  retire(conn);
  if (!client.destroyed) client._connect();
}

function retire(conn: FixedClient['conn']): void {
  conn[kDone] = true;
  conn.removeAllListeners('error');
  // A late EPIPE or ECONNRESET of the dead socket must neither throw nor reconnect again.
  conn.on('error', () => {});
  conn.destroy();
}

/** Empty the queue, reporting each entry; returns how many there were. */
function settle(
  client: FixedClient,
  event: typeof REQUEST_FAILED | typeof REQUEST_CUT_OFF,
  cause?: FailureCause,
  error?: Error,
): number {
  const queue = client.pipelinedRequests;
  if (queue.size() === 0) return 0;
  const entries = queue.toArray();
  queue.clear();
  for (const entry of entries) {
    const [seconds, nanos] = process.hrtime(entry.startTime);
    const elapsedMs = seconds * 1e3 + nanos / 1e6;
    if (event === REQUEST_FAILED) client.emit(event, entry, cause, elapsedMs, error);
    else client.emit(event, entry, elapsedMs);
  }
  return entries.length;
}
