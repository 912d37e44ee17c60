/**
 * The collapsed details at the bottom of the report: raw trials and tests per scenario, and the
 * method, provenance and notes. Pure text.
 */
import { clip, escapeMarkdown } from '../../format/escape.js';
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
    c.test
      ? c.test.name === 'history-prediction'
        ? `t ${c.test.statistic.toFixed(2)} (${c.history?.runs ?? '?'} runs of history)`
        : `U ${c.test.statistic} (${c.test.method})`
      : 'none (identical)',
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
  if (v.history) {
    const h = v.history;
    lines.push(
      `- History of the default branch: ${h.runs} runs; ${h.used > 0 ? `judged against up to ${h.used} of them (${escapeMarkdown((h.from ?? '').slice(0, 10))} to ${escapeMarkdown((h.to ?? '').slice(0, 10))}), min effect ${(h.minEffect * 100).toFixed(0)} %, noise floor per scenario and metric from the history` : 'too few comparable runs to judge against'}.${h.fallback ? ` ${escapeMarkdown(clip(h.fallback, 400))}.` : ''}`,
    );
  }
  if (v.machine) {
    lines.push(`- Machine: ${escapeMarkdown(clip(v.machine.summary, 400))}.`);
  }
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
  } else if (v.mode !== 'paired' && !(v.history && v.history.used > 0)) {
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
  const paired = v.mode === 'paired';
  lines.push(prov(paired ? 'Head' : 'Current', current));
  lines.push(baseline ? prov(paired ? 'Base' : 'Baseline', baseline) : '- Baseline: none.');
  if (paired && current.ab) {
    lines.push(
      `- Blocks: each scenario's trials alternate base and head in an order drawn from seed ${current.ab.seed} (reproducible with \`--seed ${current.ab.seed}\`).`,
    );
  }
  for (const w of v.warnings) lines.push(`- ⚠️ ${escapeMarkdown(clip(w, 500))}`);
  for (const n of v.notes) lines.push(`- ℹ️ ${escapeMarkdown(clip(n, 500))}`);
  for (const s of v.scenarios) {
    if (s.failure)
      lines.push(`- ❌ ${name(s.name)} failed: ${escapeMarkdown(clip(s.failure, 500))}`);
  }
  return `<details><summary>Method, provenance and notes</summary>\n\n${lines.join('\n')}\n\n</details>`;
}
