import type { AttributionCheckSummary } from '../result/types.js';

/**
 * Checks, per request, that what the recorder credits is what was sent: each request carries a
 * unique id header, a server that echoes it (scripts/fault-server.ts does) tells which request an
 * answer belongs to, and the bytes the client wrote for the request the answer was credited to
 * tell which one it was credited to. Failures and requests cut off at the end must resolve a sent
 * id too, once. For tests (LOADGATE_CHECK_ATTRIBUTION=1): it rebuilds every request and keeps
 * every unanswered id, which the measured path never does.
 */
export const REQUEST_ID_HEADER = 'x-loadgate-request-id';

const ID_PREFIX = Buffer.from(`\r\n${REQUEST_ID_HEADER}: `);

export function attributionCheckEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOADGATE_CHECK_ATTRIBUTION === '1';
}

/** The request id in the bytes written for a request; undefined when it has none. */
export function requestIdOf(sent: Buffer | undefined): string | undefined {
  if (sent === undefined) return undefined;
  const start = sent.indexOf(ID_PREFIX);
  if (start < 0) return undefined;
  const from = start + ID_PREFIX.length;
  const end = sent.indexOf('\r', from);
  return sent.toString('latin1', from, end < 0 ? sent.length : end);
}

export class AttributionCheck {
  private nextId = 0;
  /** Sent and not yet resolved: id → endpoint. */
  private readonly pending = new Map<string, string>();
  private checked = 0;
  private mismatched = 0;

  /** A new id for a request of `endpoint` about to be sent. */
  issue(endpoint: string): string {
    const id = String(++this.nextId);
    this.pending.set(id, endpoint);
    return id;
  }

  /**
   * An answer credited to `endpoint` and to the request whose bytes held `creditedId`, carrying
   * the echoed id `echoedId`.
   */
  answered(endpoint: string, creditedId: string | undefined, echoedId: string | undefined): void {
    const ok = echoedId !== undefined && creditedId === echoedId;
    this.resolve(endpoint, creditedId, ok);
  }

  /** A request that failed or was cut off, credited to `endpoint` and the request `creditedId`. */
  settled(endpoint: string, creditedId: string | undefined): void {
    this.resolve(endpoint, creditedId, true);
  }

  summary(): AttributionCheckSummary {
    return { checked: this.checked, mismatched: this.mismatched, unresolved: this.pending.size };
  }

  private resolve(endpoint: string, id: string | undefined, ok: boolean): void {
    this.checked++;
    const sentAs = id === undefined ? undefined : this.pending.get(id);
    if (!ok || sentAs !== endpoint) this.mismatched++;
    if (id !== undefined) this.pending.delete(id);
  }
}
