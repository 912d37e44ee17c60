import { performance } from 'node:perf_hooks';

/**
 * Paced sending for a target rate: each connection sends at even intervals, its first send
 * offset by its share of one interval so the connections do not send in step. autocannon's own
 * rate is a budget per second: it sends a second's requests flat out, then waits for the next
 * second, so at any rate the service sees bursts that saturate it. A request that comes due while
 * the previous one is still in flight goes as soon as that answers (one request per connection at
 * a time); a connection more than one interval behind restarts its schedule instead of bursting
 * to catch up.
 */
interface PacedClient {
  destroyed: boolean;
  _doRequest(this: PacedClient): void;
}

/** `offset` in [0, 1): the connection's first send, as a share of one interval. */
export function paceRequests(client: object, perConnectionRate: number, offset: number): void {
  const paced = client as PacedClient;
  const send = paced._doRequest;
  const intervalMs = 1000 / perConnectionRate;
  let due: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  paced._doRequest = function sendWhenDue(this: PacedClient) {
    if (this.destroyed) return;
    const now = performance.now();
    due ??= now + offset * intervalMs;
    if (now < due) {
      timer ??= setTimeout(() => {
        timer = undefined;
        this._doRequest();
      }, due - now);
      return;
    }
    due = Math.max(due, now - intervalMs) + intervalMs;
    send.call(this);
  };
}
