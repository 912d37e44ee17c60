/**
 * The per-kind sections of the markdown report (stress, spike, volume, soak, recovery): a table
 * of what the kind measured, mermaid charts where a shape tells more than a number (each with
 * the same numbers as a table), and the single-figure baseline comparisons. Pure text.
 */
import { clip, escapeMarkdown } from '../../format/escape.js';
import type { ScenarioVerdict, Verdict } from '../../judge/types.js';
import type {
  RecoveryResult,
  RunResult,
  ScenarioResult,
  SoakResult,
  SpikeResult,
  StressResult,
  TrendSummary,
  VolumeResult,
} from '../../result/types.js';
import {
  formatMb,
  formatMs,
  formatPercentChange,
  formatRate,
  formatShare,
  formatUnit,
} from '../../format/numbers.js';
import { folded, lineChart, MAX_CHART_POINTS as MAX_POINTS, table } from './cells.js';

const sig = (v: number) => Number(v.toPrecision(3)).toString();

/** Evenly thinned to at most `max` items, keeping the last (charts stay readable and bounded). */
export function thin<T>(items: readonly T[], max = MAX_POINTS): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(items[Math.floor(i * step)] as T);
  out.push(items[items.length - 1] as T);
  return out;
}

function comparisonsTable(v: ScenarioVerdict | undefined): string {
  const list = v?.kindComparisons ?? [];
  if (list.length === 0) return '';
  const icon = { regression: '❌', improvement: '✨', unchanged: '✅' } as const;
  const rows = list.map((c) => [
    escapeMarkdown(c.label),
    formatUnit(c.baseline, c.unit),
    formatUnit(c.current, c.unit),
    formatPercentChange(c.change),
    `±${(c.minEffect * 100).toFixed(0)} %`,
    `${icon[c.outcome]} ${c.outcome}${c.severity ? ` ${c.severity}` : ''}`,
  ]);
  return `${table(
    [['vs baseline', 'baseline', 'current', 'change', 'threshold', ''], ...rows],
    ['l', 'r', 'r', 'r', 'r', 'l'],
  )}\n\n<sub>Single measurement, no significance test: a relative threshold of max(25 %, 2 × min effect) and an absolute floor per figure.</sub>`;
}

function stressSection(s: ScenarioResult, k: StressResult): string {
  const knee = k.knee
    ? `knee **${formatRate(k.knee.throughput)}** at ${k.knee.connections} connections (p95 ${formatMs(k.knee.p95)})`
    : 'no step within the SLA';
  const breaking = k.breakingPoint
    ? `breaking point **${k.breakingPoint.connections} connections** (${escapeMarkdown(k.breakingPoint.reason)})`
    : `no break up to ${k.steps.at(-1)?.connections ?? 0} connections`;
  const pg =
    k.pgConnectionsPeak === undefined ? '' : ` · Postgres connections peak ${k.pgConnectionsPeak}`;
  const rows = k.steps.map((step) => [
    String(step.connections),
    formatRate(step.throughput, false),
    formatMs(step.p50),
    formatMs(step.p95),
    formatMs(step.p99),
    formatShare(step.errorRate),
    formatMb(step.rssPeakBytes / 1024 ** 2),
    step.pgConnectionsPeak === undefined ? '–' : String(step.pgConnectionsPeak),
    step.withinSla ? '✅' : '❌',
  ]);
  const steps = thin(k.steps);
  const x = steps.map((st) => String(st.connections));
  return [
    `${knee}; ${breaking}; RSS peak ${formatMb(k.peakRssBytes / 1024 ** 2)}${pg}.`,
    lineChart(
      `${s.name}: throughput by connections`,
      'connections',
      x,
      'req/s',
      steps.map((st) => st.throughput),
    ),
    lineChart(
      `${s.name}: p95 by connections`,
      'connections',
      x,
      'ms',
      steps.map((st) => st.p95),
    ),
    folded(
      `${clip(s.name, 80)}: steps as a table`,
      table(
        [
          ['connections', 'req/s', 'p50', 'p95', 'p99', 'errors', 'RSS peak', 'PG conns', 'SLA'],
          ...rows,
        ],
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    ),
  ].join('\n\n');
}

function spikeSection(s: ScenarioResult, k: SpikeResult): string {
  const phase = (label: string, p: SpikeResult['base']) => [
    label,
    String(p.connections),
    `${sig(p.seconds)} s`,
    formatRate(p.throughput, false),
    formatMs(p.p95),
    formatMs(p.p99),
    formatShare(p.errorRate),
  ];
  const recovered =
    k.recoverySeconds === null
      ? `**not recovered** within the run (p95 ≤ ${formatMs(k.recoveryThresholdMs)})`
      : `recovered in **${k.recoverySeconds} s** (p95 ≤ ${formatMs(k.recoveryThresholdMs)}, whole seconds)`;
  const points = thin(k.series);
  const t0 = points[0]?.t ?? 0;
  const t1 = points.at(-1)?.t ?? 0;
  return [
    `Burst from ${sig(k.spikeStartSecond)} s to ${sig(k.spikeEndSecond)} s; ${recovered}.`,
    table(
      [
        ['phase', 'connections', 'length', 'req/s', 'p95', 'p99', 'errors'],
        phase('base', k.base),
        phase('burst', k.spike),
        phase('after', k.after),
      ],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    points.length >= 2
      ? lineChart(
          `${s.name}: p95 per second`,
          'time (s)',
          [t0, t1],
          'ms',
          points.map((p) => p.p95),
        )
      : '',
    folded(
      `${clip(s.name, 80)}: per second as a table`,
      table(
        [
          ['t (s)', 'req/s', 'p95', 'errors'],
          ...k.series.map((p) => [
            String(p.t),
            String(p.requests),
            formatMs(p.p95),
            String(p.errors),
          ]),
        ],
        ['r', 'r', 'r', 'r'],
      ),
    ),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function volumeSection(k: VolumeResult): string {
  const sd = k.seeded;
  const parts =
    sd.adminSeconds !== undefined && sd.grantSeconds !== undefined
      ? ` (admins ${sig(sd.adminSeconds)} s, grants ${sig(sd.grantSeconds)} s)`
      : '';
  const rows = [
    [
      'seeded',
      `${sd.admins.toLocaleString('en-US')} admins, ${sd.grants.toLocaleString('en-US')} grants via ${sd.method}`,
      `${sig(sd.seconds)} s${parts}`,
    ],
  ];
  if (sd.failedRequests > 0) rows.push(['failed seed requests', String(sd.failedRequests), '']);
  if (k.bulk) {
    rows.push([
      'bulk action',
      `${escapeMarkdown(k.bulk.action)} of ${k.bulk.users} users → ${k.bulk.status || 'no answer'}`,
      formatMs(k.bulk.durationMs),
    ]);
  }
  return table([['', 'what', 'time'], ...rows], ['l', 'l', 'r']);
}

function trendText(label: string, unit: string, t: TrendSummary | null, flagged: boolean): string {
  if (t === null) return `${label}: too few points for a trend`;
  return `${label}: **${sig(t.slope)} ${unit}** (95 % CI [${sig(t.slopeLower)}, ${sig(t.slopeUpper)}], R² ${t.r2.toFixed(2)}, ${t.points} points from minute ${sig(t.fromMinute)}) ${flagged ? '❌' : '✅'}`;
}

function soakSection(s: ScenarioResult, k: SoakResult): string {
  const load =
    k.rate === undefined
      ? `${k.connections} connections flat out`
      : `${formatRate(k.rate)} (${k.rateSource === 'knee' ? 'half the stress knee' : 'configured'})`;
  const windows = thin(k.windows);
  const t0 = windows[0]?.t ?? 0;
  const t1 = windows.at(-1)?.t ?? 0;
  const rss = windows.filter((w) => w.rssMb !== null);
  return [
    `${sig(k.seconds)} s at ${load}, windows of ${sig(k.windowSeconds)} s.`,
    `- ${trendText('RSS slope', 'MB/min', k.rss, k.leak)}\n- ${trendText('p95 slope', 'ms/min', k.p95, k.degradation)}`,
    windows.length >= 2
      ? lineChart(
          `${s.name}: p95 per window`,
          'time (s)',
          [t0, t1],
          'ms',
          windows.map((w) => w.p95),
        )
      : '',
    rss.length >= 2
      ? lineChart(
          `${s.name}: RSS per window (peak)`,
          'time (s)',
          [rss[0]?.t ?? 0, rss.at(-1)?.t ?? 0],
          'MB',
          rss.map((w) => w.rssMb ?? 0),
        )
      : '',
    folded(
      `${clip(s.name, 80)}: windows as a table`,
      table(
        [
          ['t (s)', 'req/s', 'p95', 'errors', 'RSS peak'],
          ...k.windows.map((w) => [
            sig(w.t),
            formatRate(w.throughput, false),
            formatMs(w.p95),
            formatShare(w.errorRate),
            formatMb(w.rssMb),
          ]),
        ],
        ['r', 'r', 'r', 'r', 'r'],
      ),
    ),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function recoverySection(k: RecoveryResult): string {
  const h = k.healthAfter;
  return table(
    [
      ['requests', 'sent', 'outcome'],
      [
        'invalid (4xx expected)',
        String(k.invalid.requests),
        `${k.invalid.fourxx} refused with 4xx, ${k.invalid.fivexx} 5xx, ${k.invalid.other} other`,
      ],
      [
        'valid',
        String(k.valid.requests),
        `${k.valid.succeeded} succeeded (${formatShare(k.validSuccessRate)}), ${k.valid.fivexx} 5xx`,
      ],
      [
        'health after',
        '1',
        h.ok ? `✅ ${h.status ?? ''} in ${formatMs(h.ms)}` : `❌ ${h.status ?? 'no answer'}`,
      ],
    ],
    ['l', 'r', 'l'],
  );
}

function sectionOf(s: ScenarioResult): string {
  const k = s.kindResult;
  switch (k?.kind) {
    case 'stress':
      return stressSection(s, k);
    case 'spike':
      return spikeSection(s, k);
    case 'volume':
      return volumeSection(k);
    case 'soak':
      return soakSection(s, k);
    case 'recovery':
      return recoverySection(k);
    default:
      return '';
  }
}

/** One block per scenario that has a kind result, in run order; '' when there is none. */
export function kindsSection(v: Verdict, current: RunResult): string {
  const verdicts = new Map(v.scenarios.map((s) => [s.name, s]));
  const blocks: string[] = [];
  for (const s of current.scenarios) {
    if (s.failure !== undefined || s.kindResult === undefined) continue;
    const body = sectionOf(s);
    const compare = comparisonsTable(verdicts.get(s.name));
    blocks.push(
      [`##### ${escapeMarkdown(clip(s.name, 80))} (${s.kindResult.kind})`, body, compare]
        .filter(Boolean)
        .join('\n\n'),
    );
  }
  return blocks.length === 0 ? '' : ['#### Test kinds', ...blocks].join('\n\n');
}
