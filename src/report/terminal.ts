/**
 * A short plain-text summary for the CLI (at most 30 lines). Pure.
 */
import { clip } from '../format/escape.js';
import { changeText } from '../judge/compare.js';
import type { Verdict } from '../judge/types.js';
import {
  formatMs,
  formatP,
  formatPercentChange,
  formatRate,
  formatShare,
  plural,
} from '../format/numbers.js';

const MAX_LINES = 30;

/** Strip control characters so service-provided names cannot mess with the terminal. */
const plain = (s: string, max = 200) => clip(s.replace(/\p{Cc}+/gu, ' '), max);

export function renderTerminal(verdict: Verdict): string {
  const c = verdict.counts;
  const lines: string[] = [];
  const status = verdict.status.toUpperCase();
  const parts: string[] = [];
  if (verdict.mode === 'sla-only') parts.push('no baseline');
  parts.push(plural(c.regressions, 'regression'));
  parts.push(`${plural(c.slaBreaches, 'SLA breach', 'SLA breaches')} of ${c.slaChecks} checks`);
  if (c.failedScenarios > 0) parts.push(plural(c.failedScenarios, 'failed scenario'));
  if (c.improvements > 0) parts.push(plural(c.improvements, 'improvement'));
  if (c.inconclusive > 0) parts.push(`${c.inconclusive} inconclusive`);
  lines.push(`loadgate: ${status} (${parts.join(', ')})`);
  lines.push(
    verdict.failsCheck
      ? `check fails: ${verdict.failReasons.join(', ')}`
      : verdict.options.failOn.length === 0
        ? 'check passes (fail-on none: report only)'
        : verdict.accepted && c.regressions > 0
          ? `check passes (regressions accepted by ${plain(verdict.accepted.label, 60)})`
          : 'check passes',
  );

  const tail: string[] = [];
  for (const w of verdict.warnings) tail.push(`warning: ${plain(w, 300)}`);
  for (const n of verdict.notes) tail.push(`note: ${plain(n, 300)}`);

  const body: string[] = [];
  if (verdict.findings.length > 0) {
    body.push('findings:');
    for (const f of verdict.findings) body.push(`  ${f.severity.padEnd(8)} ${plain(f.message)}`);
  }
  const rows = verdict.scenarios.map((s) => {
    const m = s.current;
    const p95 = s.comparisons.find((x) => x.metric === 'p95');
    const change =
      s.status === 'new' || s.status === 'removed'
        ? s.status
        : p95
          ? `${changeText(p95)} p=${formatP(p95.pAdjusted)}${p95.detectable ? ` (could detect ≥ ${formatPercentChange(p95.detectable)})` : ''}`
          : '';
    const figures = m
      ? `p95 ${formatMs(m.p95)}  ${formatRate(m.throughput)}  err ${formatShare(m.errorRate)}`
      : s.failure
        ? `failed: ${plain(s.failure, 80)}`
        : '';
    return `  ${plain(s.name, 40).padEnd(24)} ${s.status.padEnd(12)} ${figures}  ${change}`.trimEnd();
  });
  if (rows.length > 0) body.push('scenarios:', ...rows);

  // Fit in MAX_LINES: header, then body, then the warnings/notes tail, trimmed in that order.
  const room = MAX_LINES - lines.length;
  const tailShown = tail.slice(
    0,
    Math.min(tail.length, Math.max(2, room - Math.min(body.length, room - 2))),
  );
  const bodyRoom = room - tailShown.length;
  if (body.length > bodyRoom) {
    const keep = body.slice(0, Math.max(0, bodyRoom - 1));
    keep.push(`  … ${body.length - keep.length} more lines in the markdown report`);
    lines.push(...keep);
  } else {
    lines.push(...body);
  }
  lines.push(...tailShown);
  return lines.slice(0, MAX_LINES).join('\n');
}
