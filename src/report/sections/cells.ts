/**
 * Small pieces every markdown section uses: a compact table, an escaped and clipped name, a
 * mermaid line chart and a folded block. Pure text.
 */
import { markdownTable } from 'markdown-table';
import { clip, escapeHtml, escapeMarkdown, escapeMermaid } from '../../format/escape.js';
import { formatMs, formatRate, formatShare, formatUs } from '../../format/numbers.js';
import type { Severity } from '../../judge/types.js';
import { METRICS } from '../../result/metrics.js';
import type { GatedMetric } from '../../result/types.js';

/** Names from the config or the service are clipped to this before escaping. */
export const NAME_MAX = 80;
/** Charts keep at most this many points. */
export const MAX_CHART_POINTS = 60;

export const SEVERITY_ICON: Record<Severity, string> = {
  CRITICAL: '🔴',
  HIGH: '🟠',
  MEDIUM: '🟡',
  LOW: '⚪',
};

export const table = (rows: string[][], align?: string[]) =>
  markdownTable(rows, { alignDelimiters: false, ...(align ? { align } : {}) });

export const name = (s: string) => escapeMarkdown(clip(s, NAME_MAX));

/** A gated metric's value in its own unit: "4.21 ms", "1,234 req/s", "0.5 %", "84.2 µs". */
export function formatMetric(value: number | null | undefined, metric: GatedMetric): string {
  switch (METRICS[metric].unit) {
    case 'ms':
      return formatMs(value);
    case 'req/s':
      return formatRate(value);
    case 'share':
      return formatShare(value);
    case 'µs':
      return formatUs(value);
  }
}

export const num3 = (v: number) => (v === 0 ? '0' : Number(v.toPrecision(3)).toString());

/** A mermaid xychart-beta line; `x` is a numeric range or category labels. */
export function lineChart(
  title: string,
  xLabel: string,
  x: string[] | [number, number],
  yLabel: string,
  values: number[],
): string {
  const axis =
    typeof x[0] === 'number'
      ? `  x-axis "${xLabel}" ${Math.floor(x[0])} --> ${Math.ceil(x[1] as number)}`
      : `  x-axis "${xLabel}" [${(x as string[]).map((v) => `"${escapeMermaid(v)}"`).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${escapeMermaid(title)}"`,
    axis,
    `  y-axis "${yLabel}"`,
    `  line [${values.map(num3).join(', ')}]`,
    '```',
  ].join('\n');
}

/** A collapsed block with an escaped summary. */
export function folded(summary: string, body: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}
