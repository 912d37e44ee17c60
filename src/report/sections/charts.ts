/**
 * Per-scenario charts over time (mermaid xychart-beta, which GitHub renders), collapsed. The
 * comment has those of the flagged scenarios only, on fewer points; the full report has every
 * scenario's, each with the same numbers as a table.
 */
import { clip, escapeHtml } from '../../format/escape.js';
import { formatMs, formatRate, plural } from '../../format/numbers.js';
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

function chartBlock(s: ScenarioResult, maxPoints: number, withTable: boolean): string {
  const points = seriesPoints(s, maxPoints);
  if (points.length < 2) return '';
  const t0 = points[0]?.t ?? 0;
  const t1 = points[points.length - 1]?.t ?? 0;
  const bucket =
    s.trials.reduce((a, t) => a + t.series.length, 0) > maxPoints ? ' (bucket means)' : '';
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
    ...(withTable
      ? [
          `<details><summary>${escapeHtml(clip(s.name, NAME_MAX))}: the same numbers as a table</summary>\n\n${fallback}\n\n</details>`,
        ]
      : []),
  ].join('\n\n');
}

/** Points of a chart in the comment: enough for a shape, few characters. */
export const COMMENT_CHART_POINTS = 30;

/**
 * The charts, collapsed. `flaggedOnly` (the comment): only the scenarios that regressed,
 * breached or failed, on fewer points and without their tables; otherwise every scenario's,
 * flagged ones first.
 */
export function chartsSection(v: Verdict, current: RunResult, flaggedOnly: boolean): string {
  const flagged = new Set(
    v.scenarios.filter((s) => s.severity !== null || s.status === 'regression').map((s) => s.name),
  );
  const ordered = [
    ...current.scenarios.filter((s) => flagged.has(s.name)),
    ...(flaggedOnly ? [] : current.scenarios.filter((s) => !flagged.has(s.name))),
  ];
  const blocks: string[] = [];
  const names: string[] = [];
  for (const s of ordered) {
    if (s.failure !== undefined) continue;
    const block = flaggedOnly
      ? chartBlock(s, COMMENT_CHART_POINTS, false)
      : chartBlock(s, MAX_CHART_POINTS, true);
    if (!block) continue;
    blocks.push(block);
    names.push(clip(s.name, NAME_MAX));
  }
  if (blocks.length === 0) return '';
  const which = flaggedOnly ? names.join(', ') : plural(blocks.length, 'scenario');
  return `<details><summary>${escapeHtml(`Per second, p95 and requests: ${which}`)}</summary>\n\n${blocks.join('\n\n')}\n\n</details>`;
}
