/**
 * Requests at a steady rate. autocannon's `overallRate` is a per-second quota per connection
 * (lib/httpClient.js: `reqsMadeThisSecond < rate`, reset by a 1 s interval): each connection sends
 * its whole second's quota back to back, as fast as the service answers, then waits for the next
 * second. That is a burst at saturation followed by silence, not an arrival rate: a phase of
 * 0.5 s at "1,690 req/s" measured 3,231 req/s, and its latency was the saturated one.
 *
 * Paced instead: each connection of a rate-driven phase sends a request every 1 / rate seconds
 * (its share of the overall rate), starting at a random offset so the connections do not fire
 * together; a request whose answer came early waits for its slot, one whose answer came late
 * goes at once and the schedule moves on from there (no catch-up burst). With many connections
 * and latency below a connection's interval, arrivals are steady and latency is work plus
 * waiting, as a service sees traffic below its capacity.
 *
 * Installed on autocannon's Client prototype next to the fix of its client
 * (autocannon-client-fix.ts), once; closed-loop phases (no rate) go through untouched.
 */
import Client from 'autocannon/lib/httpClient.js';

interface PacedClient {
  rate?: number;
  destroyed?: boolean;
  reqsMadeThisSecond: number;
  _doRequest(): void;
  [kNext]?: number;
  [kWaiting]?: NodeJS.Timeout;
}

const kInstalled = Symbol('loadgate.pacingInstalled');
const kNext = Symbol('loadgate.nextRequestAt');
const kWaiting = Symbol('loadgate.waitingForSlot');

const prototype = Client.prototype as PacedClient & { [kInstalled]?: boolean; destroy(): void };

export function installPacing(): void {
  if (prototype[kInstalled]) return;
  const doRequest = prototype._doRequest;
  const destroy = prototype.destroy;

  prototype._doRequest = function pacedRequest(this: PacedClient) {
    if (!this.rate) return doRequest.call(this);
    const interval = 1000 / this.rate;
    const now = performance.now();
    this[kNext] ??= now + Math.random() * interval;
    const due = this[kNext] as number;
    if (due > now) {
      if (this[kWaiting] !== undefined) return;
      this[kWaiting] = setTimeout(() => {
        this[kWaiting] = undefined;
        if (!this.destroyed) this._doRequest();
      }, due - now);
      return;
    }
    this[kNext] = Math.max(due, now - interval) + interval;
    // The pacing keeps the rate: autocannon's per-second quota must not stop a paced request.
    this.reqsMadeThisSecond = 0;
    doRequest.call(this);
  };

  prototype.destroy = function destroyPaced(this: PacedClient & { destroy(): void }) {
    if (this[kWaiting] !== undefined) clearTimeout(this[kWaiting]);
    this[kWaiting] = undefined;
    return destroy.call(this);
  };

  prototype[kInstalled] = true;
}
