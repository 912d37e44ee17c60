/**
 * The job summary of one shard leg: what this machine drove and measured, and how well it kept
 * the common schedule. No verdict: the merge job judges the whole run. Pure text.
 */
import { clip, escapeMarkdown } from '../format/escape.js';
import { formatMs, formatRate, formatShare } from '../format/numbers.js';
import type { RunResult, TrialResult } from '../result/types.js';
import { upperMedian } from '../stats/percentile.js';

export function shardSummaryMarkdown(result: RunResult, artifact: string): string {
  const shard = result.shard;
  const title = shard ? `shard ${shard.index}/${shard.count}` : 'shard';
  const start = shard?.startAt
    ? `common start ${shard.startAt}`
    : 'no common start (start-at): the merged report will say the trial windows may not align';
  const rows = result.scenarios.map((s) => {
    const name = escapeMarkdown(s.name);
    if (s.failure !== undefined)
      return `| ${name} | FAILED: ${escapeMarkdown(clip(s.failure, 200))} | | | | |`;
    const mid = (f: (t: TrialResult) => number) => upperMedian(s.trials.map(f)) ?? Number.NaN;
    const late = Math.max(0, ...s.trials.map((t) => t.shard?.lateMs ?? 0));
    return `| ${name} | ${s.shard?.connections ?? s.settings.connections} of ${s.settings.connections} | ${formatRate(mid((t) => t.metrics.throughput))} | ${formatMs(mid((t) => t.metrics.p95))} | ${formatShare(mid((t) => t.metrics.errorRate))} | ${late > 0 ? formatMs(late) : 'on time'} |`;
  });
  return [
    `### loadgate: ${title}`,
    '',
    `This job measured its share of the run (${start}) and uploaded it as the artifact \`${artifact}\`. The merge job (\`merge: true\`) merges the shards and judges the whole.`,
    '',
    '| scenario | connections | req/s (median trial) | p95 (median trial) | errors | latest trial start |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
