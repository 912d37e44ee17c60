import { hideUrlCredentials } from '../redact/index.js';

/** Problems met while sampling, one per source (the first), for the report. */
export class MonitorWarnings {
  readonly list: string[] = [];
  private readonly warned = new Set<string>();

  add(source: string, text: string): void {
    if (this.warned.has(source)) return;
    this.warned.add(source);
    this.list.push(text);
  }
}

/** A connection URL as it goes into a warning: credentials hidden (redact/url.ts). */
export function safeUrl(url: string): string {
  return hideUrlCredentials(url);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How long each kind of call to Postgres or Redis may take (defaults: MONITOR_TIMEOUTS). */
export interface MonitorTimeouts {
  /** Connecting: TCP, handshake, authentication, ready check. */
  connectMs: number;
  /**
   * One sampling query. A source whose query outlives it is dropped for the rest of the run (its
   * connection closed): a Redis or Postgres that stopped answering never answers the queries
   * queued behind the first one either, and every later sample would wait as long.
   */
  queryMs: number;
  /** A polite close (QUIT, Terminate), before the socket is destroyed. */
  closeMs: number;
}

export const MONITOR_TIMEOUTS: MonitorTimeouts = { connectMs: 5000, queryMs: 2000, closeMs: 1000 };

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
