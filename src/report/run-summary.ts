import { median } from 'simple-statistics';
import { formatMb, formatMs, formatPercent, formatRate, formatShare } from '../format/numbers.js';
import type { RunResult } from '../result/types.js';

/** The short table `loadgate run` prints at the end: medians across trials. */
export function runSummaryTable(result: RunResult): string {
  const header = [
    'scenario',
    'trials',
    'req/s',
    'p50',
    'p95',
    'p99',
    'errors',
    'cpu peak',
    'rss peak',
  ];
  const rows = result.scenarios.map((s) => {
    if (s.failure !== undefined)
      return [s.name, '0', 'FAILED', '', '', '', '', '', s.failure.slice(0, 60)];
    const pick = (f: (t: (typeof s.trials)[number]) => number) =>
      s.trials.length === 0 ? Number.NaN : median(s.trials.map(f));
    return [
      s.name,
      String(s.trials.length),
      formatRate(
        pick((t) => t.metrics.throughput),
        false,
      ),
      formatMs(pick((t) => t.metrics.p50)),
      formatMs(pick((t) => t.metrics.p95)),
      formatMs(pick((t) => t.metrics.p99)),
      formatShare(pick((t) => t.metrics.errorRate)),
      formatPercent(s.resources.cpuPercentPeak),
      formatMb(s.resources.rssBytesPeak / 2 ** 20),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  const notes = result.scenarios
    .filter((s) => s.generatorSaturated)
    .map(
      (s) =>
        `note: ${s.name}: the load generator used a full core; the service may be faster than measured`,
    );
  return [line(header), ...rows.map(line), ...notes].join('\n');
}
