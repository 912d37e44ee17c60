import http from 'node:http';
import https from 'node:https';

export type ProbeResult = { ok: true } | { ok: false; problem: string; timedOut?: boolean };

/** One GET of `url`: ok on 2xx. Never throws; no keep-alive (nothing left open afterwards). */
export function probe(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ ok: false, problem: `invalid URL ${url}` });
      return;
    }
    const get = target.protocol === 'https:' ? https.get : http.get;
    let settled = false;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    try {
      const request = get(target, { agent: false, timeout: timeoutMs }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        finish(
          status >= 200 && status < 300 ? { ok: true } : { ok: false, problem: `HTTP ${status}` },
        );
        request.destroy();
      });
      request.on('timeout', () => {
        finish({ ok: false, problem: `no answer within ${timeoutMs} ms`, timedOut: true });
        request.destroy();
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        finish({ ok: false, problem: error.code ?? error.message });
      });
    } catch (error) {
      finish({ ok: false, problem: error instanceof Error ? error.message : String(error) });
    }
  });
}

export type ReadyOutcome =
  | { ready: true }
  | { ready: false; reason: 'timeout'; lastProblem: string }
  | { ready: false; reason: 'stopped' };

const PER_ATTEMPT_MS = 2000;
// A probe of the loopback costs next to nothing, and an A/B run restarts both services every
// round: at 250 ms a service ready after 310 ms was found at 550.
const MAX_BACKOFF_MS = 100;

/**
 * Poll `url` until it answers 2xx (ready), `timeoutMs` passes, or `stop` settles (the process
 * died: no point waiting). Backoff 20 ms doubling to 100 ms; each attempt at most 2 s.
 */
export async function waitForReady(
  url: string,
  timeoutMs: number,
  stop: Promise<unknown> = new Promise(() => undefined),
): Promise<ReadyOutcome> {
  const deadline = Date.now() + timeoutMs;
  let stopped = false;
  const stopSignal = stop.then(
    () => {
      stopped = true;
    },
    () => {
      stopped = true;
    },
  );
  let delay = 20;
  let lastProblem = 'no attempt made';
  let attempts = 0;
  for (;;) {
    if (stopped) return { ready: false, reason: 'stopped' };
    const budget = Math.max(1, Math.min(PER_ATTEMPT_MS, deadline - Date.now()));
    const result = await Promise.race([probe(url, budget), stopSignal]);
    if (stopped) return { ready: false, reason: 'stopped' };
    if (result !== undefined) {
      if (result.ok) return { ready: true };
      // A last attempt cut short by the deadline says less than the one before it.
      const clipped = result.timedOut === true && budget < PER_ATTEMPT_MS;
      if (!clipped || attempts === 0) lastProblem = result.problem;
    }
    attempts++;
    const left = deadline - Date.now();
    if (left <= 0) return { ready: false, reason: 'timeout', lastProblem };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise((resolve) => {
        timer = setTimeout(resolve, Math.min(delay, left));
      }),
      stopSignal,
    ]);
    clearTimeout(timer);
    delay = Math.min(delay * 2, MAX_BACKOFF_MS);
  }
}
