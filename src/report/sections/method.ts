/**
 * How the verdict was reached, one click away: the method in one line (the block's summary,
 * "14 pairs in 7 rounds, α 0.01, min effect 3 %", with a link to the statistics doc), and inside
 * the tests, the corrections, the rules and how the pairs were measured. Then the run's details:
 * provenance, warnings, notes and failures. Pure text.
 */
import { clip, escapeHtml, escapeMarkdown } from '../../format/escape.js';
import { formatPercentChange, plural } from '../../format/numbers.js';
import { ENDPOINT_METRICS } from '../../judge/endpoints.js';
import type { Provenance, Verdict } from '../../judge/types.js';
import { METRICS } from '../../result/metrics.js';
import type { RunResult } from '../../result/types.js';
import { name, table } from './cells.js';
import { clockText } from './durations.js';
import { STATISTICS_DOC_URL } from './header.js';

/** "3–9" or "7": the range of a list of counts. */
function range(values: readonly number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? String(hi) : `${lo}–${hi}`;
}

/** What was measured for the comparisons, in a few words ("14 pairs in 7 rounds"). */
function designText(v: Verdict): string {
  const p95 = v.scenarios.flatMap((s) => s.comparisons.filter((c) => c.metric === 'p95'));
  if (v.mode === 'paired') {
    const budgets = v.scenarios.flatMap((s) => (s.budget ? [s.budget.rounds] : []));
    if (v.budget && budgets.length > 0) {
      return `rounds until decided within ${clockText(v.budget.budgetSeconds)}: ${range(budgets)} rounds, ${clockText(v.budget.spentSeconds)} spent`;
    }
    if (p95.length === 0) return 'base and head side by side';
    const pairs = range(p95.map((c) => c.current.n));
    const rounds = p95.flatMap((c) => (c.rounds === undefined ? [] : [c.rounds]));
    return rounds.length > 0 ? `${pairs} pairs in ${range(rounds)} rounds` : `${pairs} pairs`;
  }
  if (v.history && v.history.used > 0) return `against ${v.history.used} runs of main's history`;
  const trials = v.scenarios.flatMap((s) => (s.trials.current > 0 ? [s.trials.current] : []));
  const perScenario = trials.length > 0 ? `${range(trials)} trials per scenario` : 'no trials';
  if (v.mode === 'sla-only') return `${perScenario}, SLA checks only`;
  const base = v.scenarios.flatMap((s) => (s.trials.baseline > 0 ? [s.trials.baseline] : []));
  return base.length > 0 ? `${perScenario} against the baseline's ${range(base)}` : perScenario;
}

/** The method in one line: "14 pairs in 7 rounds, α 0.01, min effect 3 %". */
export function methodSummary(v: Verdict): string {
  const minEffect = v.history && v.history.used > 0 ? v.history.minEffect : v.options.minEffect;
  return `${designText(v)}, α ${v.options.alpha}, min effect ${(minEffect * 100).toFixed(0)} %`;
}

/** How the pairs were measured, from the run itself. */
function scheduleLines(current: RunResult): string[] {
  const ab = current.ab;
  if (!ab) return [];
  const cpus = ab.serviceCpus?.replace(/[^0-9,-]/g, '');
  const how =
    ab.schedule === 'duet'
      ? `both sides at once${cpus ? ` on CPU ${cpus}` : ''}; the SLA checks on the head alone`
      : 'one side after the other';
  return [
    `- Pairs: ${how}; each pair's order drawn from seed ${ab.seed} (reproducible with \`--seed ${ab.seed}\`)${ab.rounds && ab.rounds > 1 ? `; both services restarted between rounds` : ''}.`,
  ];
}

function noiseFloorLines(v: Verdict, baseline: RunResult | undefined): string[] {
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
    return [
      `- Noise floor (A/A, from the baseline):\n\n${table([['Scenario', 'Noise floor'], ...rows])}`,
    ];
  }
  if (v.mode === 'baseline' && !(v.history && v.history.used > 0)) {
    return [
      '- Noise floor: not calibrated (run `loadgate calibrate`); the min effect applies as is.',
    ];
  }
  return [];
}

/**
 * The method, collapsed: its one line as the summary (with the statistics doc's link), the
 * rules inside. `run` adds what only the result knows (the schedule, the seed, the noise floor).
 */
export function methodSection(
  v: Verdict,
  docUrl: string = STATISTICS_DOC_URL,
  run?: { current: RunResult; baseline: RunResult | undefined },
): string {
  const lines = [
    ...(v.options.test ? [`- Test: ${escapeMarkdown(v.options.test)}.`] : []),
    ...(v.options.correction ? [`- Correction: ${escapeMarkdown(v.options.correction)}.`] : []),
    `- Regression: adjusted p < α ${v.options.alpha} and the change beyond the min effect${v.mode === 'baseline' ? ' (at least twice the noise floor)' : ''}; error rate: an increase beyond max(${v.options.errorRateMinEffectPp} pp, min effect × the base's error rate).`,
    `- Endpoints of a scenario that mixes several: the same test per endpoint (${ENDPOINT_METRICS.map((m) => METRICS[m].label).join(', ')}), in a Holm family of their own; they say where a change is, never fail the check.`,
    '- SLA values: median across trials for latency, throughput and error rate; slowest request of any trial; peaks for RSS, Postgres connections and Redis; mean CPU as a share of the machine.',
  ];
  if (v.history) {
    const h = v.history;
    lines.push(
      `- History of the default branch: ${h.runs} runs; ${h.used > 0 ? `judged against up to ${h.used} of them (${escapeMarkdown((h.from ?? '').slice(0, 10))} to ${escapeMarkdown((h.to ?? '').slice(0, 10))}), min effect ${(h.minEffect * 100).toFixed(0)} %` : 'too few comparable runs to judge against'}.${h.fallback ? ` ${escapeMarkdown(clip(h.fallback, 400))}.` : ''}`,
    );
  }
  if (v.machine) lines.push(`- Machine: ${escapeMarkdown(clip(v.machine.summary, 400))}.`);
  if (run) lines.push(...scheduleLines(run.current), ...noiseFloorLines(v, run.baseline));
  const doc = /^https?:\/\//i.test(docUrl)
    ? ` (<a href="${escapeHtml(encodeURI(docUrl))}">how it decides</a>)`
    : '';
  return `<details><summary>Method: ${escapeHtml(methodSummary(v))}${doc}</summary>\n\n${lines.join('\n')}\n\n</details>`;
}

// ---------------------------------------------------------------- run details

function provenanceLine(label: string, p: Provenance): string {
  const sha = p.gitSha ? ` · git ${escapeMarkdown(p.gitSha.slice(0, 12))}` : '';
  const ref = p.gitRef ? ` (${escapeMarkdown(clip(p.gitRef, 100))})` : '';
  return `- ${label}: loadgate ${escapeMarkdown(p.toolVersion)}${sha}${ref} · ${escapeMarkdown(p.startedAt)} · ${escapeMarkdown(p.machine)} (machine ${escapeMarkdown(p.environmentHash)}) · profile ${escapeMarkdown(p.profile)}, config ${escapeMarkdown(p.configHash)}`;
}

/**
 * Provenance, warnings, notes and failures, collapsed. `max` caps the warnings and the notes
 * each (the comment); the full report has them all.
 */
export function runDetailsSection(v: Verdict, max = Number.POSITIVE_INFINITY): string {
  const paired = v.mode === 'paired';
  const lines = [provenanceLine(paired ? 'Head' : 'Current', v.current)];
  lines.push(
    v.baseline ? provenanceLine(paired ? 'Base' : 'Baseline', v.baseline) : '- Baseline: none.',
  );
  const capped = (list: readonly string[], icon: string): string[] => {
    const shown = list.slice(0, max).map((t) => `- ${icon} ${escapeMarkdown(clip(t, 500))}`);
    if (list.length > shown.length)
      shown.push(`- … and ${list.length - shown.length} more in the full report`);
    return shown;
  };
  lines.push(...capped(v.warnings, '⚠️'), ...capped(v.notes, 'ℹ️'));
  for (const s of v.scenarios) {
    if (s.failure)
      lines.push(`- ❌ ${name(s.name)} failed: ${escapeMarkdown(clip(s.failure, 500))}`);
  }
  const counts = [
    v.warnings.length > 0 ? plural(v.warnings.length, 'warning') : '',
    v.notes.length > 0 ? plural(v.notes.length, 'note') : '',
  ].filter((t) => t !== '');
  const summary = `Run details${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`;
  return `<details><summary>${summary}</summary>\n\n${lines.join('\n')}\n\n</details>`;
}
