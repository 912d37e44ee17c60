/**
 * The collapsed raw trials at the bottom of the full report: each scenario's trials side by side
 * and its tests, its endpoints' tests too. Pure text.
 */
import { formatMs, formatP, formatRate, formatShare } from '../../format/numbers.js';
import { changeText } from '../../judge/compare.js';
import type { MetricComparison, ScenarioVerdict, Verdict } from '../../judge/types.js';
import type { RunResult, TrialResult } from '../../result/types.js';
import { name, table } from './cells.js';

function trialRow(label: string, t: TrialResult): string[] {
  return [
    label,
    formatMs(t.metrics.p50),
    formatMs(t.metrics.p95),
    formatMs(t.metrics.p99),
    formatRate(t.metrics.throughput, false),
    formatShare(t.metrics.errorRate),
    formatMs(t.metrics.dbP95),
  ];
}

/** The test and its statistic: U (two samples), W (signed ranks), t (rounds, history). */
function testText(c: MetricComparison): string {
  const t = c.test;
  if (!t) return 'none (identical)';
  switch (t.name) {
    case 'history-prediction':
      return `t ${t.statistic.toFixed(2)} (${c.history?.runs ?? '?'} runs of history)`;
    case 'round-means-t':
      return `t ${t.statistic.toFixed(2)} (${c.rounds ?? '?'} rounds)`;
    case 'wilcoxon-signed-rank':
      return `W ${t.statistic} (${t.method})`;
    case 'mann-whitney-u':
      return `U ${t.statistic} (${t.method})`;
  }
}

function testsTable(s: ScenarioVerdict): string {
  const all: (MetricComparison & { endpoint?: string })[] = [
    ...s.comparisons,
    ...(s.endpoints?.comparisons ?? []),
  ];
  if (all.length === 0) return '';
  const rows = all.map((c) => [
    c.endpoint === undefined ? c.metric : `${name(c.endpoint)} ${c.metric}`,
    testText(c),
    formatP(c.test?.pWorse),
    formatP(c.pWorseAdjusted),
    formatP(c.test?.pBetter),
    formatP(c.pBetterAdjusted),
    changeText(c),
    c.unit === 'pp'
      ? `${c.effectiveMinEffect.toFixed(2)} pp`
      : `${(c.effectiveMinEffect * 100).toFixed(1)} %`,
    c.outcome,
  ]);
  return table(
    [
      [
        'Metric',
        'Test',
        'p worse',
        'adj.',
        'p better',
        'adj.',
        'Change [95 % CI]',
        'Min effect',
        'Outcome',
      ],
      ...rows,
    ],
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

export function rawTrialsSection(
  v: Verdict,
  current: RunResult,
  baseline: RunResult | undefined,
): string {
  const baseByName = new Map(baseline?.scenarios.map((s) => [s.name, s]) ?? []);
  const verdictByName = new Map(v.scenarios.map((s) => [s.name, s]));
  const blocks: string[] = [];
  for (const s of current.scenarios) {
    const b = baseByName.get(s.name);
    const sv = verdictByName.get(s.name);
    const tests = sv ? testsTable(sv) : '';
    // A/B: each block's two trials side by side, in the order they ran.
    const rows: string[][] =
      v.mode === 'paired'
        ? s.trials.flatMap((t, i) => {
            const baseTrial = b?.trials[i];
            const pair = [trialRow(`head #${i + 1}`, t)];
            if (baseTrial) pair.unshift(trialRow(`base #${i + 1}`, baseTrial));
            return current.ab?.order[s.name]?.[i] === 'head-first' ? pair.reverse() : pair;
          })
        : [
            ...(b?.trials ?? []).map((t, i) => trialRow(`baseline #${i + 1}`, t)),
            ...s.trials.map((t, i) => trialRow(`current #${i + 1}`, t)),
          ];
    if (rows.length === 0) continue;
    blocks.push(
      `**${name(s.name)}**\n\n${table([['Trial', 'p50', 'p95', 'p99', 'req/s', 'errors', 'db p95'], ...rows], ['l', 'r', 'r', 'r', 'r', 'r', 'r'])}${tests ? `\n\n${tests}` : ''}`,
    );
  }
  if (blocks.length === 0) return '';
  return `<details><summary>Raw trials and tests per scenario</summary>\n\n${blocks.join('\n\n')}\n\n</details>`;
}
