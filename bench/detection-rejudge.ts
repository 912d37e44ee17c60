/**
 * Re-judge the runs bench/detection.ts saved, at several min-effects, without measuring again:
 * how the false-alarm and detection rates trade off on this machine's data.
 *
 *   npx tsx bench/detection-rejudge.ts [--dir .loadgate/detection] [--target search-admins]
 */
import { readdir } from 'node:fs/promises';
import { judge } from '../src/judge/judge.js';
import { DEFAULT_JUDGE_OPTIONS } from '../src/judge/types.js';
import { readRunResult } from '../src/result/schema.js';
import type { RunResult } from '../src/result/types.js';
import { option } from './lib.js';

const dir = option('dir', '.loadgate/detection');
const target = option('target', 'search-admins');

const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
const runs = new Map<string, RunResult[]>();
for (const file of files) {
  const group = file.startsWith('clean') ? 'clean' : file.replace(/-\d+\.json$/, '');
  runs.set(group, [...(runs.get(group) ?? []), await readRunResult(`${dir}/${file}`)]);
}
const clean = runs.get('clean') ?? [];
console.log(
  `| min effect | A/A false alarms | ${[...runs.keys()]
    .filter((k) => k !== 'clean')
    .map((k) => `${k}: detected / elsewhere`)
    .join(' | ')} |`,
);
console.log(
  `| -: | -: | ${[...runs.keys()]
    .filter((k) => k !== 'clean')
    .map(() => '-:')
    .join(' | ')} |`,
);
for (const minEffect of [0.03, 0.05, 0.07, 0.1]) {
  const options = { ...DEFAULT_JUDGE_OPTIONS, minEffect };
  let alarms = 0;
  let pairs = 0;
  for (let i = 0; i < clean.length; i++)
    for (let j = i + 1; j < clean.length; j++) {
      pairs++;
      if (judge(clean[i], clean[j] as RunResult, options).counts.regressions > 0) alarms++;
    }
  const cells: string[] = [];
  for (const [group, faulted] of runs) {
    if (group === 'clean') continue;
    let hit = 0;
    let elsewhere = 0;
    const where = new Set<string>();
    for (const current of faulted)
      for (const base of clean) {
        const v = judge(base, current, options);
        if (v.scenarios.find((s) => s.name === target)?.status === 'regression') hit++;
        const others = v.scenarios.filter((s) => s.name !== target && s.status === 'regression');
        if (others.length > 0) elsewhere++;
        for (const s of others) where.add(s.name);
      }
    const n = faulted.length * clean.length;
    cells.push(`${hit}/${n} / ${elsewhere}/${n}${where.size ? ` (${[...where].join(', ')})` : ''}`);
  }
  console.log(`| ${minEffect * 100} % | ${alarms}/${pairs} | ${cells.join(' | ')} |`);
}
