/**
 * The collapsed details at the bottom of the report: raw trials and tests per scenario, and the
 * method, provenance and notes. Pure text.
 */
import {
  formatMs,
  formatP,
  formatPercentChange,
  formatRate,
  formatShare,
} from '../../format/numbers.js';
import { changeText } from '../../judge/compare.js';
import type { ScenarioVerdict, Verdict } from '../../judge/types.js';
import type { RunResult, TrialResult } from '../../result/types.js';
import { clip, escapeMarkdown } from '../escape.js';
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

function testsTable(s: ScenarioVerdict): string {
  if (s.comparisons.length === 0) return '';
  const rows = s.comparisons.map((c) => [
    c.metric,
    c.test ? `U ${c.test.statistic} (${c.test.method})` : 'none (identical)',
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
    const rows: string[][] = [
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

export function methodSection(
  v: Verdict,
  current: RunResult,
  baseline: RunResult | undefined,
): string {
  const lines: string[] = [];
  lines.push(`- Test: ${escapeMarkdown(v.options.test)}.`);
  lines.push(`- Correction: ${escapeMarkdown(v.options.correction)}.`);
  lines.push(
    `- Regression: adjusted p < α ${v.options.alpha} and the change beyond the effective min effect = max(${(v.options.minEffect * 100).toFixed(0)} %, 2 × noise floor); error rate: an increase beyond max(${v.options.errorRateMinEffectPp} pp, min effect × baseline error rate), in percentage points.`,
  );
  lines.push(
    '- SLA values: median across trials for latency, throughput and error rate; slowest request of any trial; peaks for RSS, Postgres connections and Redis; mean CPU as a share of the machine.',
  );
  const noise = baseline?.noiseFloor;
  if (noise && Object.keys(noise).length > 0) {
    const rows = Object.entries(noise).map(([scenario, m]) => [
      name(scenario),
      Object.entries(m)
        .map(
          ([metric, value]) =>
            `${escapeMarkdown(metric)} ${formatPercentChange(value ?? null).replace('+', '±')}`,
        )
        .join(', '),
    ]);
    lines.push(
      '- Noise floor (A/A, from the baseline):\n\n' + table([['Scenario', 'Noise floor'], ...rows]),
    );
  } else {
    lines.push(
      '- Noise floor: not calibrated (run `loadgate calibrate`); the min effect applies as is.',
    );
  }
  const prov = (label: string, r: RunResult) => {
    const sha = r.git?.sha ? ` · git ${escapeMarkdown(r.git.sha.slice(0, 12))}` : '';
    const ref = r.git?.ref ? ` (${escapeMarkdown(r.git.ref)})` : '';
    const env = r.environment;
    return `- ${label}: loadgate ${escapeMarkdown(r.tool.version)}${sha}${ref} · ${escapeMarkdown(r.startedAt)} · ${escapeMarkdown(`${env.cpuModel} ×${env.cores}, ${env.os}, node ${env.nodeVersion}`)} (machine ${escapeMarkdown(env.hash)}) · profile ${escapeMarkdown(r.config.profile)}, config ${escapeMarkdown(r.config.hash)}`;
  };
  lines.push(prov('Current', current));
  lines.push(baseline ? prov('Baseline', baseline) : '- Baseline: none.');
  for (const w of v.warnings) lines.push(`- ⚠️ ${escapeMarkdown(clip(w, 500))}`);
  for (const n of v.notes) lines.push(`- ℹ️ ${escapeMarkdown(clip(n, 500))}`);
  for (const s of v.scenarios) {
    if (s.failure)
      lines.push(`- ❌ ${name(s.name)} failed: ${escapeMarkdown(clip(s.failure, 500))}`);
  }
  return `<details><summary>Method, provenance and notes</summary>\n\n${lines.join('\n')}\n\n</details>`;
}
