/**
 * Baseline comparison of the single figures a non-load kind produces once per run: a stress
 * knee, a spike's recovery time, a volume's seeding time and bulk duration. One value a side
 * admits no significance test, so this says so: the verdict is a relative threshold, wider than
 * the trials' min effect (max(25 %, 2 × min effect)) because one measurement carries the whole
 * run-to-run noise (±10–20 % on shared runners), plus an absolute floor per figure (whole-second
 * recovery times, a few ms of bulk jitter). Beyond both, it is a regression and fails the check
 * under `fail-on: regression`, labelled "single measurement, no significance test".
 */
import type { ScenarioResult } from '../result/types.js';
import { regressionSeverity } from './severity.js';
import type { KindComparison, KindMetric } from './types.js';

export const SINGLE_VALUE_METHOD = 'single measurement, no significance test' as const;
/** The relative threshold is never below this. */
export const SINGLE_VALUE_MIN_EFFECT = 0.25;

interface Figure {
  metric: KindMetric;
  label: string;
  unit: KindComparison['unit'];
  higherIsWorse: boolean;
  /** Changes smaller than this (in the unit) never count. */
  floor: number;
  baseline: number;
  current: number;
}

function figures(base: ScenarioResult, cur: ScenarioResult): Figure[] {
  const b = base.kindResult;
  const c = cur.kindResult;
  if (!b || !c || b.kind !== c.kind) return [];
  if (b.kind === 'stress' && c.kind === 'stress') {
    if (b.knee === null) return [];
    return [
      {
        metric: 'kneeThroughput',
        label: 'knee throughput',
        unit: 'req/s',
        higherIsWorse: false,
        floor: 0,
        baseline: b.knee.throughput,
        current: c.knee?.throughput ?? 0,
      },
    ];
  }
  if (b.kind === 'spike' && c.kind === 'spike') {
    // Not recovered within the run counts as the whole after-phase.
    return [
      {
        metric: 'recoverySeconds',
        label: 'recovery time',
        unit: 's',
        higherIsWorse: true,
        floor: 2,
        baseline: b.recoverySeconds ?? b.after.seconds,
        current: c.recoverySeconds ?? c.after.seconds,
      },
    ];
  }
  if (b.kind === 'volume' && c.kind === 'volume') {
    const out: Figure[] = [];
    const same =
      b.seeded.method === c.seeded.method &&
      b.seeded.admins === c.seeded.admins &&
      b.seeded.grants === c.seeded.grants;
    if (same) {
      out.push({
        metric: 'seedSeconds',
        label: 'seeding time',
        unit: 's',
        higherIsWorse: true,
        floor: 0.5,
        baseline: b.seeded.seconds,
        current: c.seeded.seconds,
      });
    }
    if (b.bulk?.ok && c.bulk && b.bulk.users === c.bulk.users && b.bulk.action === c.bulk.action) {
      out.push({
        metric: 'bulkMs',
        label: 'bulk action',
        unit: 'ms',
        higherIsWorse: true,
        floor: 50,
        baseline: b.bulk.durationMs,
        current: c.bulk.durationMs,
      });
    }
    return out;
  }
  return [];
}

export function compareKind(
  base: ScenarioResult,
  cur: ScenarioResult,
  minEffect: number,
): KindComparison[] {
  const threshold = Math.max(SINGLE_VALUE_MIN_EFFECT, 2 * minEffect);
  return figures(base, cur).map((f) => {
    const change = f.baseline > 0 ? f.current / f.baseline - 1 : null;
    const diff = f.current - f.baseline;
    const worse = f.higherIsWorse ? diff > 0 : diff < 0;
    const beyond =
      Math.abs(diff) > f.floor &&
      (change === null ? Math.abs(diff) > 0 : Math.abs(change) > threshold);
    const outcome: KindComparison['outcome'] = !beyond
      ? 'unchanged'
      : worse
        ? 'regression'
        : 'improvement';
    const shown =
      change === null ? `${f.baseline} → ${f.current}` : `${(change * 100).toFixed(1)} %`;
    return {
      metric: f.metric,
      label: f.label,
      unit: f.unit,
      higherIsWorse: f.higherIsWorse,
      baseline: f.baseline,
      current: f.current,
      change,
      minEffect: threshold,
      floor: f.floor,
      method: SINGLE_VALUE_METHOD,
      outcome,
      severity: outcome === 'regression' ? regressionSeverity(change ?? 1, false) : null,
      reason:
        outcome === 'unchanged'
          ? `change ${shown} within ±${(threshold * 100).toFixed(0)} % (or under ${f.floor} ${f.unit})`
          : `${f.label} ${outcome === 'regression' ? 'worse' : 'better'} by ${shown} (${SINGLE_VALUE_METHOD})`,
    };
  });
}
