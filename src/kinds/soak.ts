import type { ResolvedScenario } from '../config/plan.js';
import type { SoakSettings } from '../config/schema.js';
import type { ScenarioResult, SoakResult, SoakWindow } from '../result/types.js';
import { say, type KindContext } from './context.js';
import { runLoad } from './load.js';
import {
  effectiveThreshold,
  isSignificantRise,
  soakWindows,
  trendPerMinute,
  type TimedValue,
} from './soak-trend.js';

const MB = 1024 * 1024;

/**
 * Soak: one long run cut into back-to-back monitored windows, which are ordinary trials (so the
 * SLA and regression machinery apply to them), then the RSS and p95 trends over the last two
 * thirds. Memory stays bounded however long it runs: each window keeps per-second aggregates and
 * histograms are merged, never per request; long soaks get longer windows (≤ 240 of them).
 */
export async function runSoak(
  scenario: ResolvedScenario,
  ctx: KindContext,
): Promise<ScenarioResult> {
  const settings = scenario.soak;
  if (!settings) throw new Error(`scenario ${scenario.name} has no soak settings`);
  const { rate, rateSource } = soakRate(scenario, ctx);
  const windows = soakWindows(settings.seconds, settings.windowSeconds);
  say(
    ctx,
    scenario.name,
    `${settings.seconds} s in ${windows.count} windows of ${windows.seconds.toFixed(1)} s at ${rate === undefined ? `${scenario.connections} connections` : `${Math.round(rate)} req/s (${rateSource})`}`,
  );
  const result = await runLoad(
    {
      ...scenario,
      trials: windows.count,
      trialSeconds: windows.seconds,
      ...(rate === undefined ? {} : { rate }),
    },
    ctx,
  );
  return {
    ...result,
    kindResult: soakResult(result, settings, windows.seconds, rate, rateSource),
  };
}

/** The configured rate, else a share of the knee of a stress scenario run earlier, else none. */
function soakRate(
  scenario: ResolvedScenario,
  ctx: KindContext,
): { rate?: number; rateSource: SoakResult['rateSource'] } {
  const settings = scenario.soak;
  if (settings?.rate !== undefined) return { rate: settings.rate, rateSource: 'config' };
  if (scenario.rate !== undefined) return { rate: scenario.rate, rateSource: 'config' };
  for (const earlier of [...ctx.earlier].reverse()) {
    const k = earlier.kindResult;
    if (k?.kind === 'stress' && k.knee !== null && k.knee.throughput > 0) {
      return { rate: k.knee.throughput * (settings?.kneeShare ?? 0.5), rateSource: 'knee' };
    }
  }
  return { rateSource: 'none' };
}

export function soakResult(
  result: ScenarioResult,
  settings: Pick<SoakSettings, 'seconds' | 'minLeakGrowthMb' | 'minP95GrowthMs'>,
  windowSeconds: number,
  rate: number | undefined,
  rateSource: SoakResult['rateSource'],
): SoakResult {
  const first = result.trials[0] ? Date.parse(result.trials[0].startedAt) : 0;
  const rss: TimedValue[] = [];
  const windows: SoakWindow[] = result.trials.map((trial) => {
    const t = (Date.parse(trial.startedAt) - first) / 1000;
    for (const s of trial.resources.samples) {
      if (s.rssBytes > 0) rss.push({ t: t + s.t, value: s.rssBytes / MB });
    }
    const peak = trial.resources.summary.rssBytesPeak;
    return {
      t,
      seconds: trial.durationSeconds,
      throughput: trial.metrics.throughput,
      p95: trial.metrics.p95,
      errorRate: trial.metrics.errorRate,
      rssMb: peak > 0 ? peak / MB : null,
    };
  });
  const total = Math.max(settings.seconds, ...windows.map((w) => w.t + w.seconds));
  // A window's p95 is placed at its middle.
  const p95Points = windows
    .filter((w) => w.seconds > 0)
    .map((w) => ({ t: w.t + w.seconds / 2, value: w.p95 }));
  const rssTrend = trendPerMinute(rss, total);
  const p95Trend = trendPerMinute(p95Points, total);
  const leakThreshold = effectiveThreshold(
    rssTrend,
    result.sla.maxLeakMbPerMin,
    settings.minLeakGrowthMb,
  );
  const p95Threshold = effectiveThreshold(
    p95Trend,
    result.sla.maxP95SlopeMsPerMin,
    settings.minP95GrowthMs,
  );
  return {
    kind: 'soak',
    seconds: total,
    connections: result.settings.connections,
    ...(rate === undefined ? {} : { rate }),
    rateSource,
    windowSeconds,
    windows,
    rss: rssTrend,
    p95: p95Trend,
    leakThresholdMbPerMin: leakThreshold,
    p95ThresholdMsPerMin: p95Threshold,
    leak: isSignificantRise(rssTrend, leakThreshold),
    degradation: isSignificantRise(p95Trend, p95Threshold),
  };
}
