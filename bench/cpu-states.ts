/**
 * Does this machine's CPU change speed by itself, and is it the same on every CPU at once?
 * Why the A/B mode runs both sides at once on one CPU (docs/ab.md, "Why both sides at once").
 *
 *   npx tsx bench/cpu-states.ts [--seconds 40] [--kb 512]
 *
 * On every CPU at once (taskset), a dependent walk through a table of `--kb` KiB (512: fits the
 * caches, so it feels whatever evicts them) and a tight integer loop, each counted per second.
 * Printed per CPU: the per-second rates, their spread (max ÷ min, CV), and between CPUs the
 * correlation of the walk's rates. A walk that switches between two rates for seconds at a time
 * while the integer loop stays flat is a cache shared with something outside this machine; rates
 * that do not move together on two CPUs mean one side after the other on different CPUs, or at
 * once on different CPUs, are in different states. Run it alone on the machine.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, option } from './lib.js';

const seconds = Number(option('seconds', '40'));
const kb = Number(option('kb', '512'));

/** The worker: per second, how many rounds of 100k dependent reads (or integer steps) it did. */
function worker(kind: 'walk' | 'alu'): void {
  const n = (kb * 1024) / 4;
  const table = new Uint32Array(n);
  for (let i = 0; i < n; i++) table[i] = i;
  // Sattolo's shuffle: one cycle through every slot, so the walk never settles in a short loop.
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(Math.random() * i);
    [table[i], table[k]] = [table[k] as number, table[i] as number];
  }
  const round =
    kind === 'walk'
      ? (j: number) => {
          for (let i = 0; i < 100_000; i++) j = table[j] as number;
          return j;
        }
      : (j: number) => {
          for (let i = 0; i < 2_000_000; i++) j = (j * 31 + i) % 1_000_003;
          return j;
        };
  const counts: number[] = [];
  const start = Date.now();
  let second = 0;
  let count = 0;
  let sink = 0;
  while (Date.now() - start < seconds * 1000) {
    sink += round(sink % n);
    const now = Math.floor((Date.now() - start) / 1000);
    if (now !== second) {
      counts.push(count);
      second = now;
      count = 0;
    }
    count++;
  }
  process.stdout.write(`${JSON.stringify(counts)}${sink === -1 ? ' ' : ''}\n`);
}

function runOn(cpu: number, kind: 'walk' | 'alu'): Promise<number[]> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    'taskset',
    [
      '-c',
      String(cpu),
      process.execPath,
      '--import',
      'tsx',
      self,
      '--worker',
      kind,
      '--seconds',
      String(seconds),
      '--kb',
      String(kb),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as number[])
        : reject(new Error(`worker exited ${code}`)),
    ),
  );
}

function cv(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return sd / mean;
}

function correlation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const workerKind = option('worker', '');
if (workerKind === 'walk' || workerKind === 'alu') {
  worker(workerKind);
} else {
  const cpus = Array.from({ length: availableParallelism() }, (_, i) => i);
  for (const kind of ['walk', 'alu'] as const) {
    // Drop the first and last second: start-up and a partial second.
    const series = (await Promise.all(cpus.map((cpu) => runOn(cpu, kind)))).map((s) =>
      s.slice(1, -1),
    );
    console.log(
      `\n${kind === 'walk' ? `dependent walk through ${kb} KiB` : 'integer loop'}, all ${cpus.length} CPUs at once, ${seconds} s`,
    );
    for (const [cpu, s] of series.entries()) {
      const spread = Math.max(...s) / Math.min(...s);
      console.log(
        `  CPU ${cpu}: median ${median(s)}/s, max ÷ min ${spread.toFixed(2)}, CV ${(cv(s) * 100).toFixed(1)} %`,
      );
      console.log(`    ${s.join(' ')}`);
    }
    if (series.length >= 2) {
      console.log(
        `  correlation of CPU 0 and CPU 1 per second: ${correlation(series[0] as number[], series[1] as number[]).toFixed(2)}`,
      );
    }
  }
}
