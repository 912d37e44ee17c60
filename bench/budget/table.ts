/**
 * The detection table (pure): per service, fault shape and size, what the same-code runs and the
 * faulted runs of bench/results/<service>-<fault>/ showed.
 */
import type { GatedMetric } from '../../src/result/types.js';
import { median, pct, wilson } from '../lib.js';
import type { CompactRun } from './compact.js';
import type { ResampledRate } from './resample.js';

/** The metric a fault shape moves first: what its measured size is read from. */
const SHAPE_METRIC: Record<string, GatedMetric> = {
  busy: 'cpuPerRequest',
  alloc: 'cpuPerRequest',
  slow: 'steadyP50',
};

export interface GroupInput {
  service: string;
  fault: string;
  runs: readonly CompactRun[];
  /** Scenarios that call every operation (a mix): not counted as "another scenario". */
  mixes: readonly string[];
  resampled: ResampledRate | undefined;
}

const flaggedIn = (run: CompactRun) =>
  run.verdict.scenarios.filter((s) => s.status === 'regression');

function counted(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => `${n} ×${c}`).join(', ');
}

function resampledCell(r: ResampledRate | undefined): string {
  if (!r) return '–';
  const [lo, hi] = wilson(r.alarms, r.simulations);
  return `${pct(r.alarms / r.simulations, 2)} (${pct(lo, 2)}–${pct(hi, 2)}) of ${r.simulations}`;
}

/** Rows of one service × fault directory: one per fault size. */
export function groupRows(group: GroupInput): string[] {
  const aa = group.runs.filter((r) => r.fault === 'none');
  const aaFlagged = aa.flatMap((r) => flaggedIn(r).map((s) => s.name));
  const aaAlarms = aa.filter((r) => flaggedIn(r).length > 0).length;
  const sizes = [
    ...new Set(group.runs.filter((r) => r.fault !== 'none').map((r) => r.size)),
  ].sort();
  const all = (runs: readonly CompactRun[]) => ({
    load: median(runs.map((r) => r.loadSeconds)),
    rounds: median(runs.map((r) => r.rounds)),
  });
  const sameCode = `${aaAlarms} of ${aa.length}${aaFlagged.length > 0 ? ` (${counted(aaFlagged)})` : ''}`;
  if (sizes.length === 0) {
    const { load, rounds } = all(aa);
    return [
      `| ${group.service} | ${group.fault}: no faulted runs yet | ${sameCode} | ${resampledCell(group.resampled)} | – | – | – | – | ${load.toFixed(0)} s | ${rounds} |`,
    ];
  }
  return sizes.map((size) => {
    const runs = group.runs.filter((r) => r.fault !== 'none' && r.size === size);
    const target = runs[0]?.target ?? '';
    const caught = runs.filter((r) => flaggedIn(r).some((s) => s.name === target));
    const metrics = caught.flatMap(
      (r) => r.verdict.scenarios.find((s) => s.name === target)?.regressed ?? [],
    );
    const others = runs.map((r) =>
      flaggedIn(r)
        .map((s) => s.name)
        .filter((n) => n !== target && !group.mixes.includes(n)),
    );
    const otherRuns = others.filter((o) => o.length > 0).length;
    const mixRuns = runs.filter((r) =>
      flaggedIn(r).some((s) => group.mixes.includes(s.name)),
    ).length;
    const shapeMetric = SHAPE_METRIC[group.fault] ?? 'p50';
    const measured = median(
      runs.flatMap((r) => {
        const v = r.verdict.scenarios.find((s) => s.name === target)?.change[shapeMetric];
        return v === undefined ? [] : [v];
      }),
    );
    const { load, rounds } = all([...aa, ...runs]);
    const knob = runs[0]?.knob ?? '';
    return [
      `| ${group.service}`,
      `${group.fault} ${pct(size, 0)} (\`${knob}\`)`,
      sameCode,
      resampledCell(group.resampled),
      `**${caught.length} of ${runs.length}**`,
      counted(metrics) || '–',
      `${shapeMetric} ${Number.isFinite(measured) ? pct(measured) : '–'}`,
      `${otherRuns} run(s)${otherRuns > 0 ? `: ${counted(others.flat())}` : ''}${mixRuns > 0 ? `; the mix in ${mixRuns}` : ''}`,
      `${load.toFixed(0)} s`,
      `${rounds} |`,
    ].join(' | ');
  });
}

export const TABLE_HEADER = [
  '| service | fault on the head (size: knob) | same code: false alarms, real runs | same code: resampled rate (95 % CI) | faulted runs caught | metrics flagged | target: measured change (median) | other scenarios flagged | median load per run | median rounds |',
  '| :- | :- | :- | :- | :- | :- | :- | :- | -: | -: |',
];

export function table(groups: readonly GroupInput[]): string[] {
  return [...TABLE_HEADER, ...groups.flatMap(groupRows)];
}
