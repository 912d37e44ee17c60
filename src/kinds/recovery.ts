import type { ResolvedScenario } from '../config/plan.js';
import { TrialRecorder, type FailedRequestRecord, type ResponseRecord } from '../load/recorder.js';
import type { RecoveryResult, ScenarioResult } from '../result/types.js';
import { say, type KindContext } from './context.js';
import { runLoad } from './load.js';
import { isInvalidRequest, statusClass, withInvalidShare } from './recovery-mix.js';

/**
 * Recovery: ordinary trials of a mix with a share of invalid requests (those expecting a 4xx),
 * counting per status class which of them the service refused cleanly, which valid ones still
 * succeeded and every 5xx; then one health probe. Invalid requests that get their expected 4xx
 * are not errors, so the trials' error rate and the SLA machinery apply as for load.
 */

interface Counts {
  invalid: RecoveryResult['invalid'];
  valid: RecoveryResult['valid'];
}

/** Counts status classes per kind of request on top of what a TrialRecorder records. */
class RecoveryRecorder extends TrialRecorder {
  constructor(
    names: readonly string[],
    startedAtMs: number,
    private readonly invalidNames: ReadonlySet<string>,
    private readonly counts: Counts,
  ) {
    super(names, startedAtMs);
  }

  override response(...record: ResponseRecord): void {
    super.response(...record);
    const [endpoint, status, expected] = record;
    const cls = statusClass(status);
    if (this.invalidNames.has(endpoint)) {
      const c = this.counts.invalid;
      c.requests++;
      if (cls === '4xx') c.fourxx++;
      else if (cls === '5xx') c.fivexx++;
      else c.other++;
    } else {
      const c = this.counts.valid;
      c.requests++;
      if (status === expected) c.succeeded++;
      if (cls === '5xx') c.fivexx++;
    }
  }

  /** A request with no response (timed out, connection closed) was not a success either. */
  override requestFailed(...record: FailedRequestRecord): void {
    super.requestFailed(...record);
    const [endpoint] = record;
    if (this.invalidNames.has(endpoint)) {
      this.counts.invalid.requests++;
      this.counts.invalid.other++;
    } else this.counts.valid.requests++;
  }
}

export async function runRecovery(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<ScenarioResult> {
  const settings = scenario.recovery;
  if (!settings) throw new Error(`scenario ${scenario.name} has no recovery settings`);
  const requests = withInvalidShare(scenario.requests, settings.invalidShare);
  const invalidNames = new Set(requests.filter(isInvalidRequest).map((r) => r.name));
  const counts: Counts = {
    invalid: { requests: 0, fourxx: 0, fivexx: 0, other: 0 },
    valid: { requests: 0, succeeded: 0, fivexx: 0 },
  };
  const result = await runLoad(
    { ...scenario, requests },
    ctx,
    (names, startedAtMs) => new RecoveryRecorder(names, startedAtMs, invalidNames, counts),
  );
  const healthAfter = await probe(`${ctx.baseUrl}${settings.healthPath}`);
  say(
    ctx,
    scenario.name,
    `invalid: ${counts.invalid.fourxx}/${counts.invalid.requests} refused with 4xx, ${counts.invalid.fivexx} 5xx; valid: ${counts.valid.succeeded}/${counts.valid.requests} succeeded; health after: ${healthAfter.status ?? 'no answer'}`,
  );
  return {
    ...result,
    kindResult: {
      kind: 'recovery',
      invalid: counts.invalid,
      valid: counts.valid,
      validSuccessRate:
        counts.valid.requests === 0 ? 1 : counts.valid.succeeded / counts.valid.requests,
      healthAfter,
    },
  };
}

async function probe(url: string): Promise<RecoveryResult['healthAfter']> {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      ms: performance.now() - started,
    };
  } catch {
    return { ok: false, status: null, ms: null };
  }
}
