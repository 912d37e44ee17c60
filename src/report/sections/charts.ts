/**
 * Per-scenario charts over time (mermaid xychart-beta, which GitHub renders), each with the same
 * numbers as a collapsed table. Charts of scenarios with findings are shown; the rest folded.
 */
import { clip, escapeHtml } from '../../format/escape.js';
import { formatMs, formatRate } from '../../format/numbers.js';
import type { Verdict } from '../../judge/types.js';
import type { RunResult, ScenarioResult } from '../../result/types.js';
import { lineChart, MAX_CHART_POINTS, name, NAME_MAX, table } from './cells.js';

export interface ChartPoint {
  t: number;
  p95: number;
  rps: number;
}

/** All trials' per-second points on one time axis (trial after trial), ≤ `max` points. */
export function seriesPoints(s: ScenarioResult, max = MAX_CHART_POINTS): ChartPoint[] {
  const raw: ChartPoint[] = [];
  let offset = 0;
  for (const trial of s.trials) {
    let last = 0;
    for (const p of trial.series) {
      raw.push({ t: offset + p.t, p95: p.p95, rps: p.requests });
      last = Math.max(last, p.t);
    }
    offset += Math.max(trial.durationSeconds, last + 1);
  }
  if (raw.length <= max) return raw;
  // Bucket means: ceil(n / max) consecutive seconds per point.
  const size = Math.ceil(raw.length / max);
  const out: ChartPoint[] = [];
  for (let i = 0; i < raw.length; i += size) {
    const bucket = raw.slice(i, i + size);
    const mean = (f: (p: ChartPoint) => number) =>
      bucket.reduce((a, p) => a + f(p), 0) / bucket.length;
    out.push({ t: bucket[0]?.t ?? 0, p95: mean((p) => p.p95), rps: mean((p) => p.rps) });
  }
  return out;
}

function mermaidChart(
  title: string,
  yLabel: string,
  t0: number,
  t1: number,
  values: number[],
): string {
  return lineChart(title, 'time (s)', [t0, t1], yLabel, values);
}

function chartBlock(s: ScenarioResult): string {
  const points = seriesPoints(s);
  if (points.length < 2) return '';
  const t0 = points[0]?.t ?? 0;
  const t1 = points[points.length - 1]?.t ?? 0;
  const bucket =
    s.trials.reduce((a, t) => a + t.series.length, 0) > MAX_CHART_POINTS ? ' (bucket means)' : '';
  const fallback = table(
    [
      ['t (s)', 'p95', 'req/s'],
      ...points.map((p) => [String(Math.round(p.t)), formatMs(p.p95), formatRate(p.rps, false)]),
    ],
    ['r', 'r', 'r'],
  );
  return [
    `##### ${name(s.name)}`,
    mermaidChart(
      `${s.name}: p95 per second${bucket}`,
      'ms',
      t0,
      t1,
      points.map((p) => p.p95),
    ),
    mermaidChart(
      `${s.name}: requests per second${bucket}`,
      'req/s',
      t0,
      t1,
      points.map((p) => p.rps),
    ),
    `<details><summary>${escapeHtml(clip(s.name, NAME_MAX))}: the same numbers as a table</summary>\n\n${fallback}\n\n</details>`,
  ].join('\n\n');
}

/** Charts of scenarios with findings are shown; the others are collapsed. */
export function chartsSection(v: Verdict, current: RunResult): string {
  const flagged = new Set(
    v.scenarios.filter((s) => s.severity !== null || s.status === 'regression').map((s) => s.name),
  );
  const shown: string[] = [];
  const folded: string[] = [];
  for (const s of current.scenarios) {
    if (s.failure !== undefined) continue;
    const block = chartBlock(s);
    if (!block) continue;
    (flagged.has(s.name) ? shown : folded).push(block);
  }
  if (shown.length + folded.length === 0) return '';
  const parts = ['#### Over time', ...shown];
  if (folded.length > 0) {
    parts.push(
      `<details><summary>${shown.length > 0 ? 'Other scenarios' : 'All scenarios'} (${folded.length})</summary>\n\n${folded.join('\n\n')}\n\n</details>`,
    );
  }
  return parts.join('\n\n');
}
